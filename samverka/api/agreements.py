# SPDX-License-Identifier: AGPL-3.0-or-later
"""Agreements in the API: the same services and permission rules as the pages.

An edit is made on top of the version it was read at; if someone saved since,
the answer is 409 with their version, and nothing is written. A party approves a
version by its number and content hash.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.forms import DecimalField, ModelChoiceField
from django.forms import Field as FormField
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import (
    AfterValidator,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from samverka.agreements import services
from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    AFTER_PILOT_MAX_LENGTH,
    PRINCIPLE_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    ContributionKind,
    Currency,
    PilotRoute,
    PublicPayment,
    contribution_totals,
    decimal_or_none,
)
from samverka.agreements.diff import compare
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
)
from samverka.agreements.permissions import approving_organisations
from samverka.api.auth import PUBLIC
from samverka.api.schema import ErrorOut
from samverka.core.permissions import get_object_for, visible_to
from samverka.directory.models import Organisation
from samverka.partnerships.models import Partnership

router = Router(tags=["agreements"])

Language = Literal["sv", "nb", "da", "en"]
LARGEST_INT = 2**31 - 1
# Amounts up to a thousand billion, whatever the unit.
LARGEST_AMOUNT = Decimal(10) ** 15


def errors(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, ErrorOut)


# Input. Every text refuses NUL (PostgreSQL cannot store it); the messages are
# Django's own, so they come in the request's language.


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(str(ProhibitNullCharactersValidator.message))
    return value


def _amount(value: str) -> str:
    """A decimal number ≥ 0 as a string, or empty; stored as plain digits."""
    value = value.strip()
    if not value:
        return ""
    number = decimal_or_none(value)
    if number is None:
        raise ValueError(str(DecimalField.default_error_messages["invalid"]))
    if number < 0:
        raise ValueError(str(MinValueValidator.message) % {"limit_value": 0})
    if number >= LARGEST_AMOUNT:
        raise ValueError(str(MaxValueValidator.message) % {"limit_value": LARGEST_AMOUNT - 1})
    return format(number, "f")


def _at_most(limit: int) -> Any:
    """A text of at most `limit` characters: the limit the forms and the service
    use, with Django's (translated) message, documented as maxLength."""

    def check(value: str) -> str:
        if len(value) > limit:
            params = {"limit_value": limit, "show_value": len(value)}
            # A custom error, so the message is Django's alone ("Value error, " is not).
            raise PydanticCustomError("string_too_long", str(MaxLengthValidator.message % params))
        return value

    return Annotated[
        str,
        AfterValidator(_no_nul),
        AfterValidator(check),
        WithJsonSchema({"type": "string", "maxLength": limit}),
    ]


Text = Annotated[str, AfterValidator(_no_nul)]
SectionText = _at_most(SECTION_MAX_LENGTH)
AfterPilotText = _at_most(AFTER_PILOT_MAX_LENGTH)
PrincipleText = _at_most(PRINCIPLE_MAX_LENGTH)
Amount = Annotated[str, StringConstraints(max_length=40), AfterValidator(_amount)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_no_nul)
]


