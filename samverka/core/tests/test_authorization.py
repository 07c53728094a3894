# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every URL and every API operation, checked against a declared access table.

A new URL or API operation without an entry here fails
test_it_declares_every_url / test_it_declares_every_api_operation.
Outcomes: OK (allowed), LOGIN (sent to log in / 401), DENY (403 or 404).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from samverka.accounts.models import ApiToken, Membership
from samverka.accounts.services import create_api_token, invite_member
from samverka.api.views import api
from samverka.directory.services import add_entry_door

ROLES = [
    "anonymous",
    "outsider",  # logged in, no organisation
    "other_member",  # member (admin) of another organisation
    "member",
    "coordinator",
    "org_admin",
    "platform_admin",
]
OK, LOGIN, DENY = "ok", "login", "deny"


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def logged_in(outcome: str) -> dict[str, str]:
    return {**everyone(outcome), "anonymous": LOGIN}


MEMBERS_ONLY = {
    **logged_in(DENY),
    "member": OK,
    "coordinator": OK,
    "org_admin": OK,
    "platform_admin": OK,
}
ADMINS_ONLY = {**logged_in(DENY), "org_admin": OK, "platform_admin": OK}
TOKEN_OWNER = {**logged_in(DENY), "org_admin": OK, "platform_admin": OK}


@dataclass
class Case:
    method: str
    expect: dict[str, str]
    kwargs: Callable[[Any], dict[str, Any]] = lambda cast: {}
    data: Callable[[Any], dict[str, Any]] = lambda cast: {}
    json: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def org(cast: Any) -> dict[str, Any]:
    return {"pk": cast.municipality.pk}


def member_of_org(cast: Any) -> dict[str, Any]:
    membership = Membership.objects.get(user=cast.member, organisation=cast.municipality)
    return {"pk": cast.municipality.pk, "membership_pk": membership.pk}


def entry_door(cast: Any) -> dict[str, Any]:
    door = add_entry_door(
        organisation=cast.municipality,
        data={"topic": "Samverkan", "who": "Enheten", "email": "in@goteborg.example"},
        by=cast.org_admin,
    )
    return {"pk": cast.municipality.pk, "door_pk": door.pk}


def admins_token(cast: Any) -> dict[str, Any]:
    token, _raw = create_api_token(user=cast.org_admin, name="script")
    return {"pk": token.pk}


def invitation_token(cast: Any) -> dict[str, Any]:
    _invitation, raw = invite_member(
        organisation=cast.municipality, email="new@example.org", role="member", by=cast.org_admin
    )
    return {"token": raw}


PAGES: dict[str, Case] = {
    "core:home": Case("get", everyone(OK)),
    "core:set_language": Case("post", everyone(OK), data=lambda c: {"language": "sv"}),
    "core:healthz": Case("get", everyone(OK)),
    "core:ping": Case("get", everyone(OK)),
    "accounts:login": Case("get", everyone(OK)),
    "accounts:logout": Case("post", everyone(OK)),
    "accounts:profile": Case("get", logged_in(OK)),
    "accounts:tokens": Case("get", logged_in(OK)),
    "accounts:token_delete": Case("post", TOKEN_OWNER, kwargs=admins_token),
    "accounts:privacy": Case("get", logged_in(OK)),
    "accounts:privacy_export": Case("get", logged_in(OK)),
    "accounts:privacy_erase": Case(
        "post", logged_in(OK), data=lambda c: {"password": c.PASSWORD, "confirm": "on"}
    ),
    "accounts:invitation": Case("get", everyone(OK), kwargs=invitation_token),
    "directory:organisations": Case("get", everyone(OK)),
    "directory:organisation": Case("get", everyone(OK), kwargs=org),
    "directory:edit": Case("get", ADMINS_ONLY, kwargs=org),
    "directory:members": Case("get", MEMBERS_ONLY, kwargs=org),
    "directory:member_role": Case(
        "post", ADMINS_ONLY, kwargs=member_of_org, data=lambda c: {"role": "coordinator"}
    ),
    "directory:member_remove": Case("post", ADMINS_ONLY, kwargs=member_of_org),
    "directory:history": Case("get", MEMBERS_ONLY, kwargs=org),
    "directory:entry_doors": Case("get", ADMINS_ONLY, kwargs=org),
    "directory:entry_door_edit": Case("get", ADMINS_ONLY, kwargs=entry_door),
    "directory:entry_door_delete": Case("post", ADMINS_ONLY, kwargs=entry_door),
}

