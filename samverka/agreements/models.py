# SPDX-License-Identifier: AGPL-3.0-or-later
"""An agreement: structured content kept as immutable versions, approved by every
party on a specific version, and rendered as a document in its own language."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverka.core.permissions import VisibleQuerySet
from samverka.directory.models import Organisation
from samverka.partnerships.models import Partnership


class AgreementTemplate(models.Model):
    """A template per form and country, loaded from data/templates.json and then
    editable by administrators. `sections` is the ordered list of
    {code, kind, mandatory, title: {lang: text}, guidance: {lang: text}}."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    form = models.CharField(_("form of collaboration"), max_length=30)
    country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(
        _("default language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    name = models.JSONField(_("name"), help_text=_("One text per language: sv, nb, da, en."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    sections = models.JSONField(_("sections"), default=list)
    principles = models.JSONField(_("default principles"), default=list, blank=True)
    requires_post_pilot = models.BooleanField(_("requires what happens after the pilot"))
    sources = models.JSONField(_("sources"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name.get("en", self.code)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved by all")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# Content can change while the agreement is being negotiated; once in force it is fixed.
EDITABLE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.IN_REVIEW, AgreementStatus.APPROVED)


class Agreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=250)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    # The number of the newest version: the content is in AgreementVersion, and
    # an edit based on an older number is a conflict.
    version = models.PositiveIntegerField(default=0, editable=False)
    # Copied from the newest version, so reminders and lists are indexed queries.
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet["Agreement"].as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["partnership", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "ends_on"], name="agreement_status_ends"),
            models.Index(fields=["status", "next_review_on"], name="agreement_status_review"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class AgreementVersion(models.Model):
    """One state of the whole agreement that people can point to. Until the first
    "send for review" the agreement has one working draft, updated in place by
    each save (nobody has reviewed or approved it; every save is in the history);
    from then on every save is a new version, never changed after it is written."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField()
    # SHA-256 of the canonical JSON of `content`: what a party approves.
    content_hash = models.CharField(_("content hash"), max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # Sent to the parties for review (or saved while in review): no longer a
    # working draft, so a save makes a new version.
    sent_for_review = models.BooleanField(default=False, editable=False)
    # When the last party approved: what the version commits to is then written
    # as rows (commitments.py), and the newest such version is the one in effect.
    approved_by_all_at = models.DateTimeField(null=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet["AgreementVersion"].as_manager()

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class Approval(models.Model):
    """A party's authorised representative approves one version, by its hash."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="approvals"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signatory = models.CharField(_("name and title of the signatory"), max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["agreement", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="one_approval_per_party_and_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: v{self.version.number}"


class ReminderKind(models.TextChoices):
    REVIEW = "review", _("Review")
    EXPIRY = "expiry", _("Expiry")


class Reminder(models.Model):
    """A reminder sent (e-mail) and shown (on the agreement's page) before a date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "due_on"], name="one_reminder_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.kind} {self.due_on}"


class RenderedDocument(models.Model):
    """A version's PDF or DOCX as rendered once and then served as it is: a long
    agreement took seconds to render on every download. `key` is the SHA-256 of
    everything the document prints (the outline: content, status, approvals, names,
    language) and of the renderer, so a change to any of it renders anew. Kept in
    the database: every worker and host shares it without a storage volume, it is
    in the same backups and goes with its version."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4)  # pdf, docx
    key = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "key"], name="one_rendering_per_version_kind_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.kind}"


# What a version approved by all commits to, as rows, so a ledger, the pilots,
# health checks and reports query them instead of every version's JSON. Written
# once by commitments.write_commitments and never changed; each version approved
# by all has its own rows, a later one replaces nothing.


class CommitmentQuerySet(models.QuerySet):
    def current(self) -> "CommitmentQuerySet":
        """The rows of each agreement's newest version approved by all."""
        newest = (
            AgreementVersion.objects.filter(
                agreement=models.OuterRef("agreement"), approved_by_all_at__isnull=False
            )
            .order_by("-number")
            .values("pk")[:1]
        )
        return self.filter(version=models.Subquery(newest))


class CommittedContribution(models.Model):
    """A party's promised contribution of one kind in one year, in money of a
    currency or in hours."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="committed_contributions"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="committed_contributions"
    )
    # The row's place in the version's content: what makes it unique.
    position = models.PositiveIntegerField()
    party = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("party")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, null=True)
    # A currency code, or "h" for hours.
    unit = models.CharField(_("unit"), max_length=3, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("committed contribution")
        verbose_name_plural = _("committed contributions")
        ordering = ["agreement", "version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_committed_contribution_per_row"
            )
        ]
        indexes = [
            models.Index(fields=["party", "year"], name="contribution_party_year"),
            models.Index(fields=["year", "kind"], name="contribution_year_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} {self.year} {self.kind} {self.amount} {self.unit}"


class CommittedPrinciple(models.Model):
    """A principle with the meaning the parties gave it in this version."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="committed_principles"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="committed_principles"
    )
    position = models.PositiveIntegerField()
    # One of the six principles of data/principles.json, or blank for the parties' own.
    code = models.CharField(_("code"), max_length=40, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    meaning = models.TextField(_("meaning"), blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("committed principle")
        verbose_name_plural = _("committed principles")
        ordering = ["agreement", "version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_committed_principle_per_row"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommittedPilotPath(models.Model):
    """What happens after a pilot: the route, the date of the decision, the
    criteria and the budget of a scale-up."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="committed_pilot_paths"
    )
    version = models.OneToOneField(
        AgreementVersion, on_delete=models.CASCADE, related_name="committed_pilot_path"
    )
    route = models.CharField(_("route"), max_length=20, blank=True)
    decision_on = models.DateField(_("decision on"), null=True, blank=True, db_index=True)
    criteria = models.TextField(_("criteria for success"), blank=True)
    detail = models.TextField(_("the route in detail"), blank=True)
    budget = models.DecimalField(_("budget"), max_digits=18, decimal_places=2, null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("committed path after the pilot")
        verbose_name_plural = _("committed paths after the pilot")
        ordering = ["agreement", "version"]

    def __str__(self) -> str:
        return f"{self.route} {self.decision_on}"


class CommittedDateKind(models.TextChoices):
    STARTS = "starts", _("Starts")
    ENDS = "ends", _("Ends")
    REVIEW = "review", _("Review")


class CommittedDate(models.Model):
    """A date the agreement sets: its start, its end, each review."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="committed_dates"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="committed_dates"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CommittedDateKind.choices)
    on = models.DateField(_("date"))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("committed date")
        verbose_name_plural = _("committed dates")
        ordering = ["agreement", "version", "on"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "on"], name="one_committed_date_per_kind"
            )
        ]
        indexes = [models.Index(fields=["on", "kind"], name="committed_date_on_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"
