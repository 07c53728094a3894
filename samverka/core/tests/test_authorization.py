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
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import ApiToken, Membership
from samverka.accounts.services import create_api_token, invite_member
from samverka.api.views import api
from samverka.directory import hsds
from samverka.directory.models import Organisation
from samverka.directory.services import add_entry_door, create_organisation
from samverka.directory.stewardship import request_claim, suggest_change
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import PartnershipMember
from samverka.partnerships.services import create_partnership, invite_organisation, respond

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


def current_totp(user: Any) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"


SUGGESTERS = {**logged_in(OK), "org_admin": DENY}  # admins edit directly
PLATFORM_ONLY = {**logged_in(DENY), "platform_admin": OK}


def _import_file() -> Any:
    import io

    file = io.BytesIO("name;country;sector\nFörening;SE;other\n".encode())
    file.name = "orgs.csv"
    return file


def import_job_to_commit(cast: Any) -> dict[str, Any]:
    kwargs = import_job(cast)
    from samverka.core.models import Job

    # A committable preview still has its upload (the name is enough: only
    # who may commit is tested here).
    Job.objects.filter(pk=kwargs["pk"]).update(
        result={"rows": 1, "created": 1, "updated": 0, "unchanged": 0, "error_count": 0},
        upload="jobs/orgs.csv",
    )
    return kwargs


def import_job(cast: Any) -> dict[str, Any]:
    from samverka.core.models import Job

    job = Job.objects.create(
        kind="directory.import",
        created_by=cast.platform_admin,
        status="done",
        options={"stage": "preview", "filename": "orgs.csv"},
        result={"rows": 1, "created": 0, "updated": 0, "unchanged": 1, "error_count": 0},
    )
    return {"pk": job.pk}


def suggestion(cast: Any) -> dict[str, Any]:
    made = suggest_change(
        organisation=cast.municipality, by=cast.outsider, changes={"description": "Ny."}
    )
    return {"pk": cast.municipality.pk, "suggestion_pk": made.pk}


def unclaimed(cast: Any) -> dict[str, Any]:
    organisation = create_organisation(
        by=cast.outsider, name="Grannföreningen", country="SE", sector="residents_association"
    )
    return {"pk": organisation.pk}


def claim_request(cast: Any) -> dict[str, Any]:
    claim = request_claim(
        organisation=Organisation.objects.get(**unclaimed(cast)),
        by=cast.outsider,
        message="Ordförande.",
    )
    return {"claim_pk": claim.pk}


def a_partnership(cast: Any) -> Any:
    load_checklist()
    return create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Trygghet", problem_statement="Otrygghet."
    )


def partnership(cast: Any) -> dict[str, Any]:
    return {"pk": a_partnership(cast).pk}


def partnership_step(cast: Any) -> dict[str, Any]:
    return {"pk": a_partnership(cast).pk, "number": 1}


def partnership_statement(cast: Any) -> dict[str, Any]:
    return {"pk": a_partnership(cast).pk, "kind": "problem"}


def invited_ngo(cast: Any) -> dict[str, Any]:
    made = a_partnership(cast)
    member = invite_organisation(
        partnership=made, organisation=cast.ngo, role="partner", by=cast.org_admin
    )
    return {"pk": made.pk, "member_pk": member.pk}


def joined_ngo(cast: Any) -> dict[str, Any]:
    kwargs = invited_ngo(cast)
    respond(
        member=PartnershipMember.objects.get(pk=kwargs["member_pk"]),
        accept=True,
        by=cast.other_member,
    )
    return kwargs


def an_agreement(cast: Any, partnership: Any = None) -> Any:
    from samverka.agreements.models import AgreementTemplate
    from samverka.agreements.services import create_agreement

    return create_agreement(
        partnership=partnership or a_partnership(cast),
        template=AgreementTemplate.objects.get(code="iop"),
        by=cast.org_admin,
    )


def agreement(cast: Any) -> dict[str, Any]:
    return {"pk": an_agreement(cast).pk}


def agreement_version(cast: Any) -> dict[str, Any]:
    return {"pk": an_agreement(cast).pk, "number": 1}


