# SPDX-License-Identifier: AGPL-3.0-or-later
"""The REST API. It calls the same services and permission layer as the pages."""

from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language, gettext
from ninja import File, NinjaAPI, Query, Status, Swagger, UploadedFile

from samverka.accounts import services as account_services
from samverka.accounts.models import Membership
from samverka.api import schema
from samverka.api.auth import AUTHENTICATED, PUBLIC
from samverka.core.audit import history_for
from samverka.core.pagination import keyset_page
from samverka.core.permissions import get_object_for, is_platform_admin, require
from samverka.directory import hsds, matching, stewardship, transfer_views
from samverka.directory import services as directory_services
from samverka.directory.models import (
    CapabilityKind,
    Country,
    EntryDoor,
    Organisation,
    Place,
    Sector,
    Theme,
)
from samverka.directory.search import query as search
from samverka.directory.transfer import jobs as transfer_jobs
from samverka.partnerships import advisor

api = NinjaAPI(
    title="Samverka API",
    version="1",
    description=(
        "Authenticate with a browser session or a personal API token "
        "(Authorization: Bearer …, created under Profile → API tokens). "
        "On this page, you are already signed in if you are logged in to Samverka; "
        "to use a token instead, choose Authorize and paste it under TokenAuth. "
        "The same permission rules apply as on the pages."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    # Swagger UI from the ninja app's own static files, in our template
    # (templates/ninja/swagger.html) that keeps to the strict CSP.
    docs_url="/docs",
    docs=Swagger(settings={"validatorUrl": None}),
    auth=AUTHENTICATED,
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Permission denied"}, status=403)


@api.exception_handler(OverflowError)
def number_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A number too large for the database (SQLite's 64-bit integers) names nothing.
    detail = [{"loc": ["body"], "msg": "A number is out of range."}]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", field], "msg": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = [{"loc": ["body"], "msg": " ".join(exc.messages)}]
    status = 409 if isinstance(exc, directory_services.EditConflict) else 422
    return api.create_response(request, {"detail": detail}, status=status)


def errors(*codes: int) -> dict[int, Any]:
    """The error statuses an operation can answer, all with the same body."""
    return dict.fromkeys(codes, schema.ErrorOut)


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


RELATED_OUT = {"capabilities", "places", "uuid"}


def _filtered(country: str | None, sector: str | None) -> QuerySet[Organisation]:
    queryset = Organisation.objects.all()
    if country:
        queryset = queryset.filter(country=country)
    if sector:
        queryset = queryset.filter(sector=sector)
    return queryset


def _organisation_out(
    organisation: Organisation,
    related: tuple[dict[int, dict[str, str]], dict[int, list[int]]] | None = None,
) -> dict[str, Any]:
    out = {
        field: getattr(organisation, field)
        for field in schema.OrganisationOut.model_fields
        if field not in RELATED_OUT
    }
    capabilities, places = related or directory_services.capabilities_and_places([organisation.pk])
    out["uuid"] = str(organisation.uuid)
    out["capabilities"] = capabilities[organisation.pk]
    out["places"] = places[organisation.pk]
    return out


@api.get("/me", response={200: schema.MeOut, **errors(401)}, tags=["accounts"])
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name(),
        "language": user.language,
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation_name": m.organisation.name,
                "role": m.role,
            }
            for m in memberships
        ],
    }


@api.get(
    "/organisations",
    response={200: schema.OrganisationPage, **errors(422)},
    auth=PUBLIC,
    tags=["directory"],
)
def list_organisations(
    request: HttpRequest,
    after: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    country: Country | None = None,
    sector: Sector | None = None,
) -> dict[str, Any]:
    queryset = _filtered(country, sector)
    page = keyset_page(queryset, order=("name", "id"), cursor=after, size=limit)
    related = directory_services.capabilities_and_places([o.pk for o in page.items])
    return {
        "items": [_organisation_out(o, related) for o in page.items],
        "next": page.next_cursor,
    }


