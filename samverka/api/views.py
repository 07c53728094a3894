# SPDX-License-Identifier: AGPL-3.0-or-later
"""The REST API. It calls the same services and permission layer as the pages."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.security import HttpBearer, SessionAuth

from samverka.accounts import services as account_services
from samverka.accounts.models import ApiToken, Membership
from samverka.api import schema
from samverka.core.audit import history_for
from samverka.core.pagination import keyset_page
from samverka.core.permissions import get_object_for
from samverka.directory import services as directory_services
from samverka.directory.models import Country, EntryDoor, Organisation, Sector


class TokenAuth(HttpBearer):
    """Authorization: Bearer <personal API token>."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for_key(token)
        if user is not None:
            request.user = user
        return user


def anonymous(request: HttpRequest) -> Any:
    """Lets public endpoints answer without credentials, as the pages do."""
    request.user = AnonymousUser()
    return request.user


class LoggedInSession(SessionAuth):
    """The browser session. Without a logged-in user it does not apply at all,
    so an anonymous write gets 401, not a confusing CSRF failure."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTHENTICATED = [TokenAuth(), LoggedInSession()]
PUBLIC = [*AUTHENTICATED, anonymous]

api = NinjaAPI(
    title="Samverka API",
    version="1",
    description=(
        "Authenticate with a browser session or a personal API token "
        "(Authorization: Bearer …, created under Profile → API tokens). "
        "The same permission rules apply as on the pages."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=AUTHENTICATED,
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Permission denied"}, status=403)


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


def _organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {field: getattr(organisation, field) for field in schema.OrganisationOut.model_fields}


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
    queryset = Organisation.objects.all()
    if country:
        queryset = queryset.filter(country=country)
    if sector:
        queryset = queryset.filter(sector=sector)
    page = keyset_page(queryset, order=("name", "id"), cursor=after, size=limit)
    return {"items": [_organisation_out(o) for o in page.items], "next": page.next_cursor}


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
    data = {
        name: "" if value is None and Organisation._meta.get_field(name).blank else value
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
