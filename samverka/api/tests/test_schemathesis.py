# SPDX-License-Identifier: AGPL-3.0-or-later
"""Fuzz the API against its own OpenAPI schema, in-process and offline.

Schemathesis generates valid and invalid requests for every operation and
checks that each answer is documented: no 5xx, a declared status code, a
declared content type and a body that matches the declared schema.
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samverka.accounts.models import Membership
from samverka.accounts.services import create_api_token
from samverka.core.models import LogEntry
from samverka.core.pagination import encode
from samverka.directory.models import Organisation
from samverka.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
PUBLIC = {
    "samverka_api_views_list_organisations",
    "samverka_api_views_get_organisation",
    "samverka_api_views_list_entry_doors",
    "samverka_api_views_hsds_list_organizations",
    "samverka_api_views_hsds_get_organization",
    "samverka_api_views_find_partners",
    "samverka_api_views_search_directory",
    "samverka_api_views_advisor_forms",
    "samverka_api_partnerships_list_partnerships",
    "samverka_api_partnerships_get_partnership",
    "samverka_api_partnerships_get_checklist",
    "samverka_api_partnerships_timeline",
    "samverka_api_agreements_list_agreement_templates",
    "samverka_api_agreements_list_agreements",
    "samverka_api_agreements_get_agreement",
    "samverka_api_agreements_list_versions",
    "samverka_api_agreements_get_version",
    "samverka_api_agreements_compare_versions",
}


@pytest.fixture
def in_process():
    """Keep the test's connection open across in-process WSGI requests.

    The WSGI handler closes "old" connections when a request ends; Django's own
    test client turns that off, and so must we, or the test transaction breaks.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(cast):
    _token, raw = create_api_token(user=cast.org_admin, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


# None: send the generated ids as they are (mostly 404s); 0-2: aim at the
# municipality and one of its three memberships (admin, coordinator, member).
AIM = st.none() | st.integers(0, 2)


def _aim_at_real_records(case, cast, aim):
    """Point the generated case at the cast's records, so the fuzzer also gets
    past the 404 and exercises permissions, validation and writes."""
    if aim is None:
        return
    params = case.path_parameters or {}
    if "pk" in params:
        params["pk"] = cast.municipality.pk
    if "membership_pk" in params:
        memberships = Membership.objects.filter(organisation=cast.municipality).order_by("pk")
        params["membership_pk"] = memberships[aim].pk
    if (
        case.method.upper() == "PATCH"
        and "members" not in case.path
        and isinstance(case.body, dict)
    ):
        case.body["version"] = Organisation.objects.get(pk=cast.municipality.pk).version


def _call(case, headers=None):
    """One request in a savepoint that is rolled back, so examples stay independent."""
    with transaction.atomic():
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
    return response


@pytest.mark.django_db
@schema.given(aim=AIM)
@schema.parametrize()
@FUZZ
def test_api_as_org_admin(case, aim, cast, admin_headers, in_process):
    _aim_at_real_records(case, cast, aim)
    _call(case, headers=admin_headers)


@pytest.mark.django_db
@schema.given(aim=AIM)
@schema.parametrize()
@FUZZ
def test_api_anonymously(case, aim, cast, in_process):
    """The public GETs answer anyone; everything else refuses without a credential
    (401, or 403 from the session scheme's CSRF check on unsafe methods)."""
    _aim_at_real_records(case, cast, aim)
    response = _call(case)
    if case.operation.definition.raw.get("operationId") not in PUBLIC:
        assert response.status_code in {400, 401, 403, 422}, response.status_code


# Hand-written properties for inputs the generator seldom produces: NUL bytes
# (PostgreSQL cannot store them), control characters, very long text, null.

any_text = st.one_of(
    st.text(max_size=30),
    st.builds("{}\x00{}".format, st.text(max_size=5), st.text(max_size=5)),
    st.text(alphabet="".join(map(chr, range(32))), min_size=1, max_size=5),
    st.builds(
        lambda char, n: char * n, st.characters(codec="utf-8"), st.sampled_from([201, 20_001])
    ),
)
# Inside a cursor (JSON, base64) even a lone surrogate can arrive, as "\ud800".
cursor_value = st.none() | st.integers() | any_text | st.characters(categories=["Cs"])
PATCHABLE = ["name", "organisation_number", "description", "website", "email", "phone"]


@pytest.mark.django_db
@FUZZ
@given(
    changes=st.dictionaries(
        st.sampled_from([*PATCHABLE, "commitment"]), st.none() | any_text, max_size=4
    )
)
def test_patching_any_text_saves_it_or_changes_nothing(cast, admin_headers, changes):
    client = Client(headers=admin_headers)
    with transaction.atomic():
        before = Organisation.objects.filter(pk=cast.municipality.pk).values().get()
        log_count = LogEntry.objects.count()

        response = client.patch(
            f"/api/organisations/{cast.municipality.pk}",
            json.dumps(changes | {"version": before["version"]}),
            content_type="application/json",
        )

        assert response.status_code in (200, 422), response.content[:300]
        after = Organisation.objects.filter(pk=cast.municipality.pk).values().get()
        if response.status_code == 422:
            assert after == before
            assert LogEntry.objects.count() == log_count
        else:
            assert response.json()["version"] == after["version"]
            assert all("\x00" not in str(after[name]) for name in changes)
        transaction.set_rollback(True)


@pytest.mark.django_db
@FUZZ
@given(cursor=st.lists(cursor_value, min_size=2, max_size=2) | any_text)
@example(cursor=["Göteborg\x00", 1])  # a NUL byte reached PostgreSQL: 500
@example(cursor=["G\ud800", 1])  # a lone surrogate could not be encoded: 500
def test_any_cursor_gives_a_page(cast, cursor):
    after = encode(cursor) if isinstance(cursor, list) else cursor
    response = Client().get("/api/organisations", {"after": after, "limit": 1})
    assert response.status_code == 200, response.content[:300]
    page = response.json()
    assert len(page["items"]) <= 1  # a well-formed cursor may point past the end
    assert page["next"] is None or len(page["items"]) == 1