class AgreementContributionIn(Schema):
    party: int = Field(..., description="The organisation id of one of the agreement's parties.")
    year: int = Field(..., ge=1900, le=2100)
    kind: ContributionKind
    amount: Amount = Field(
        "", description="A decimal number ≥ 0 as a string (hours or money), or empty."
    )
    currency: Currency | Literal[""] = Field(
        "", validate_default=True, description="Required for money."
    )
    description: Text = Field("", max_length=500)

    @field_validator("currency")
    @classmethod
    def _currency_for_money(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") == ContributionKind.MONEY and not value:
            raise ValueError(str(FormField.default_error_messages["required"]))
        return value


class AgreementPrincipleIn(Schema):
    code: Text = Field("", max_length=40)
    name: Name = Field(..., max_length=200)
    meaning: PrincipleText = ""


class AgreementAfterPilotIn(Schema):
    """What happens after a pilot. Replaces the whole block."""

    decision_on: date | Literal[""] = ""
    criteria: AfterPilotText = ""
    route: PilotRoute | Literal[""] = ""
    detail: AfterPilotText = ""
    budget: Amount = ""
    currency: Currency | Literal[""] = ""


class AgreementDatesIn(Schema):
    """The agreement's dates, ISO 8601. Replaces the whole block."""

    starts_on: date | Literal[""] = ""
    ends_on: date | Literal[""] = ""
    notice_months: int | None = Field(None, ge=0, le=120)
    review_dates: list[date] = Field([], max_length=50)


class AgreementIn(Schema):
    """Only the parts sent are replaced (null: unchanged). `version` (and
    `content_hash`) are what you read: if someone saved since, the answer is 409
    with their version and nothing is written. Until the agreement is sent for
    review, a save that names the content_hash it read updates the working draft
    in place (the version number stays); without it, every save is a new version."""

    version: int = Field(..., description="The version the edit is based on.")
    content_hash: str | None = Field(
        None,
        max_length=64,
        description="The content_hash you read. Needed to update the working draft in "
        "place; a different hash is a conflict.",
    )
    title: Name | None = Field(None, max_length=250)
    sections: dict[str, SectionText] | None = Field(
        None, max_length=100, description="{section code: text} for the template's sections."
    )
    contributions: list[AgreementContributionIn] | None = Field(None, max_length=500)
    principles: list[AgreementPrincipleIn] | None = Field(None, max_length=50)
    after_pilot: AgreementAfterPilotIn | None = None
    dates: AgreementDatesIn | None = None
    public_payment: PublicPayment | Literal[""] | None = None
    note: Text = Field("", max_length=300, description="What changed, for the version list.")


class AgreementCreateIn(Schema):
    template: Text = Field(..., max_length=40, description="The code of an active template.")
    language: Language | None = Field(None, description="The template's language if not given.")


class AgreementApproveIn(Schema):
    organisation: int = Field(..., description="The party you approve for.")
    version: int = Field(..., description="The version you read.")
    content_hash: Text = Field(..., max_length=64, description="Its content_hash.")
    signatory: Name = Field(..., max_length=200, description="Name and title of the signatory.")


class AgreementStatusIn(Schema):
    to: Literal["in_review", "in_force", "terminated"]
    reason: Text = Field("", max_length=5000, description="Required to terminate.")


# Output


class AgreementTemplateSectionOut(Schema):
    code: str
    kind: str = Field(
        ..., description="text, parties, contributions, principles, after_pilot, duration, …"
    )
    mandatory: bool
    title: str
    guidance: str


class AgreementTemplateOut(Schema):
    code: str
    form: str
    country: str
    language: str
    name: str
    description: str
    sections: list[AgreementTemplateSectionOut]
    requires_post_pilot: bool


class AgreementSummaryOut(Schema):
    id: int
    partnership: int
    template: str
    title: str
    language: str
    status: AgreementStatus
    version: int
    starts_on: date | None
    ends_on: date | None
    next_review_on: date | None
    updated_at: datetime


class AgreementFindingOut(Schema):
    level: Literal["error", "warning"] = Field(
        ..., description="Errors block review and approval; warnings help."
    )
    code: str
    message: str
    section: str


class AgreementApprovalOut(Schema):
    organisation: int
    organisation_name: str
    signatory: str
    at: datetime
    content_hash: str


class AgreementTotalsOut(Schema):
    """Amounts as decimal strings, split by unit (a currency, or h for hours):
    SEK are never added to EUR."""

    by_party: dict[str, dict[str, dict[str, str]]] = Field(
        ..., description="{organisation id: {kind: {unit: amount}}}"
    )
    by_kind: dict[str, dict[str, str]] = Field(..., description="{kind: {unit: amount}}")
    by_unit: dict[str, str] = Field(..., description="{unit: amount}")
    mixed_currencies: bool


class AgreementDocumentsOut(Schema):
    docx: str
    pdf: str


class AgreementOut(AgreementSummaryOut):
    content_hash: str = Field(..., description="SHA-256 of the current version's content.")
    content: dict[str, Any] = Field(..., description="The current version's content.")
    totals: AgreementTotalsOut
    findings: list[AgreementFindingOut]
    approvals: list[AgreementApprovalOut] = Field(..., description="Of the current version.")
    parties_waiting: list[int] = Field(
        ..., description="Parties (organisation ids) that have not approved the current version."
    )
    terminated_on: date | None
    termination_reason: str
    documents: AgreementDocumentsOut


class AgreementConflictOut(Schema):
    detail: str
    current_version: int
    content_hash: str = Field(..., description="Its content_hash, to save on top of it.")
    content: dict[str, Any] = Field(..., description="The content someone else saved.")


class AgreementVersionOut(Schema):
    number: int
    created_at: datetime
    created_by: str = Field(..., description="A name, for those logged in.")
    content_hash: str
    note: str


class AgreementVersionDetailOut(AgreementVersionOut):
    content: dict[str, Any]


class AgreementChangeOut(Schema):
    key: str
    label: str
    old: str
    new: str
    parts: list[list[str]] = Field(
        ..., description="[kind, text] pieces in reading order; kind is same, removed or added."
    )


def _summary(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "partnership": agreement.partnership_id,
        "template": agreement.template.code,
        "title": agreement.title,
        "language": agreement.language,
        "status": agreement.status,
        "version": agreement.version,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "next_review_on": agreement.next_review_on,
        "updated_at": agreement.updated_at,
    }


def _amounts(units: dict[str, Decimal]) -> dict[str, str]:
    return {unit: format(amount, "f") for unit, amount in units.items()}


def _detail(agreement: Agreement) -> dict[str, Any]:
    current = agreement.versions.get(number=agreement.version)
    approvals = current.approvals.select_related("organisation").order_by("at", "id")
    content = current.content
    totals = contribution_totals(content.get("contributions", []))
    approved = {approval.organisation_id for approval in approvals}
    pk, number = agreement.pk, agreement.version
    return {
        **_summary(agreement),
        "content_hash": current.content_hash,
        "content": content,
        "totals": {
            "by_party": {
                str(party): {kind: _amounts(units) for kind, units in kinds.items()}
                for party, kinds in totals.by_party.items()
            },
            "by_kind": {kind: _amounts(units) for kind, units in totals.by_kind.items()},
            "by_unit": _amounts(totals.by_unit),
            "mixed_currencies": totals.mixed_currencies,
        },
        "findings": [
            {
                "level": finding.level,
                "code": finding.code,
                "message": str(finding.message),
                "section": finding.section,
            }
            for finding in services.findings_for(agreement, content)
        ],
        "approvals": [
            {
                "organisation": approval.organisation_id,
                "organisation_name": approval.organisation.name,
                "signatory": approval.signatory,
                "at": approval.at,
                "content_hash": approval.content_hash,
            }
            for approval in approvals
        ],
        "parties_waiting": [
            party["organisation"]
            for party in content.get("parties", [])
            if party["organisation"] not in approved
        ],
        "terminated_on": agreement.terminated_on,
        "termination_reason": agreement.termination_reason,
        "documents": {
            "docx": reverse("agreements:document", args=[pk, number, "docx"]),
            "pdf": reverse("agreements:document", args=[pk, number, "pdf"]),
        },
    }


def _agreement(user: Any, pk: int, action: str = "view") -> Agreement:
    agreements = Agreement.objects.select_related("partnership", "template")
    return get_object_for(user, agreements, action, pk=pk)


def _invalid(error: ValidationError) -> Status[Any]:
    """400 with the service's messages (already in the request's language)."""
    if hasattr(error, "error_dict"):
        detail = [
            {"loc": ["body", name], "msg": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": message} for message in error.messages]
    return Status(400, {"detail": detail})


def _conflict(conflict: services.AgreementConflict) -> Status[Any]:
    return Status(
        409,
        {
            "detail": conflict.messages[0],
            "current_version": conflict.current.number,
            "content_hash": conflict.current.content_hash,
            "content": conflict.current.content,
        },
    )


@router.get("/agreement-templates", response=list[AgreementTemplateOut], auth=PUBLIC)
def list_agreement_templates(request: HttpRequest) -> list[dict[str, Any]]:
    """The active templates, in the request's language."""
    return [
        {
            "code": template.code,
            "form": template.form,
            "country": template.country,
            "language": template.language,
            "name": in_language(template.name),
            "description": in_language(template.description or {}),
            "sections": [
                {
                    "code": section["code"],
                    "kind": section["kind"],
                    "mandatory": section["mandatory"],
                    "title": in_language(section.get("title") or {}),
                    "guidance": in_language(section.get("guidance") or {}),
                }
                for section in template.sections
            ],
            "requires_post_pilot": template.requires_post_pilot,
        }
        for template in AgreementTemplate.objects.filter(active=True).order_by("code")
    ]


@router.get(
    "/partnerships/{pk}/agreements",
    response={200: list[AgreementSummaryOut], **errors(404, 422)},
    auth=PUBLIC,
)
def list_agreements(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """The partnership's agreements that you may read, newest first."""
    user = request.user
    partnership = get_object_for(user, Partnership, pk=pk)
    agreements = visible_to(user, partnership.agreements.select_related("template"))
    return [_summary(a) for a in agreements]


@router.post(
    "/partnerships/{pk}/agreements",
    response={201: AgreementOut, **errors(400, 401, 403, 404, 422)},
)
def create_agreement(request: HttpRequest, pk: int, payload: AgreementCreateIn) -> Status[Any]:
    """Draft an agreement from a template, pre-filled from the partnership."""
    user = request.auth
    partnership = get_object_for(user, Partnership, "draft_agreement", pk=pk)
    template = AgreementTemplate.objects.filter(active=True, code=payload.template).first()
    if template is None:
        invalid = str(ModelChoiceField.default_error_messages["invalid_choice"])
        return Status(400, {"detail": [{"loc": ["body", "template"], "msg": invalid}]})
    try:
        agreement = services.create_agreement(
            partnership=partnership, template=template, by=user, language=payload.language
        )
    except ValidationError as error:
        return _invalid(error)
    return Status(201, _detail(_agreement(user, agreement.pk)))


@router.get("/agreements/{pk}", response={200: AgreementOut, **errors(404, 422)}, auth=PUBLIC)
def get_agreement(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The agreement with its current content, totals, checks and approvals.
    Drafts and agreements in review are read by the partnership's members; an
    approved one is as visible as its partnership."""
    return _detail(_agreement(request.user, pk))


def _refused_parts(agreement: Agreement, payload: AgreementIn) -> list[dict[str, Any]]:
    """Section codes the template lacks and contributions of non-parties."""
    refused = []
    if payload.sections is not None:
        codes = {
            section["code"]
            for section in agreement.template.sections
            if section["kind"] in ("text", "duration")
        }
        unknown = gettext("This cannot be changed.")
        refused += [
            {"loc": ["body", "sections", code], "msg": unknown}
            for code in payload.sections
            if code not in codes
        ]
    if payload.contributions:
        parties = {party["organisation"] for party in services.parties_of(agreement.partnership)}
        invalid = str(ModelChoiceField.default_error_messages["invalid_choice"])
        refused += [
            {"loc": ["body", "contributions", index, "party"], "msg": invalid}
            for index, row in enumerate(payload.contributions)
            if row.party not in parties
        ]
    return refused


@router.put(
    "/agreements/{pk}",
    response={
        200: AgreementOut,
        409: AgreementConflictOut,
        **errors(400, 401, 403, 404, 422),
    },
)
def save_agreement(request: HttpRequest, pk: int, payload: AgreementIn) -> Any:
    """Save: the working draft in place before review (with content_hash), else a new
    version. Approvals of the version it replaces lapse."""
    user = request.auth
    agreement = _agreement(user, pk, "edit")
    refused = _refused_parts(agreement, payload)
    if refused:
        return Status(400, {"detail": refused})
    changes = {
        name: payload.model_dump(mode="json", include={name})[name]
        for name in services.EDITABLE_KEYS
        if getattr(payload, name) is not None
    }
    if "dates" in changes:
        changes["dates"]["review_dates"] = sorted(set(changes["dates"]["review_dates"]))
    try:
        services.save_agreement(
            agreement=agreement,
            changes=changes,
            by=user,
            base_version=payload.version,
            base_hash=payload.content_hash,
            note=payload.note,
        )
    except services.AgreementConflict as conflict:
        return _conflict(conflict)
    except ValidationError as error:
        return _invalid(error)
    return _detail(_agreement(user, pk))


@router.get(
    "/agreements/{pk}/versions",
    response={200: list[AgreementVersionOut], **errors(404, 422)},
    auth=PUBLIC,
)
def list_versions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """Every saved version you may read, newest first: once the agreement is
    approved, visitors read the version(s) every party approved, and the drafts
    stay with the partnership's members."""
    agreement = _agreement(request.user, pk)
    visible = visible_to(request.user, agreement.versions.all())
    versions = visible.select_related("created_by").defer("content").order_by("-number")
    return [_version_out(version, request) for version in versions]


def _version_out(version: AgreementVersion, request: HttpRequest) -> dict[str, Any]:
    # People's names only for those logged in (public agreements are public).
    author = version.created_by
    named = request.user.is_authenticated and author is not None
    return {
        "number": version.number,
        "created_at": version.created_at,
        "created_by": (author.get_full_name() or author.email) if named else "",
        "content_hash": version.content_hash,
        "note": version.note,
    }


@router.get(
    "/agreements/{pk}/versions/{number}",
    response={200: AgreementVersionDetailOut, **errors(404, 422)},
    auth=PUBLIC,
)
def get_version(
    request: HttpRequest, pk: int, number: int = Path(..., ge=1, le=LARGEST_INT)
) -> dict[str, Any]:
    agreement = _agreement(request.user, pk)
    versions = agreement.versions.select_related("created_by")
    version = get_object_for(request.user, versions, number=number)
    return {**_version_out(version, request), "content": version.content}


@router.get(
    "/agreements/{pk}/compare",
    response={200: list[AgreementChangeOut], **errors(404, 422)},
    auth=PUBLIC,
)
def compare_versions(
    request: HttpRequest,
    pk: int,
    a: int = Query(..., ge=1, le=LARGEST_INT, description="The older version."),
    b: int = Query(..., ge=1, le=LARGEST_INT, description="The newer version."),
) -> list[dict[str, Any]]:
    """What changed from version a to version b, block by block, word by word."""
    agreement = _agreement(request.user, pk)
    visible = visible_to(request.user, agreement.versions.all())
    contents = dict(visible.filter(number__in=[a, b]).values_list("number", "content"))
    if a not in contents or b not in contents:
        raise Http404
    return [
        {
            "key": change.key,
            "label": change.label,
            "old": change.old,
            "new": change.new,
            "parts": [[kind, text] for kind, text in change.parts],
        }
        for change in compare(contents[a], contents[b], agreement.template.sections)
    ]


@router.post(
    "/agreements/{pk}/approve",
    response={
        200: AgreementOut,
        409: AgreementConflictOut,
        **errors(400, 401, 403, 404, 422),
    },
)
def approve_agreement(request: HttpRequest, pk: int, payload: AgreementApproveIn) -> Any:
    """Approve the version you read for one of the parties you act for. If the
    agreement changed since (another number or hash), the answer is 409."""
    user = request.auth
    agreement = _agreement(user, pk, "approve")
    if payload.organisation not in approving_organisations(user, agreement):
        raise PermissionDenied
    organisation = get_object_for(user, Organisation, pk=payload.organisation)
    try:
        services.approve_agreement(
            agreement=agreement,
            organisation=organisation,
            by=user,
            version=payload.version,
            content_hash=payload.content_hash,
            signatory=payload.signatory,
        )
    except services.AgreementConflict as conflict:
        return _conflict(conflict)
    except ValidationError as error:
        return _invalid(error)
    return _detail(_agreement(user, pk))


@router.post(
    "/agreements/{pk}/status",
    response={200: AgreementOut, **errors(400, 401, 403, 404, 422)},
)
def change_agreement_status(request: HttpRequest, pk: int, payload: AgreementStatusIn) -> Any:
    """Send a draft for review (a party), put an approved agreement in force or
    terminate it (the lead)."""
    user = request.auth
    agreement = _agreement(user, pk, "edit" if payload.to == "in_review" else "manage")
    try:
        if payload.to == "in_review":
            services.submit_for_review(agreement=agreement, by=user)
        elif payload.to == "in_force":
            services.put_in_force(agreement=agreement, by=user)
        else:
            services.terminate_agreement(agreement=agreement, by=user, reason=payload.reason)
    except ValidationError as error:
        return _invalid(error)
    return _detail(_agreement(user, pk))
