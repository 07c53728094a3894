# SPDX-License-Identifier: AGPL-3.0-or-later
"""A partnership: who is at the table, since which step, what they agree the
problem is, and where in its life it stands."""

from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverka.core.permissions import VisibleQuerySet
from samverka.core.text import LONG_TEXT_MAX_LENGTH, multi_line, single_line
from samverka.directory.models import Organisation, Place

# Free text people type: one limit per field for forms, API and services (core.text).
MESSAGE_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 5000


def long_text(limit: int = LONG_TEXT_MAX_LENGTH) -> dict[str, Any]:
    return {"max_length": limit, "validators": [multi_line, MaxLengthValidator(limit)]}


LONG_TEXT = long_text()


class Horizon(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    FIXED_TERM = "fixed_term", _("Fixed-term project")
    LONG_TERM = "long_term", _("Long-term / open-ended")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FORMING = "forming", _("Forming")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    EVALUATION = "evaluation", _("Under evaluation")
    RENEWED = "renewed", _("Renewed")
    ENDED = "ended", _("Ended")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Only the partnership's members")
    LOGGED_IN = "logged_in", _("Everyone logged in")
    PUBLIC = "public", _("Public")


class Partnership(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="partnerships"
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # The current texts; every version with its confirmations is a StatementVersion.
    problem_statement = models.TextField(_("problem statement"), blank=True, **LONG_TEXT)
    goal = models.TextField(_("overall goal"), blank=True, **LONG_TEXT)
    form = models.CharField(_("form of collaboration"), max_length=30, blank=True)
    horizon = models.CharField(
        _("horizon"), max_length=20, choices=Horizon.choices, default=Horizon.LONG_TERM
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    # Kept in step with the members, so that the list filter is an indexed column.
    has_late_joiners = models.BooleanField(_("civil society joined late"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet["Partnership"].as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["visibility", "name", "id"], name="partnership_visible_name"),
            models.Index(fields=["status", "name", "id"], name="partnership_status_name"),
            models.Index(fields=["has_late_joiners", "name", "id"], name="partnership_late_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership", args=[self.pk])


class MemberRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    OBSERVER = "observer", _("Observer")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class PartnershipMember(models.Model):
    """An organisation at the table, and the checklist step at which it came."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnership_memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.PARTNER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("representatives"), blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The entry door the invitation went through, when it went through one.
    entry_door = models.ForeignKey(
        "directory.EntryDoor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A named person the invitation also goes to, besides the entry door.
    contact_email = models.EmailField(_("person to invite"), blank=True)
    message = models.TextField(_("message"), blank=True, **long_text(MESSAGE_MAX_LENGTH))
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    # The first checklist step not yet done when the organisation joined (1–16, 17 = all done).
    joined_at_step = models.PositiveSmallIntegerField(_("joined at step"), null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet["PartnershipMember"].as_manager()

    class Meta:
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        ordering = ["partnership", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_membership_per_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status"], name="pmember_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class ChecklistStep(models.Model):
    """One step of the start checklist. Loaded from data/checklist.json, then
    adaptable by administrators; `forms` and `countries` narrow where it applies."""

    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=40)
    title = models.JSONField(_("title"), help_text=_("One text per language: sv, nb, da, en."))
    guidance = models.JSONField(_("guidance"), default=dict, blank=True)
    evidence_hint = models.JSONField(_("evidence hint"), default=dict, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    # Empty: the base step. A row with a form and/or a country is a variant that
    # replaces the base step there (the most specific variant wins).
    form = models.CharField(_("only for form"), max_length=30, blank=True)
    country = models.CharField(_("only in country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        ordering = ["number", "form", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "form", "country"], name="one_step_variant_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title.get('en', self.code)}"


class StepCompletion(models.Model):
    """A checklist step done in one partnership, with its evidence."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="completions"
    )
    number = models.PositiveSmallIntegerField(_("step"))
    note = models.TextField(_("note"), blank=True, **LONG_TEXT)
    link = models.URLField(_("link"), blank=True, validators=[single_line])
    file = models.FileField(_("file"), upload_to="partnerships/evidence/%Y/", blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completed step")
        verbose_name_plural = _("completed steps")
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="step_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: step {self.number}"


class StatementKind(models.TextChoices):
    PROBLEM = "problem", _("Problem statement")
    GOAL = "goal", _("Overall goal")


class StatementVersion(models.Model):
    """One version of the problem statement or the goal. Confirmations belong to
    a version, so editing the text starts the round of confirmations again."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="statements"
    )
    kind = models.CharField(max_length=10, choices=StatementKind.choices)
    number = models.PositiveIntegerField()
    text = models.TextField(**LONG_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partnership", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "number"], name="one_statement_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.kind} v{self.number}"


class Confirmation(models.Model):
    """A member organisation's answer to one statement version."""

    statement = models.ForeignKey(
        StatementVersion, on_delete=models.CASCADE, related_name="confirmations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    agrees = models.BooleanField(_("agrees"))
    comment = models.TextField(_("comment"), blank=True, **long_text(COMMENT_MAX_LENGTH))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organisation"], name="one_answer_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.agrees}"


class InvolvementKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Dialogue meeting")
    INTERVIEW = "interview", _("Interviews")
    WALK = "walk", _("Walk")
    SURVEY = "survey", _("Survey")
    OTHER = "other", _("Other")


class ResidentGroup(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    ADULTS = "adults", _("Adults")
    ELDERLY = "elderly", _("Elderly")
    NEWLY_ARRIVED = "newly_arrived", _("Newly arrived")
    FAMILIES = "families", _("Families")
    WOMEN = "women", _("Women")
    DISABLED = "disabled", _("People with disabilities")
    TENANTS = "tenants", _("Tenants")


class ResidentInvolvement(models.Model):
    """Residents heard: how, how many, who, and what came out (seed 002)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="involvements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvolvementKind.choices)
    held_on = models.DateField(_("date"))
    residents_reached = models.PositiveIntegerField(_("residents reached"))
    groups = models.JSONField(_("groups reached"), default=list, blank=True)
    summary = models.TextField(_("what was done"), blank=True, **LONG_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resident involvement")
        verbose_name_plural = _("resident involvement")
        ordering = ["partnership", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.kind} {self.held_on}"


class InvolvementOutcome(models.Model):
    """One thing residents said or asked for; later linked to the action-plan item
    that answers it."""

    involvement = models.ForeignKey(
        ResidentInvolvement, on_delete=models.CASCADE, related_name="outcomes"
    )
    text = models.CharField(_("outcome"), max_length=500, validators=[single_line])
    # Filled in when action plans exist (a later issue): the item that answers it.
    action_item = models.CharField(
        _("action-plan item"), max_length=200, blank=True, validators=[single_line]
    )

    class Meta:
        ordering = ["involvement", "id"]

    def __str__(self) -> str:
        return self.text


class Mandate(models.Model):
    """Step 4: the decision that anchors the partnership in an organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="mandates")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(
        _("decided by"),
        max_length=200,
        help_text=_("For example: the municipal executive board."),
        validators=[single_line],
    )
    decided_on = models.DateField(_("decided on"))
    resources = models.TextField(_("resources"), blank=True, **LONG_TEXT)
    document = models.FileField(
        _("decision document"), upload_to="partnerships/mandates/%Y/", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["partnership", "-decided_on"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.body}"