def agreement_document(cast: Any) -> dict[str, Any]:
    return {"pk": an_agreement(cast).pk, "number": 1, "kind": "pdf"}


def agreement_in_review(cast: Any) -> dict[str, Any]:
    """Both organisations are parties; the agreement is complete and in review."""
    from samverka.agreements.services import save_agreement, submit_for_review
    from samverka.agreements.tests.conftest import complete_changes
    from samverka.partnerships.models import Partnership

    made = an_agreement(cast, Partnership.objects.get(pk=joined_ngo(cast)["pk"]))
    save_agreement(
        agreement=made, changes=complete_changes(made), by=cast.org_admin, base_version=1
    )
    submit_for_review(agreement=made, by=cast.org_admin)
    return {"pk": made.pk}


def agreement_complete(cast: Any) -> dict[str, Any]:
    """Both organisations are parties; the agreement is complete, still a draft."""
    from samverka.agreements.services import save_agreement
    from samverka.agreements.tests.conftest import complete_changes
    from samverka.partnerships.models import Partnership

    made = an_agreement(cast, Partnership.objects.get(pk=joined_ngo(cast)["pk"]))
    save_agreement(
        agreement=made, changes=complete_changes(made), by=cast.org_admin, base_version=1
    )
    return {"pk": made.pk}


def approval_of_current_version(cast: Any) -> dict[str, Any]:
    from samverka.agreements.models import Agreement

    made = Agreement.objects.get()
    current = made.versions.get(number=made.version)
    return {
        "organisation": cast.municipality.pk,
        "version": current.number,
        "content_hash": current.content_hash,
        "signatory": "Erik Testsson, förvaltningschef",
    }


# A partnership private to its members, led by the municipality.
PARTNERSHIP_MEMBERS = {
    **everyone(DENY),
    "member": OK,
    "coordinator": OK,
    "org_admin": OK,
    "platform_admin": OK,
}
PARTNERSHIP_MEMBERS_LOGIN = {**PARTNERSHIP_MEMBERS, "anonymous": LOGIN}
RUNS_PARTNERSHIP = {**logged_in(DENY), "coordinator": OK, "org_admin": OK, "platform_admin": OK}
NGO_ACTS = {**logged_in(DENY), "other_member": OK, "platform_admin": OK}