@api.get(
    "/search",
    response={200: schema.SearchOut, **errors(422)},
    auth=PUBLIC,
    tags=["directory"],
)
def search_directory(
    request: HttpRequest,
    q: str = Query("", max_length=500),
    sector: Sector | None = None,
    theme: Theme | None = None,
    capability: CapabilityKind | None = None,
    country: Country | None = None,
    place: int | None = Query(None, ge=1, le=2**31 - 1, description="A place id (and within)."),
    sort: Literal["relevance", "name"] = "relevance",
    page: int = Query(1, ge=1, le=10_000),
) -> dict[str, Any]:
    """Full-text search in sv, nb, da and en, with misspelled names; the count
    and the facets stop at a cap."""
    filters = search.Filters(
        sector=sector or "",
        theme=theme or "",
        capability=capability or "",
        country=country or "",
        place=place,
    )
    results = search.search(q, filters=filters, sort=sort, page=page)
    return {
        "items": [
            {
                "id": hit.organisation.pk,
                "name": hit.organisation.name,
                "country": hit.organisation.country,
                "sector": hit.organisation.sector,
                "places": sorted(p.pk for p in hit.organisation.places),
                "snippet": "".join(piece for piece, _matched in hit.snippet),
                "similar_name": hit.similar_name,
            }
            for hit in results.hits
        ],
        "count": results.count,
        "capped": results.capped,
        "page": results.page,
        "pages": results.pages,
        "facets": {
            name: [{"value": v, "count": c} for v, c in results.facets.get(name, [])]
            for name in ("sector", "theme", "capability", "country")
        },
    }


