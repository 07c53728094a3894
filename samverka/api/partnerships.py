# SPDX-License-Identifier: AGPL-3.0-or-later
"""Partnerships in the API: the same services and permission rules as the pages."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from samverka.api.auth import PUBLIC
from samverka.api.schema import ErrorOut, HistoryOut
from samverka.core.audit import history_for, readable_entries
from samverka.core.pagination import keyset_page
from samverka.core.permissions import get_object_for, require
from samverka.core.text import LONG_TEXT_MAX_LENGTH, api_text
from samverka.directory.models import EntryDoor, Organisation, Theme
from samverka.partnerships import checklist, services
from samverka.partnerships import timeline as told
from samverka.partnerships.models import (
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Horizon,
    InvolvementKind,
    MemberRole,
    MemberStatus,
    Partnership,
    PartnershipMember,
    ResidentGroup,
    StatementKind,
    Visibility,
)
from samverka.partnerships.models import (
    Status as PartnershipStatus,
)
from samverka.partnerships.permissions import acting_organisation_ids

router = Router(tags=["partnerships"])


def errors(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, ErrorOut)


class PartnershipMemberOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    sector: str
    role: MemberRole
    status: MemberStatus
    joined_at: datetime | None
    joined_at_step: int | None
    joined_late: bool = Field(
        ..., description="Civil society or business that joined after step 1."
    )


class PartnershipOut(Schema):
    id: int
    name: str
    status: PartnershipStatus
    horizon: Horizon
    visibility: Visibility
    form: str
    themes: list[Theme]
    problem_statement: str
    goal: str
    starts_on: date | None
    ends_on: date | None
    review_on: date | None
    has_late_joiners: bool
    version: int
    places: list[int]


class PartnershipDetailOut(PartnershipOut):
    members: list[PartnershipMemberOut]
    current_step: int
    not_confirmed: list[int] = Field(
        ..., description="Member organisations that have not confirmed the problem statement."
    )
    resident_groups_reached: list[ResidentGroup] = Field(
        ..., description="Resident groups reached by the involvement recorded so far."
    )


class PartnershipPage(Schema):
    items: list[PartnershipOut]
    next: str | None = None


class PartnershipIn(Schema):
    lead_id: int = Field(..., description="One of your organisations (coordinator or admin).")
    name: api_text(200) = Field(..., min_length=1)  # type: ignore[valid-type]
    problem_statement: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]
    themes: list[Theme] = []
    places: list[int] = Field([], description="Ids of places in the lead's country.")
    horizon: Horizon = Horizon.LONG_TERM
    visibility: Visibility = Visibility.MEMBERS


class PartnershipPatch(Schema):
    version: int
    name: api_text(200) | None = Field(None, min_length=1)  # type: ignore[valid-type]
    themes: list[Theme] | None = None
    form: str | None = Field(None, max_length=30)
    horizon: Horizon | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    review_on: date | None = None
    visibility: Visibility | None = None


class PartnershipInviteIn(Schema):
    organisation_id: int
    role: MemberRole = MemberRole.PARTNER
    entry_door_id: int | None = None
    contact_email: str = Field("", max_length=254, description="A person to invite as well.")
    message: api_text(MESSAGE_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]


class InvitationResponseIn(Schema):
    accept: bool


class ChecklistStepOut(Schema):
    number: int
    code: str
    title: str
    guidance: str
    mandatory: bool
    done: bool
    note: str = ""
    link: str = ""
    completed_at: datetime | None = None


class StepIn(Schema):
    note: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]
    link: api_text(200) = ""  # type: ignore[valid-type]


class StatementIn(Schema):
    text: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) = Field(..., min_length=1)  # type: ignore[valid-type]


class StatementAnswerIn(Schema):
    organisation_id: int
    agrees: bool
    comment: api_text(COMMENT_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]


class PartnershipStatementOut(Schema):
    kind: StatementKind
    number: int
    text: str
    not_confirmed: list[int]


class InvolvementIn(Schema):
    kind: InvolvementKind
    held_on: date
    residents_reached: int = Field(..., ge=0, le=1_000_000)
    groups: list[ResidentGroup] = []
    summary: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]
    outcomes: list[api_text(500)] = Field([], max_length=100)  # type: ignore[valid-type]


class MandateIn(Schema):
    organisation_id: int
    body: api_text(200) = Field(..., min_length=1)  # type: ignore[valid-type]
    decided_on: date
    resources: api_text(LONG_TEXT_MAX_LENGTH, multiline=True) = ""  # type: ignore[valid-type]


class PartnershipStatusIn(Schema):
    to: PartnershipStatus


class RecordCreatedOut(Schema):
    id: int


def _out(partnership: Partnership) -> dict[str, Any]:
    out = {
        name: getattr(partnership, name) for name in PartnershipOut.model_fields if name != "places"
    }
    # Prefetched on lists.
    out["places"] = sorted(p.pk for p in partnership.places.all())
    return out


def _detail(partnership: Partnership) -> dict[str, Any]:
    members = partnership.members.select_related("organisation").order_by("joined_at", "id")
    return {
        **_out(partnership),
        "members": [
            {
                "id": m.pk,
                "organisation_id": m.organisation_id,
                "organisation_name": m.organisation.name,
                "sector": m.organisation.sector,
                "role": m.role,
                "status": m.status,
                "joined_at": m.joined_at,
                "joined_at_step": m.joined_at_step,
                "joined_late": services.is_late(m),
            }
            for m in members
        ],
        "current_step": checklist.current_step(partnership),
        "not_confirmed": [o.pk for o in services.unconfirmed(partnership, "problem")],
        "resident_groups_reached": services.groups_reached(partnership),
    }


def _acting_organisation(user: Any, pk: int) -> Organisation:
    if pk not in acting_organisation_ids(user):
        raise PermissionDenied
    return get_object_or_404(Organisation, pk=pk)


@router.get("", response={200: PartnershipPage, **errors(422)}, auth=PUBLIC)
def list_partnerships(
    request: HttpRequest,
    after: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    status: PartnershipStatus | None = None,
    late: bool | None = None,
) -> dict[str, Any]:
    queryset = Partnership.objects.visible_to(request.user).prefetch_related("places")
    if status:
        queryset = queryset.filter(status=status)
    if late is not None:
        queryset = queryset.filter(has_late_joiners=late)
    page = keyset_page(queryset, order=("name", "id"), cursor=after, size=limit)
    return {"items": [_out(p) for p in page.items], "next": page.next_cursor}


@router.post("", response={201: PartnershipDetailOut, **errors(400, 401, 403, 404, 422)})
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Status[Any]:
    lead = _acting_organisation(request.auth, payload.lead_id)
    partnership = services.create_partnership(
        by=request.auth,
        lead=lead,
        name=payload.name,
        problem_statement=payload.problem_statement,
        themes=list(payload.themes),
        horizon=payload.horizon,
        visibility=payload.visibility,
        places=list(payload.places),
    )
    return Status(201, _detail(partnership))


@router.get("/{pk}", response={200: PartnershipDetailOut, **errors(404, 422)}, auth=PUBLIC)
def get_partnership(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(get_object_for(request.user, Partnership, pk=pk))


@router.patch("/{pk}", response={200: PartnershipDetailOut, **errors(400, 401, 403, 404, 409, 422)})
def patch_partnership(request: HttpRequest, pk: int, payload: PartnershipPatch) -> dict[str, Any]:
    partnership = get_object_for(request.auth, Partnership, "manage", pk=pk)
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    if data.get("name", "") is None:
        raise ValidationError({"name": ["Give the partnership a name."]})
    data = {k: ([] if k == "themes" and v is None else v) for k, v in data.items()}
    data = {k: ("" if k == "form" and v is None else v) for k, v in data.items()}
    if data.get("horizon", "") is None or data.get("visibility", "") is None:
        raise ValidationError({"horizon": ["Choose a value."]})
    services.update_partnership(
        partnership=partnership, data=data, by=request.auth, version=payload.version
    )
    partnership.refresh_from_db()
    return _detail(partnership)


@router.post(
    "/{pk}/members", response={201: PartnershipMemberOut, **errors(400, 401, 403, 404, 422)}
)
def invite(request: HttpRequest, pk: int, payload: PartnershipInviteIn) -> Status[Any]:
    partnership = get_object_for(request.auth, Partnership, "invite", pk=pk)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    door = (
        get_object_or_404(EntryDoor, pk=payload.entry_door_id, organisation=organisation)
        if payload.entry_door_id
        else None
    )
    member = services.invite_organisation(
        partnership=partnership,
        organisation=organisation,
        role=payload.role,
        by=request.auth,
        entry_door=door,
        message=payload.message,
        contact_email=payload.contact_email,
    )
    return Status(201, _member_out(member))


def _member_out(member: PartnershipMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "organisation_id": member.organisation_id,
        "organisation_name": member.organisation.name,
        "sector": member.organisation.sector,
        "role": member.role,
        "status": member.status,
        "joined_at": member.joined_at,
        "joined_at_step": member.joined_at_step,
        "joined_late": services.is_late(member),
    }


def _member(request: HttpRequest, pk: int, member_pk: int, action: str) -> PartnershipMember:
    partnership = get_object_for(request.auth, Partnership, pk=pk)
    member = get_object_or_404(
        partnership.members.select_related("organisation", "partnership"), pk=member_pk
    )
    require(request.auth, action, member)
    return member


@router.post(
    "/{pk}/members/{member_pk}/response",
    response={200: PartnershipMemberOut, **errors(400, 401, 403, 404, 422)},
)
def respond(request: HttpRequest, pk: int, member_pk: int, payload: InvitationResponseIn) -> Any:
    member = _member(request, pk, member_pk, "respond")
    return _member_out(services.respond(member=member, accept=payload.accept, by=request.auth))


@router.post(
    "/{pk}/members/{member_pk}/leave",
    response={200: PartnershipMemberOut, **errors(400, 401, 403, 404, 422)},
)
def leave(request: HttpRequest, pk: int, member_pk: int) -> Any:
    member = _member(request, pk, member_pk, "leave")
    services.leave(member=member, by=request.auth)
    member.refresh_from_db()
    return _member_out(member)


def _steps(partnership: Partnership) -> list[dict[str, Any]]:
    return [
        {
            "number": s.number,
            "code": s.code,
            "title": s.title,
            "guidance": s.guidance,
            "mandatory": s.mandatory,
            "done": s.done,
            "note": s.completion.note if s.completion else "",
            "link": s.completion.link if s.completion else "",
            "completed_at": s.completion.completed_at if s.completion else None,
        }
        for s in checklist.steps_for(partnership)
    ]


@router.get(
    "/{pk}/checklist", response={200: list[ChecklistStepOut], **errors(404, 422)}, auth=PUBLIC
)
def get_checklist(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    return _steps(get_object_for(request.user, Partnership, pk=pk))


@router.post(
    "/{pk}/checklist/{number}",
    response={200: list[ChecklistStepOut], **errors(400, 401, 403, 404, 422)},
)
def complete_step(request: HttpRequest, pk: int, number: int, payload: StepIn) -> Any:
    partnership = get_object_for(request.auth, Partnership, "complete_steps", pk=pk)
    if payload.link:
        from django.core.validators import URLValidator

        URLValidator()(payload.link)
    services.complete_step(
        partnership=partnership,
        number=number,
        by=request.auth,
        note=payload.note,
        link=payload.link,
    )
    return _steps(partnership)


@router.delete(
    "/{pk}/checklist/{number}", response={200: list[ChecklistStepOut], **errors(401, 403, 404, 422)}
)
def reopen_step(request: HttpRequest, pk: int, number: int) -> Any:
    partnership = get_object_for(request.auth, Partnership, "complete_steps", pk=pk)
    services.reopen_step(partnership=partnership, number=number, by=request.auth)
    return _steps(partnership)


def _statement_out(partnership: Partnership, kind: str) -> dict[str, Any]:
    statement = services.current_statement(partnership, kind)
    if statement is None:
        raise ValidationError("There is no text yet.")
    return {
        "kind": kind,
        "number": statement.number,
        "text": statement.text,
        "not_confirmed": [o.pk for o in services.unconfirmed(partnership, kind)],
    }


@router.post(
    "/{pk}/statements/{kind}",
    response={200: PartnershipStatementOut, **errors(400, 401, 403, 404, 422)},
)
def revise_statement(
    request: HttpRequest, pk: int, kind: StatementKind, payload: StatementIn
) -> Any:
    partnership = get_object_for(request.auth, Partnership, "edit_statements", pk=pk)
    services.revise_statement(
        partnership=partnership, kind=kind, text=payload.text, by=request.auth
    )
    return _statement_out(partnership, kind)


@router.post(
    "/{pk}/statements/{kind}/answers",
    response={200: PartnershipStatementOut, **errors(400, 401, 403, 404, 422)},
)
def answer_statement(
    request: HttpRequest, pk: int, kind: StatementKind, payload: StatementAnswerIn
) -> Any:
    partnership = get_object_for(request.auth, Partnership, "contribute", pk=pk)
    organisation = _acting_organisation(request.auth, payload.organisation_id)
    services.answer_statement(
        partnership=partnership,
        kind=kind,
        organisation=organisation,
        agrees=payload.agrees,
        comment=payload.comment,
        by=request.auth,
    )
    return _statement_out(partnership, kind)


@router.post(
    "/{pk}/involvements", response={201: RecordCreatedOut, **errors(400, 401, 403, 404, 422)}
)
def record_involvement(request: HttpRequest, pk: int, payload: InvolvementIn) -> Status[Any]:
    partnership = get_object_for(request.auth, Partnership, "contribute", pk=pk)
    involvement = services.record_involvement(
        partnership=partnership,
        by=request.auth,
        kind=payload.kind,
        held_on=payload.held_on,
        residents_reached=payload.residents_reached,
        groups=list(payload.groups),
        summary=payload.summary,
        outcomes=payload.outcomes,
    )
    return Status(201, {"id": involvement.pk})


@router.post("/{pk}/mandates", response={201: RecordCreatedOut, **errors(400, 401, 403, 404, 422)})
def record_mandate(request: HttpRequest, pk: int, payload: MandateIn) -> Status[Any]:
    partnership = get_object_for(request.auth, Partnership, "contribute", pk=pk)
    organisation = _acting_organisation(request.auth, payload.organisation_id)
    if not partnership.members.filter(
        organisation=organisation, status=MemberStatus.ACTIVE
    ).exists():
        raise PermissionDenied
    mandate = services.record_mandate(
        partnership=partnership,
        organisation=organisation,
        by=request.auth,
        body=payload.body,
        decided_on=payload.decided_on,
        resources=payload.resources,
    )
    return Status(201, {"id": mandate.pk})


@router.post(
    "/{pk}/status", response={200: PartnershipDetailOut, **errors(400, 401, 403, 404, 422)}
)
def change_status(request: HttpRequest, pk: int, payload: PartnershipStatusIn) -> Any:
    partnership = get_object_for(request.auth, Partnership, "change_status", pk=pk)
    services.change_status(partnership=partnership, to=payload.to, by=request.auth)
    partnership.refresh_from_db()
    return _detail(partnership)


class TimelineEntryOut(HistoryOut):
    sentence: str = Field(
        ..., description="The entry as one whole sentence in the request's language."
    )


@router.get(
    "/{pk}/timeline", response={200: list[TimelineEntryOut], **errors(404, 422)}, auth=PUBLIC
)
def timeline(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    # People's names only for those logged in (public partnerships are public).
    named = request.user.is_authenticated
    # Entries about agreements only for those who may read them, as on the page.
    entries = readable_entries(request.user, partnership, list(history_for(partnership)[:500]))
    return [
        {
            "created_at": entry.created_at,
            "actor": entry.actor_label if named else "",
            "action": entry.action,
            "data": entry.data,
            # The same sentence as on the timeline page.
            "sentence": told.sentence(entry, show_people=named),
        }
        for entry in entries
    ]