PAGES: dict[str, Case] = {
    "core:home": Case("get", everyone(OK)),
    "core:set_language": Case("post", everyone(OK), data=lambda c: {"language": "sv"}),
    "core:healthz": Case("get", everyone(OK)),
    "core:ping": Case("get", everyone(OK)),
    # The API's schema and its Swagger UI page, public like the public operations.
    "api:openapi-json": Case("get", everyone(OK)),
    "api:openapi-view": Case("get", everyone(OK)),
    "accounts:login": Case("get", everyone(OK)),
    "accounts:logout": Case("post", everyone(OK)),
    # Without a password step to finish, anonymous people are sent to log in.
    "accounts:two_factor_login": Case("get", logged_in(OK)),
    "accounts:two_factor": Case("get", logged_in(OK)),
    # Only the platform admin has two-factor on; the others are sent to set it up.
    "accounts:two_factor_disable": Case(
        "post", logged_in(OK), data=lambda c: {"code": current_totp(c.platform_admin)}
    ),
    "accounts:password_reset": Case("get", everyone(OK)),
    "accounts:password_reset_done": Case("get", everyone(OK)),
    # A made-up link: the page that says it cannot be used.
    "accounts:password_reset_confirm": Case(
        "get", everyone(OK), kwargs=lambda c: {"uidb64": "MQ", "token": "abc-def"}
    ),
    "accounts:password_reset_complete": Case("get", everyone(OK)),
    "accounts:password_change": Case("get", logged_in(OK)),
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
    "directory:import": Case("get", PLATFORM_ONLY),
    "directory:import_template": Case("get", PLATFORM_ONLY),
    "directory:import_job": Case("get", PLATFORM_ONLY, kwargs=import_job),
    # The job has nothing to commit: the platform admin is sent back to it (302).
    "directory:import_commit": Case("post", PLATFORM_ONLY, kwargs=import_job),
    "directory:export": Case("get", logged_in(OK)),
    "directory:search": Case("get", everyone(OK), data=lambda c: {"q": "kommunen"}),
    "directory:find_partners": Case("get", everyone(OK), data=lambda c: {"text": "praktik"}),
    "directory:hsds_export": Case("get", everyone(OK)),
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
    "directory:places": Case("get", ADMINS_ONLY, kwargs=org),
    "directory:suggest": Case("get", SUGGESTERS, kwargs=org),
    "directory:suggestions": Case("get", ADMINS_ONLY, kwargs=org),
    "directory:suggestion_decide": Case(
        "post", ADMINS_ONLY, kwargs=suggestion, data=lambda c: {"decision": "reject"}
    ),
    "directory:claim": Case("get", logged_in(OK), kwargs=unclaimed),
    "directory:claims": Case("get", PLATFORM_ONLY),
    "partnerships:list": Case("get", everyone(OK)),
    "partnerships:advisor": Case(
        "post",
        everyone(OK),
        data=lambda c: {
            "country": "SE",
            "sectors": ["municipality", "police"],
            "scope": "place",
            "horizon": "long_term",
            "buys_service": "no",
            "own_resources": "no",
            "tests_concepts": "no",
            "owners_central": "no",
            "police": "yes",
        },
    ),
    "partnerships:create": Case(
        "get", {**logged_in(DENY), "other_member": OK, "coordinator": OK, "org_admin": OK}
    ),
    "partnerships:partnership": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "partnerships:timeline": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "partnerships:edit": Case("get", RUNS_PARTNERSHIP, kwargs=partnership),
    "partnerships:status": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership, data=lambda c: {"to": "ended"}
    ),
    "partnerships:members": Case("get", PARTNERSHIP_MEMBERS_LOGIN, kwargs=partnership),
    "partnerships:respond": Case(
        "post", NGO_ACTS, kwargs=invited_ngo, data=lambda c: {"answer": "decline"}
    ),
    "partnerships:leave": Case("post", NGO_ACTS, kwargs=joined_ngo),
    "partnerships:checklist": Case("get", PARTNERSHIP_MEMBERS_LOGIN, kwargs=partnership),
    "partnerships:step_complete": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership_step, data=lambda c: {"note": "Klart."}
    ),
    "partnerships:step_reopen": Case("post", RUNS_PARTNERSHIP, kwargs=partnership_step),
    "partnerships:consensus": Case("get", PARTNERSHIP_MEMBERS_LOGIN, kwargs=partnership),
    "partnerships:revise": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership_statement, data=lambda c: {"text": "Ny."}
    ),
    "partnerships:answer": Case(
        "post",
        # Platform administrators answer for no organisation.
        {**RUNS_PARTNERSHIP, "platform_admin": DENY},
        kwargs=partnership_statement,
        data=lambda c: {"organisation": c.municipality.pk, "agrees": "yes"},
    ),
    "partnerships:choose_form": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership, data=lambda c: {"form": "iop"}
    ),
    "partnerships:residents": Case("get", PARTNERSHIP_MEMBERS_LOGIN, kwargs=partnership),
    "partnerships:mandates": Case("get", PARTNERSHIP_MEMBERS_LOGIN, kwargs=partnership),
    "agreements:list": Case(
        "get", PARTNERSHIP_MEMBERS, kwargs=lambda c: {"partnership_pk": partnership(c)["pk"]}
    ),
    "agreements:agreement": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement),
    "agreements:versions": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement),
    "agreements:version": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement_version),
    "agreements:document": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement_document),
    "agreements:edit": Case("get", RUNS_PARTNERSHIP, kwargs=agreement),
    "agreements:check": Case("post", RUNS_PARTNERSHIP, kwargs=agreement),
    "agreements:contributions": Case("get", RUNS_PARTNERSHIP, kwargs=agreement),
    "agreements:principles": Case("get", RUNS_PARTNERSHIP, kwargs=agreement),
    "agreements:status": Case(
        "post", RUNS_PARTNERSHIP, kwargs=agreement, data=lambda c: {"to": "in_review"}
    ),
    # The NGO is a party here: its administrator approves for it.
    "agreements:approve": Case(
        "post", {**RUNS_PARTNERSHIP, "other_member": OK}, kwargs=agreement_in_review
    ),
    "directory:claim_decide": Case(
        "post", PLATFORM_ONLY, kwargs=claim_request, data=lambda c: {"decision": "reject"}
    ),
}