@api.get(
    "/organisations/{pk}",
    response={200: schema.OrganisationOut, **errors(404, 422)},
    auth=PUBLIC,
    tags=["directory"],
)
def get_organisation(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _organisation_out(get_object_for(_user(request), Organisation, pk=pk))


@api.patch(
    "/organisations/{pk}",
    response={200: schema.OrganisationOut, **errors(400, 401, 403, 404, 409, 422)},
    tags=["directory"],
)
def patch_organisation(
    request: HttpRequest, pk: int, payload: schema.OrganisationPatch
) -> dict[str, Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "edit", pk=pk)
    data = payload.model_dump(exclude_unset=True, exclude={"version"})
    # JSON null empties an optional field (stored as ""); on a required one it
    # fails model validation (422) instead of reaching a NOT NULL column.
    empty: dict[str, Any] = {"themes": [], "capabilities": {}, "places": []}
    data = {
        name: empty[name]
        if value is None and name in empty
        else ""
        if value is None and Organisation._meta.get_field(name).blank
        else value
        for name, value in data.items()
    }
    directory_services.update_organisation(
        organisation=organisation, data=data, by=user, version=payload.version
    )
    organisation.refresh_from_db()
    return _organisation_out(organisation)


@api.get(
    "/organisations/{pk}/members",
    response={200: list[schema.MemberOut], **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def list_members(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    organisation = get_object_for(_user(request), Organisation, "view_members", pk=pk)
    memberships = Membership.objects.filter(organisation=organisation).select_related("user")
    return [
        {
            "id": m.pk,
            "user_id": m.user_id,
            "email": m.user.email,
            "name": m.user.get_full_name(),
            "role": m.role,
        }
        for m in memberships.order_by("id")
    ]


@api.post(
    "/organisations/{pk}/invitations",
    response={201: schema.InvitationOut, **errors(400, 401, 403, 404, 422)},
    tags=["directory"],
)
def invite(request: HttpRequest, pk: int, payload: schema.InvitationIn) -> Status[Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "manage_members", pk=pk)
    invitation, _raw = account_services.invite_member(
        organisation=organisation, email=payload.email, role=payload.role, by=user
    )
    return Status(201, invitation)


def _membership(user: Any, pk: int, membership_pk: int) -> Membership:
    organisation = get_object_for(user, Organisation, "manage_members", pk=pk)
    return get_object_for(
        user,
        Membership.objects.filter(organisation=organisation).select_related("user"),
        pk=membership_pk,
    )


@api.patch(
    "/organisations/{pk}/members/{membership_pk}",
    response={200: schema.MemberOut, **errors(400, 401, 403, 404, 422)},
    tags=["directory"],
)
def change_role(
    request: HttpRequest, pk: int, membership_pk: int, payload: schema.RoleIn
) -> dict[str, Any]:
    user = _user(request)
    membership = account_services.change_member_role(
        membership=_membership(user, pk, membership_pk), role=payload.role, by=user
    )
    return {
        "id": membership.pk,
        "user_id": membership.user_id,
        "email": membership.user.email,
        "name": membership.user.get_full_name(),
        "role": membership.role,
    }


@api.delete(
    "/organisations/{pk}/members/{membership_pk}",
    response={204: None, **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> Status[None]:
    user = _user(request)
    account_services.remove_member(membership=_membership(user, pk, membership_pk), by=user)
    return Status(204, None)


@api.get(
    "/organisations/{pk}/history",
    response={200: list[schema.HistoryOut], **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def organisation_history(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    organisation = get_object_for(_user(request), Organisation, "view_history", pk=pk)
    return [
        {
            "created_at": entry.created_at,
            "actor": entry.actor_label,
            "action": entry.action,
            "data": entry.data,
        }
        for entry in history_for(organisation)[:200]
    ]


@api.get(
    "/organisations/{pk}/entry-doors",
    response={200: list[schema.EntryDoorOut], **errors(404, 422)},
    auth=PUBLIC,
    tags=["directory"],
)
def list_entry_doors(request: HttpRequest, pk: int) -> Any:
    return get_object_for(_user(request), Organisation, pk=pk).entry_doors.all()


@api.post(
    "/organisations/{pk}/entry-doors",
    response={201: schema.EntryDoorOut, **errors(400, 401, 403, 404, 422)},
    tags=["directory"],
)
def add_entry_door(request: HttpRequest, pk: int, payload: schema.EntryDoorIn) -> Status[Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "edit", pk=pk)
    door = directory_services.add_entry_door(
        organisation=organisation, data=payload.model_dump(), by=user
    )
    return Status(201, door)


@api.put(
    "/organisations/{pk}/entry-doors/{door_pk}",
    response={200: schema.EntryDoorOut, **errors(400, 401, 403, 404, 409, 422)},
    tags=["directory"],
)
def change_entry_door(
    request: HttpRequest, pk: int, door_pk: int, payload: schema.EntryDoorChange
) -> Any:
    user = _user(request)
    door = get_object_for(
        user,
        EntryDoor.objects.select_related("organisation"),
        "edit",
        pk=door_pk,
        organisation_id=pk,
    )
    directory_services.update_entry_door(
        door=door, data=payload.model_dump(exclude={"version"}), by=user, version=payload.version
    )
    door.refresh_from_db()
    return door


@api.delete(
    "/organisations/{pk}/entry-doors/{door_pk}",
    response={204: None, **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def remove_entry_door(request: HttpRequest, pk: int, door_pk: int) -> Status[None]:
    user = _user(request)
    door = get_object_for(
        user,
        EntryDoor.objects.select_related("organisation"),
        "delete",
        pk=door_pk,
        organisation_id=pk,
    )
    directory_services.remove_entry_door(door=door, by=user)
    return Status(204, None)


def _suggestion_out(suggestion: Any) -> dict[str, Any]:
    return {
        "id": suggestion.pk,
        "changes": suggestion.changes,
        "based_on": suggestion.based_on,
        "comment": suggestion.comment,
        "status": suggestion.status,
        "created_at": suggestion.created_at,
    }


@api.post(
    "/organisations/{pk}/suggestions",
    response={201: schema.SuggestionOut, **errors(400, 401, 403, 404, 422)},
    tags=["directory"],
)
def suggest_change(request: HttpRequest, pk: int, payload: schema.SuggestionIn) -> Status[Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "suggest", pk=pk)
    unknown = set(payload.changes) - set(stewardship.SUGGESTIBLE_FIELDS)
    if unknown or not all(isinstance(v, str) for v in payload.changes.values()):
        raise DjangoValidationError(
            {"changes": [f"Only text for: {', '.join(stewardship.SUGGESTIBLE_FIELDS)}."]}
        )
    suggestion = stewardship.suggest_change(
        organisation=organisation, by=user, changes=payload.changes, comment=payload.comment
    )
    return Status(201, _suggestion_out(suggestion))


@api.get(
    "/organisations/{pk}/suggestions",
    response={200: list[schema.SuggestionOut], **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def list_suggestions(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    organisation = get_object_for(_user(request), Organisation, "review_suggestions", pk=pk)
    return [_suggestion_out(s) for s in organisation.suggestions.filter(status="pending")]


@api.post(
    "/organisations/{pk}/suggestions/{suggestion_pk}/decision",
    response={200: schema.OrganisationOut, **errors(400, 401, 403, 404, 409, 422)},
    tags=["directory"],
)
def decide_suggestion(
    request: HttpRequest, pk: int, suggestion_pk: int, payload: schema.DecisionIn
) -> dict[str, Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "review_suggestions", pk=pk)
    suggestion = get_object_or_404(organisation.suggestions, pk=suggestion_pk)
    stewardship.decide_suggestion(suggestion=suggestion, accept=payload.accept, by=user)
    organisation.refresh_from_db()
    return _organisation_out(organisation)


@api.post(
    "/organisations/{pk}/claim",
    response={201: schema.ClaimOut, **errors(400, 401, 403, 404, 422)},
    tags=["directory"],
)
def claim_organisation(request: HttpRequest, pk: int, payload: schema.ClaimIn) -> Status[Any]:
    user = _user(request)
    organisation = get_object_for(user, Organisation, "claim", pk=pk)
    claim = stewardship.request_claim(organisation=organisation, by=user, message=payload.message)
    claim.refresh_from_db()
    return Status(
        201, {"id": claim.pk, "status": claim.status, "claimed": claim.status == "accepted"}
    )


# --- Open Referral HSDS 3.0 -------------------------------------------------------


@api.get(
    "/hsds/organizations",
    response={200: schema.HsdsPage, **errors(422)},
    auth=PUBLIC,
    tags=["hsds"],
    summary="Organisations as HSDS 3.0 organizations (paginated)",
)
def hsds_list_organizations(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(50, ge=1, le=100),
    country: Country | None = None,
    sector: Sector | None = None,
) -> dict[str, Any]:
    queryset = _filtered(country, sector)
    return hsds.page_of(queryset, page=page, per_page=per_page)


@api.get(
    "/hsds/organizations/{uuid}",
    response={200: dict[str, Any], **errors(404, 422)},
    auth=PUBLIC,
    tags=["hsds"],
    summary="One organisation as an HSDS 3.0 organization, fully nested",
)
def hsds_get_organization(request: HttpRequest, uuid: UUID) -> dict[str, Any]:
    organisation = get_object_for(
        _user(request), hsds.export_queryset(Organisation.objects.all()), uuid=uuid
    )
    return hsds.organisation_document(organisation)


@api.post(
    "/hsds/organizations",
    response={200: schema.HsdsImportOut, **errors(400, 401, 403, 422)},
    tags=["hsds"],
    summary="Import HSDS 3.0 organizations (platform administrators)",
    description=(
        "One organization (full representation, with services) or a list of them. "
        "All are validated against the HSDS 3.0 schemas, then created or updated "
        "by id or organisation number, all or nothing. 422 lists each problem by JSON path."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"type": "object"},
                            {"type": "array", "items": {"type": "object"}},
                        ]
                    }
                }
            },
        }
    },
)
def hsds_import_organizations(request: HttpRequest) -> Any:
    user = _user(request)
    # No rule is registered for this action: only platform administrators pass.
    require(user, "hsds_import", Organisation())
    try:
        result = hsds.import_organisations(hsds.load(request.body), by=user)
    except hsds.HsdsError as error:
        return api.create_response(
            request, {"detail": [p.as_dict() for p in error.problems]}, status=422
        )
    return result.as_dict()


@api.get(
    "/find-partners",
    response={200: schema.FindPartnersOut, **errors(404, 422)},
    auth=PUBLIC,
    tags=["directory"],
)
def find_partners(request: HttpRequest, query: Query[schema.FindPartnersIn]) -> dict[str, Any]:
    """Organisations ranked for a problem, a place and what is asked, each score
    broken into explained parts (the same as the Find partners page)."""
    where = get_object_or_404(Place, pk=query.place) if query.place is not None else None
    result = matching.find_partners(
        matching.MatchRequest(
            text=query.text,
            place=where,
            country=query.country or "",
            capabilities=tuple(query.capabilities),
            sectors=tuple(query.sectors),
            present_sectors=tuple(query.present_sectors),
            limit=query.limit,
        )
    )
    return {
        "place_id": where.pk if where else None,
        "place": result.place_label,
        "text_themes": result.text_themes,
        "max_points": result.max_points,
        "candidates": result.candidates,
        "capped": result.capped,
        "matches": [
            {
                "organisation_id": m.organisation.pk,
                "name": m.organisation.name,
                "country": m.organisation.country,
                "sector": m.organisation.sector,
                "score": m.score,
                "points": m.points,
                "parts": [vars(p) for p in m.parts],
            }
            for m in result.matches
        ],
    }


# Import and export (issue 5). Importing is for platform administrators:
# the same service functions and checks as the pages.


def _import_job_out(job: Any) -> dict[str, Any]:
    return {
        "id": job.pk,
        "status": job.status,
        "stage": job.options.get("stage", "preview"),
        "filename": job.options.get("filename", ""),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "can_commit": transfer_jobs.can_commit(job),
        "result": job.result or {},
        "not_yet_searchable": transfer_jobs.indexing(job)["not_yet_searchable"],
    }


def _import_job(user: Any, pk: int) -> Any:
    from samverka.core.models import Job

    return get_object_for(user, Job.objects.filter(kind=transfer_jobs.KIND), pk=pk)


@api.post(
    "/imports",
    response={202: schema.ImportJobOut, **errors(401, 403, 422)},
    tags=["directory"],
)
def create_import(request: HttpRequest, file: File[UploadedFile]) -> Status[Any]:
    """Upload a CSV or XLSX file; its preview (a dry run) is queued. Poll the job."""
    user = _user(request)
    if not is_platform_admin(user):
        raise PermissionDenied
    job = transfer_jobs.start_import(upload=file, by=user, language=request.LANGUAGE_CODE)
    job.refresh_from_db()
    return Status(202, _import_job_out(job))


@api.get(
    "/imports/{pk}",
    response={200: schema.ImportJobOut, **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def get_import(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Progress, then the preview's counts and per-row errors, then the result."""
    from samverka.core.jobs import checked

    return _import_job_out(checked(_import_job(_user(request), pk)))


@api.post(
    "/imports/{pk}/commit",
    response={202: schema.ImportJobOut, **errors(401, 403, 404, 422)},
    tags=["directory"],
)
def commit_import(request: HttpRequest, pk: int) -> Status[Any]:
    """Import a previewed file without errors: all rows in one transaction, or none."""
    user = _user(request)
    job = transfer_jobs.commit_import(job=_import_job(user, pk), by=user)
    job.refresh_from_db()
    return Status(202, _import_job_out(job))


@api.get(
    "/exports/organisations",
    response={200: None, **errors(401, 403, 422)},
    tags=["directory"],
    openapi_extra={
        "responses": {200: {"description": "CSV, UTF-8 with BOM", "content": {"text/csv": {}}}}
    },
)
def export_organisations(
    request: HttpRequest,
    country: Country | None = None,
    sector: Sector | None = None,
    semicolon: bool = False,
) -> HttpResponse:
    """The directory (filtered) as CSV in the import's columns; streamed."""
    if not transfer_views.may_export(_user(request)):
        raise PermissionDenied
    queryset = Organisation.objects.all()
    if country:
        queryset = queryset.filter(country=country)
    if sector:
        queryset = queryset.filter(sector=sector)
    return transfer_views.export_response(queryset, format="csv", semicolon=semicolon)


def _advisor_point(point: advisor.Point) -> dict[str, Any]:
    return {
        "text": str(point.text),
        "sources": [{"title": s.title, "url": s.url, "lang": s.lang} for s in point.sources],
    }


@api.post(
    "/advisor",
    response={200: schema.AdvisorOut, **errors(400, 403, 422)},
    auth=PUBLIC,
    tags=["partnerships"],
)
def advisor_forms(request: HttpRequest, answers: schema.AdvisorIn) -> dict[str, Any]:
    """The model advisor: forms of collaboration ranked for the answers, each with
    reasons, cautions and sources, in the request's language. Guidance, not legal advice."""
    given = advisor.Answers(**answers.dict())
    return {
        "language": get_language(),
        "notice": gettext("This is guidance, not legal advice."),
        "recommendations": [
            {
                "form": r.form,
                "score": r.score,
                "name": str(r.name),
                "summary": str(r.summary),
                "reasons": [_advisor_point(p) for p in r.reasons],
                "cautions": [_advisor_point(p) for p in r.cautions],
            }
            for r in advisor.advise(given)
        ],
        "not_available": [
            {"form": form.code, "name": str(form.name), "reason": str(reason)}
            for form, reason in advisor.not_available(given)
        ],
    }


# Routers of other apps, mounted last: they import from this package.
from samverka.api.agreements import router as agreements_router  # noqa: E402
from samverka.api.partnerships import router as partnerships_router  # noqa: E402

api.add_router("/partnerships", partnerships_router)
api.add_router("", agreements_router)
