# SPDX-License-Identifier: AGPL-3.0-or-later
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverka.core.text import LONG_TEXT_MAX_LENGTH, multi_line, single_line
from samverka.directory import orgnumbers


class Country(models.TextChoices):
    SE = "SE", _("Sweden")
    NO = "NO", _("Norway")
    DK = "DK", _("Denmark")


class Sector(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    STATE_AGENCY = "state_agency", _("State agency")
    POLICE = "police", _("Police")
    PUBLIC_HOUSING = "public_housing", _("Public housing company")
    PRIVATE_PROPERTY = "private_property", _("Private property owner")
    CIVIL_SOCIETY = "civil_society", _("Civil-society association")
    FOUNDATION = "foundation", _("Foundation")
    FAITH_BASED = "faith_based", _("Faith-based organisation")
    COOPERATIVE = "cooperative", _("Cooperative")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    BUSINESS = "business", _("Business")
    BUSINESS_ASSOCIATION = "business_association", _("Business association / BID")
    RESIDENTS_ASSOCIATION = "residents_association", _("Residents' or tenants' association")
    EDUCATION = "education", _("School or university")
    OTHER = "other", _("Other")


class Theme(models.TextChoices):
    JOBS = "jobs", _("Jobs")
    EDUCATION = "education", _("Education")
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    CULTURE_LEISURE = "culture_leisure", _("Culture and leisure")
    SPORT = "sport", _("Sport")
    INTEGRATION = "integration", _("Integration")
    ENVIRONMENT = "environment", _("Environment")
    CHILDREN_YOUTH = "children_youth", _("Children and youth")
    ELDERLY = "elderly", _("Elderly")
    DEMOCRACY = "democracy", _("Democracy and participation")


class CapabilityKind(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    PREMISES = "premises", _("Premises")
    LOCAL_KNOWLEDGE = "local_knowledge", _("Local knowledge")
    JOBS_INTERNSHIPS = "jobs_internships", _("Jobs and internships")
    FUNDING = "funding", _("Funding")
    EXPERTISE = "expertise", _("Expertise")
    COMMUNICATION = "communication", _("Communication channels")
    OTHER = "other", _("Other")


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    MUNICIPALITY = "municipality", _("Municipality")
    DISTRICT = "district", _("District")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood or housing area")


class PlaceQuerySet(models.QuerySet["Place"]):
    def within(self, place: "Place") -> "PlaceQuerySet":
        """The place and all its sub-places (one indexed prefix scan)."""
        return self.filter(path__startswith=place.path)


def path_prefixes(path: str) -> list[str]:
    """The paths of a place's chain from the country down, itself last
    ("SE/1480/3/" → "SE/", "SE/1480/", "SE/1480/3/")."""
    parts = path.rstrip("/").split("/")
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def place_path(parent_path: str | None, country: str, code: str) -> str:
    """ "SE/" for a country, then each level's code: "SE/1480/3/"."""
    return f"{parent_path}{code}/" if parent_path else f"{country}/"


class Place(models.Model):
    """Country → municipality → district → neighbourhood / housing area.

    `path` is the chain of codes from the country down ("SE/1480/3/"), so a
    place's sub-places are a prefix query on an index.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=150, validators=[single_line])
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=20, validators=[single_line])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs the pattern opclass (ignored elsewhere).
            models.Index(
                fields=["path"], name="place_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["kind", "name"], name="place_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent is not None and self.parent.country != self.country:
            raise ValidationError({"parent": _("A place lies in its parent's country.")})
        self.path = place_path(self.parent.path if self.parent else None, self.country, self.code)


class Organisation(models.Model):
    """An organisation in the directory: public body, housing company, NGO,
    social enterprise, business or police district."""

    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=20,
        blank=True,
        validators=[single_line],
        help_text=_("Optional for informal groups. SE: NNNNNN-NNNN, NO: 9 digits, DK: CVR."),
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    description = models.TextField(
        _("description"),
        blank=True,
        # One limit for forms, API and import; TextField alone would not check it.
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[multi_line, MaxLengthValidator(LONG_TEXT_MAX_LENGTH)],
    )
    description_language = models.CharField(
        _("language of the description"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    website = models.URLField(_("website"), blank=True, validators=[single_line])
    email = models.EmailField(_("contact e-mail"), blank=True, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[single_line])
    places = models.ManyToManyField(
        Place, verbose_name=_("places served"), blank=True, related_name="organisations"
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    commitment = models.TextField(
        _("what we can commit to"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[multi_line, MaxLengthValidator(LONG_TEXT_MAX_LENGTH)],
        help_text=_(
            "How long you can commit, and with what capacity: people, hours, premises, money."
        ),
    )
    # Stable across systems: the key for re-imports and the HSDS id.
    uuid = models.UUIDField(_("stable id"), default=uuid.uuid4, unique=True, editable=False)
    # Profiles entered by others (imports, other users) stay unclaimed until
    # one of the organisation's own people claims them.
    claimed = models.BooleanField(_("claimed"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "organisation_number"],
                condition=~Q(organisation_number=""),
                name="unique_organisation_number_per_country",
            )
        ]
        indexes = [
            models.Index(fields=["name", "id"]),
            # Keyset pages of a filtered list walk these without sorting.
            models.Index(fields=["country", "name", "id"], name="org_country_name"),
            models.Index(fields=["sector", "name", "id"], name="org_sector_name"),
            models.Index(
                fields=["country", "sector", "name", "id"], name="org_country_sector_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])

    def clean(self) -> None:
        if not isinstance(self.themes, list) or any(t not in Theme.values for t in self.themes):
            raise ValidationError({"themes": _("Choose themes from the list.")}, code="invalid")
        self.themes = sorted(set(self.themes), key=Theme.values.index)
        if self.country:
            try:
                self.organisation_number = orgnumbers.normalise(
                    self.country, self.organisation_number
                )
            except ValidationError as error:
                raise ValidationError({"organisation_number": error.messages}) from error
        if self.organisation_number and (
            Organisation.objects.filter(
                country=self.country, organisation_number=self.organisation_number
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            # The database constraint would only say "constraint … is violated"
            # and not tie the message to the field.
            raise ValidationError(
                {
                    "organisation_number": _(
                        "An organisation with this number is already in the directory."
                    )
                },
                code="unique",
            )


class EntryDoor(models.Model):
    """A way into an organisation: what to contact it about, who answers, and how.

    Seed 004: entrances to each other are often too convoluted; every
    organisation should show a clear entry door.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="entry_doors",
    )
    topic = models.CharField(
        _("contact us about"),
        max_length=200,
        help_text=_("For example: volunteering in the neighbourhood, internships, premises."),
        validators=[single_line],
    )
    who = models.CharField(
        _("who answers"),
        max_length=200,
        help_text=_("A role, a team or a person."),
        validators=[single_line],
    )
    email = models.EmailField(_("e-mail"), blank=True, validators=[single_line])
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[single_line])
    form_url = models.URLField(_("web form"), blank=True, validators=[single_line])
    opening_hours = models.CharField(
        _("when"), max_length=200, blank=True, validators=[single_line]
    )
    # Guards against two people's edits overwriting each other, as on the profile.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry door")
        verbose_name_plural = _("entry doors")
        ordering = ["organisation", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.topic}"

    def clean(self) -> None:
        if not (self.email or self.phone or self.form_url):
            raise ValidationError(
                _("Give at least one way to make contact: e-mail, phone or a web form."),
                code="no_contact",
            )