API: dict[str, Case] = {
    "GET /api/partnerships": Case("get", everyone(OK)),
    "POST /api/partnerships": Case(
        "post",
        {**logged_in(DENY), "coordinator": OK, "org_admin": OK},
        data=lambda c: {"lead_id": c.municipality.pk, "name": "Trygghet"},
        json=True,
    ),
    "GET /api/partnerships/{pk}": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "PATCH /api/partnerships/{pk}": Case(
        "patch",
        RUNS_PARTNERSHIP,
        kwargs=partnership,
        data=lambda c: {"version": 1, "form": "iop"},
        json=True,
    ),
    "POST /api/partnerships/{pk}/members": Case(
        "post",
        RUNS_PARTNERSHIP,
        kwargs=partnership,
        data=lambda c: {"organisation_id": c.ngo.pk},
        json=True,
    ),
    "POST /api/partnerships/{pk}/members/{member_pk}/response": Case(
        "post", NGO_ACTS, kwargs=invited_ngo, data=lambda c: {"accept": False}, json=True
    ),
    "POST /api/partnerships/{pk}/members/{member_pk}/leave": Case(
        "post", NGO_ACTS, kwargs=joined_ngo
    ),
    "GET /api/partnerships/{pk}/checklist": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "POST /api/partnerships/{pk}/checklist/{number}": Case(
        "post",
        RUNS_PARTNERSHIP,
        kwargs=partnership_step,
        data=lambda c: {"note": "Klart."},
        json=True,
    ),
    "DELETE /api/partnerships/{pk}/checklist/{number}": Case(
        "delete", RUNS_PARTNERSHIP, kwargs=partnership_step
    ),
    "POST /api/partnerships/{pk}/statements/{kind}": Case(
        "post",
        RUNS_PARTNERSHIP,
        kwargs=partnership_statement,
        data=lambda c: {"text": "Ny."},
        json=True,
    ),
    "POST /api/partnerships/{pk}/statements/{kind}/answers": Case(
        "post",
        {**RUNS_PARTNERSHIP, "platform_admin": DENY},
        kwargs=partnership_statement,
        data=lambda c: {"organisation_id": c.municipality.pk, "agrees": True},
        json=True,
    ),
    "POST /api/partnerships/{pk}/involvements": Case(
        "post",
        {**RUNS_PARTNERSHIP, "member": DENY},
        kwargs=partnership,
        data=lambda c: {"kind": "walk", "held_on": "2026-05-01", "residents_reached": 12},
        json=True,
    ),
    "POST /api/partnerships/{pk}/mandates": Case(
        "post",
        {**RUNS_PARTNERSHIP, "platform_admin": DENY},
        kwargs=partnership,
        data=lambda c: {
            "organisation_id": c.municipality.pk,
            "body": "Kommunstyrelsen",
            "decided_on": "2026-04-01",
        },
        json=True,
    ),
    "POST /api/partnerships/{pk}/status": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership, data=lambda c: {"to": "ended"}, json=True
    ),
    "GET /api/partnerships/{pk}/timeline": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "GET /api/agreement-templates": Case("get", everyone(OK)),
    "GET /api/partnerships/{pk}/agreements": Case("get", PARTNERSHIP_MEMBERS, kwargs=partnership),
    "POST /api/partnerships/{pk}/agreements": Case(
        "post", RUNS_PARTNERSHIP, kwargs=partnership, data=lambda c: {"template": "iop"}, json=True
    ),
    "GET /api/agreements/{pk}": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement),
    "PUT /api/agreements/{pk}": Case(
        "put",
        RUNS_PARTNERSHIP,
        kwargs=agreement,
        data=lambda c: {"version": 1, "title": "Ny titel"},
        json=True,
    ),
    "GET /api/agreements/{pk}/versions": Case("get", PARTNERSHIP_MEMBERS, kwargs=agreement),
    "GET /api/agreements/{pk}/versions/{number}": Case(
        "get", PARTNERSHIP_MEMBERS, kwargs=agreement_version
    ),
    # Two versions; the NGO is a party, so its administrator reads them too.
    "GET /api/agreements/{pk}/compare": Case(
        "get",
        {**PARTNERSHIP_MEMBERS, "other_member": OK},
        kwargs=agreement_complete,
        data=lambda c: {"a": 1, "b": 2},
    ),
    # For the municipality: the NGO's administrator and platform admins act for
    # other organisations.
    "POST /api/agreements/{pk}/approve": Case(
        "post",
        {**RUNS_PARTNERSHIP, "platform_admin": DENY},
        kwargs=agreement_in_review,
        data=approval_of_current_version,
        json=True,
    ),
    # Any party sends a complete draft for review.
    "POST /api/agreements/{pk}/status": Case(
        "post",
        {**RUNS_PARTNERSHIP, "other_member": OK},
        kwargs=agreement_complete,
        data=lambda c: {"to": "in_review"},
        json=True,
    ),
    "POST /api/advisor": Case(
        "post",
        everyone(OK),
        data=lambda c: {"country": "DK", "sectors": ["public_housing"]},
        json=True,
    ),
    "GET /api/me": Case("get", logged_in(OK)),
    "GET /api/organisations": Case("get", everyone(OK)),
    "POST /api/imports": Case("post", PLATFORM_ONLY, data=lambda c: {"file": _import_file()}),
    "GET /api/imports/{pk}": Case("get", PLATFORM_ONLY, kwargs=import_job),
    "POST /api/imports/{pk}/commit": Case("post", PLATFORM_ONLY, kwargs=import_job_to_commit),
    "GET /api/exports/organisations": Case("get", logged_in(OK)),
    "GET /api/search": Case("get", everyone(OK), data=lambda c: {"q": "kommunen"}),
    "GET /api/find-partners": Case("get", everyone(OK), data=lambda c: {"text": "praktik"}),
    "GET /api/hsds/organizations": Case("get", everyone(OK)),
    "GET /api/hsds/organizations/{uuid}": Case(
        "get", everyone(OK), kwargs=lambda c: {"uuid": c.municipality.uuid}
    ),
    # Only platform administrators import (no rule: deny by default).
    "POST /api/hsds/organizations": Case(
        "post",
        {**logged_in(DENY), "platform_admin": OK},
        data=lambda c: hsds.organisation_document(c.municipality),
        json=True,
    ),
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
    "PUT /api/organisations/{pk}/entry-doors/{door_pk}": Case(
        "put",
        ADMINS_ONLY,
        kwargs=entry_door,
        data=lambda c: {"topic": "Praktik", "who": "HR", "phone": "+46 31 00 00 00", "version": 1},
        json=True,
    ),
    "DELETE /api/organisations/{pk}/entry-doors/{door_pk}": Case(
        "delete", ADMINS_ONLY, kwargs=entry_door
    ),
    "POST /api/organisations/{pk}/suggestions": Case(
        "post",
        SUGGESTERS,
        kwargs=org,
        data=lambda c: {"changes": {"description": "Ny."}},
        json=True,
    ),
    "GET /api/organisations/{pk}/suggestions": Case("get", ADMINS_ONLY, kwargs=org),
    "POST /api/organisations/{pk}/suggestions/{suggestion_pk}/decision": Case(
        "post", ADMINS_ONLY, kwargs=suggestion, data=lambda c: {"accept": False}, json=True
    ),
    "POST /api/organisations/{pk}/claim": Case(
        "post",
        logged_in(OK),
        kwargs=unclaimed,
        data=lambda c: {"message": "Ordförande."},
        json=True,
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
    # API operations are checked in test_it_declares_every_api_operation; the
    # schema and docs pages are pages.
    pages = {
        name
        for name in all_url_names()
        if not name.startswith(("admin:", "api:")) or name.startswith("api:openapi-")
    }
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