API: dict[str, Case] = {
    "GET /api/me": Case("get", logged_in(OK)),
    "GET /api/organisations": Case("get", everyone(OK)),
    "GET /api/organisations/{pk}": Case("get", everyone(OK), kwargs=org),
    "PATCH /api/organisations/{pk}": Case(
        "patch",
        ADMINS_ONLY,
        kwargs=org,
        data=lambda c: {"version": 1, "description": "Ny text."},
        json=True,
    ),
    "GET /api/organisations/{pk}/members": Case("get", MEMBERS_ONLY, kwargs=org),
    "POST /api/organisations/{pk}/invitations": Case(
        "post", ADMINS_ONLY, kwargs=org, data=lambda c: {"email": "x@example.org"}, json=True
    ),
    "PATCH /api/organisations/{pk}/members/{membership_pk}": Case(
        "patch", ADMINS_ONLY, kwargs=member_of_org, data=lambda c: {"role": "admin"}, json=True
    ),
    "DELETE /api/organisations/{pk}/members/{membership_pk}": Case(
        "delete", ADMINS_ONLY, kwargs=member_of_org
    ),
    "GET /api/organisations/{pk}/history": Case("get", MEMBERS_ONLY, kwargs=org),
    "GET /api/organisations/{pk}/entry-doors": Case("get", everyone(OK), kwargs=org),
    "POST /api/organisations/{pk}/entry-doors": Case(
        "post",
        ADMINS_ONLY,
        kwargs=org,
        data=lambda c: {"topic": "Praktik", "who": "HR", "phone": "+46 31 00 00 00"},
        json=True,
    ),
    "DELETE /api/organisations/{pk}/entry-doors/{door_pk}": Case(
        "delete", ADMINS_ONLY, kwargs=entry_door
    ),
}


def walk(resolvers: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((prefix + entry.name, entry))
    return found


def all_url_names() -> dict[str, URLPattern]:
    return dict(walk(get_resolver().url_patterns))


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} /api{path.removeprefix('/api')}"
        for path, methods in schema["paths"].items()
        for method in methods
    }


def login_as(client: Any, cast: Any, role: str) -> None:
    if role != "anonymous":
        client.force_login(getattr(cast, role))


def outcome_of(response: Any, *, api_call: bool) -> str:
    if api_call:
        if response.status_code == 401:
            return LOGIN
        if response.status_code in (403, 404):
            return DENY
        return OK if response.status_code < 300 else f"HTTP {response.status_code}"
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    if response.status_code in (403, 404):
        return DENY
    if response.status_code in (200, 302):
        return OK
    return f"HTTP {response.status_code}"


def test_it_declares_every_url():
    pages = {name for name in all_url_names() if not name.startswith(("admin:", "api:"))}
    assert pages == set(PAGES), (
        f"undeclared: {sorted(pages - set(PAGES))}; stale: {sorted(set(PAGES) - pages)}"
    )


def test_it_declares_every_api_operation():
    operations = api_operations()
    assert operations == set(API), (
        f"undeclared: {sorted(operations - set(API))}; stale: {sorted(set(API) - operations)}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_access(client, cast, name, role):
    case = PAGES[name]
    url = reverse(name, kwargs=case.kwargs(cast))
    login_as(client, cast, role)
    response = getattr(client, case.method)(url, case.data(cast))
    assert outcome_of(response, api_call=False) == case.expect[role], (
        f"{role} {case.method.upper()} {url}: {response.status_code}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_access(client, cast, operation, role):
    case = API[operation]
    kwargs = case.kwargs(cast)
    url = re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), operation.split(" ", 1)[1])
    login_as(client, cast, role)
    data = case.data(cast)
    if case.json:
        response = getattr(client, case.method)(url, data, content_type="application/json")
    else:
        response = getattr(client, case.method)(url, data)
    assert outcome_of(response, api_call=True) == case.expect[role], (
        f"{role} {operation}: {response.status_code} {response.content[:200]!r}"
    )


@pytest.mark.parametrize("role", ["anonymous", "outsider"])
def test_api_token_acts_as_its_owner_only(client, cast, role):
    _token, raw = create_api_token(user=cast.org_admin, name="script")
    url = f"/api/organisations/{cast.municipality.pk}/members"
    login_as(client, cast, role)
    assert client.get(url, headers={"authorization": f"Bearer {raw}"}).status_code == 200
    assert client.get(url, headers={"authorization": "Bearer sv_wrong"}).status_code in (401, 403)
    assert ApiToken.objects.count() == 1


def _admin_kwargs(pattern: URLPattern) -> dict[str, Any]:
    names = list(pattern.pattern.regex.groupindex)
    converters = getattr(pattern.pattern, "converters", {})
    values = {}
    for key in names:
        if key == "app_label":
            values[key] = "directory"
        elif type(converters.get(key)).__name__ == "IntConverter":
            values[key] = 1
        else:
            values[key] = "1"
    return values


ADMIN_PUBLIC = {"admin:login", "admin:logout"}


@pytest.mark.parametrize("role", ["anonymous", "outsider", "org_admin", "platform_admin"])
def test_admin_site_is_for_platform_admins_only(client, cast, role):
    login_as(client, cast, role)
    checked = 0
    for name, pattern in all_url_names().items():
        if not name.startswith("admin:") or name in ADMIN_PUBLIC:
            continue
        url = reverse(name, kwargs=_admin_kwargs(pattern))
        response = client.get(url)
        if role == "platform_admin":
            assert response.status_code < 500, f"{url}: {response.status_code}"
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (
                f"{role} reached {url}: {response.status_code}"
            )
        checked += 1
    assert checked > 20