class Capability(models.Model):
    """Something an organisation can offer a partnership, with the detail."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="capabilities"
    )
    kind = models.CharField(_("capability"), max_length=30, choices=CapabilityKind.choices)
    # Multi-line: an HSDS import joins several services' descriptions into one.
    detail = models.CharField(_("detail"), max_length=500, blank=True, validators=[multi_line])

    class Meta:
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        ordering = ["organisation", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_capability_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Decided(models.Model):
    """A request someone decides on: pending, then accepted or rejected."""

    status = models.CharField(
        _("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ChangeSuggestion(Decided):
    """A logged-in user's proposed change to a profile they do not administer.

    `based_on` keeps the values the suggestion was made against, so an admin
    sees when the profile has changed since.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="suggestions"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    based_on = models.JSONField(default=dict)
    comment = models.TextField(_("comment"), blank=True, validators=[multi_line])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggested change")
        verbose_name_plural = _("suggested changes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="suggestion_org_status")]

    def __str__(self) -> str:
        return f"{self.organisation}: {', '.join(self.changes)}"


class ClaimRequest(Decided):
    """Someone from an unclaimed organisation asks to become its administrator."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(
        _("your role in the organisation"),
        help_text=_("Who you are there, so the reviewer can check it."),
        validators=[multi_line],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="one_pending_claim_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
