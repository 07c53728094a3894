# SPDX-License-Identifier: AGPL-3.0-or-later
import json

import pytest
from django.core import mail
from django.test import Client

from samverka.accounts.models import Invitation, Membership
from samverka.accounts.services import create_api_token
from samverka.core.audit import history_for
from samverka.core.models import LogEntry
from samverka.directory.models import Organisation
from samverka.directory.services import create_organisation

LAST_ADMIN = "An organisation needs at least one administrator."


def _client(user=None, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _bearer(user):
    _token, raw = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _patch(client, url, body, **kwargs):
    return client.patch(url, json.dumps(body), content_type="application/json", **kwargs)


def _post(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


def _org_url(organisation):
    return f"/api/organisations/{organisation.pk}"


def _member_url(membership):
    return f"/api/organisations/{membership.organisation_id}/members/{membership.pk}"


def _membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


def _fields(response):
    return {item["loc"][-1] for item in response.json()["detail"]}


# The schema


@pytest.mark.django_db
def test_it_publishes_an_openapi_schema():
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Samverka API"
    assert {
        "/api/me",
        "/api/organisations",
        "/api/organisations/{pk}",
        "/api/organisations/{pk}/members",
        "/api/organisations/{pk}/invitations",
        "/api/organisations/{pk}/members/{membership_pk}",
        "/api/organisations/{pk}/history",
    } <= set(schema["paths"])
    assert "patch" in schema["paths"]["/api/organisations/{pk}"]


# The directory, public


def test_it_lists_organisations_anonymously_page_by_page(cast):
    for name in ["Alingsåshem", "Biskopsgården IF", "Lerums kommun", "Ödsmåls IK"]:
        create_organisation(by=None, name=name, country="SE", sector="other")
    expected = list(Organisation.objects.order_by("name", "id").values_list("name", flat=True))
    client = Client()

    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2} | ({"after": cursor} if cursor else {})
        response = client.get("/api/organisations", query)
        assert response.status_code == 200
        body = response.json()
        assert len(body["items"]) <= 2
        seen += [item["name"] for item in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break

    assert seen == expected
    assert len(expected) == 6
    assert pages == 3


@pytest.mark.parametrize(
    "cursor", ["garbage", "WyJ4IiwgIm5vdCBhIG51bWJlciJd"]
)  # ["x", "not a number"]
def test_it_starts_at_the_top_for_a_garbage_cursor(cast, cursor):
    response = Client().get("/api/organisations", {"after": cursor, "limit": 1})

    assert response.status_code == 200
    first = Organisation.objects.order_by("name", "id").first()
    assert [item["id"] for item in response.json()["items"]] == [first.pk]


def test_it_describes_an_organisation(cast):
    response = Client().get(_org_url(cast.municipality))

    assert response.status_code == 200
    body = response.json()
    assert body["organisation_number"] == "212000-1355"
    assert body["sector"] == "municipality"
    assert body["version"] == 1


def test_it_answers_404_for_a_missing_organisation(cast):
    assert Client().get("/api/organisations/999999").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [0, 201, "x"])
def test_it_refuses_an_unreasonable_page_size(limit):
    assert Client().get("/api/organisations", {"limit": limit}).status_code == 422


# Who am I


def test_it_requires_authentication_for_me(cast):
    assert Client().get("/api/me").status_code == 401
    assert (
        Client().get("/api/me", headers={"Authorization": "Bearer sv_not-a-token"}).status_code
        == 401
    )


def test_it_tells_a_session_user_who_they_are(cast):
    response = _client(cast.coordinator).get("/api/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": cast.coordinator.pk,
        "email": "coordinator@goteborg.example",
        "name": "Anna Testsson",
        "language": "",
        "memberships": [
            {
                "organisation_id": cast.municipality.pk,
                "organisation_name": "Göteborgs Stad",
                "role": "coordinator",
            }
        ],
    }


def test_it_tells_a_token_user_who_they_are(cast):
    response = Client().get("/api/me", headers=_bearer(cast.other_member))

    assert response.status_code == 200
    assert response.json()["email"] == "mette@rodekors.example"


def test_it_refuses_a_token_of_a_deactivated_user(cast):
    headers = _bearer(cast.member)
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])

    assert Client().get("/api/me", headers=headers).status_code == 401


# Editing an organisation


def test_it_lets_the_org_admin_patch_with_the_current_version(cast):
    response = _patch(
        _client(cast.org_admin),
        _org_url(cast.municipality),
        {"version": 1, "description": "Ny text.", "sector": "region"},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["description"], body["sector"], body["version"]) == ("Ny text.", "region", 2)
    assert body["name"] == "Göteborgs Stad"  # fields not sent are unchanged
    cast.municipality.refresh_from_db()
    assert (cast.municipality.description, cast.municipality.sector) == ("Ny text.", "region")
    entry = history_for(cast.municipality).first()
    assert entry.action == "organisation.updated"
    assert entry.actor == cast.org_admin
    assert entry.data == {
        "changes": {"description": ["Kommunen.", "Ny text."], "sector": ["municipality", "region"]}
    }


def test_it_refuses_a_patch_with_an_old_version(cast):
    client = _client(cast.org_admin)
    _patch(client, _org_url(cast.municipality), {"version": 1, "name": "First"})
    entries = LogEntry.objects.count()

    response = _patch(client, _org_url(cast.municipality), {"version": 1, "name": "Second"})

    assert response.status_code == 409
    assert "Someone else saved" in response.json()["detail"][0]["msg"]
    cast.municipality.refresh_from_db()
    assert (cast.municipality.name, cast.municipality.version) == ("First", 2)
    assert LogEntry.objects.count() == entries


def test_it_refuses_an_invalid_organisation_number(cast):
    response = _patch(
        _client(cast.org_admin),
        _org_url(cast.municipality),
        {"version": 1, "name": "Renamed", "organisation_number": "212000-1356"},
    )

    assert response.status_code == 422
    assert _fields(response) == {"organisation_number"}
    assert "check digit" in response.json()["detail"][0]["msg"]
    cast.municipality.refresh_from_db()
    assert (cast.municipality.name, cast.municipality.version) == ("Göteborgs Stad", 1)


def test_it_refuses_a_duplicate_organisation_number(cast):
    other = create_organisation(
        by=None, name="Volvo", country="SE", sector="business", admin=cast.outsider
    )

    response = _patch(
        _client(cast.outsider), _org_url(other), {"version": 1, "organisation_number": "2120001355"}
    )

    assert response.status_code == 422
    assert _fields(response) == {"organisation_number"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1, "sector": "pirates"}, "sector"),
        ({"version": 1, "description_language": "fi"}, "description_language"),
        ({"version": 1, "name": ""}, "name"),
        ({"version": 1, "email": "not-an-address"}, "email"),
        ({"version": 1, "website": "not a url"}, "website"),
        ({"name": "No version"}, "version"),
    ],
)
def test_it_refuses_invalid_fields(cast, body, field):
    response = _patch(_client(cast.org_admin), _org_url(cast.municipality), body)

    assert response.status_code == 422
    assert field in _fields(response)
    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 1


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider", "other_member"])
def test_it_refuses_a_patch_by_anyone_but_the_admin(cast, who):
    response = _patch(
        _client(getattr(cast, who)), _org_url(cast.municipality), {"version": 1, "name": "X"}
    )

    assert response.status_code == 403
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


def test_it_refuses_an_anonymous_patch(cast):
    response = _patch(Client(), _org_url(cast.municipality), {"version": 1, "name": "X"})

    assert response.status_code == 401


def test_it_accepts_a_patch_with_the_org_admins_token(cast):
    response = _patch(
        Client(enforce_csrf_checks=True),
        _org_url(cast.municipality),
        {"version": 1, "commitment": "Tre år."},
        headers=_bearer(cast.org_admin),
    )

    assert response.status_code == 200
    cast.municipality.refresh_from_db()
    assert cast.municipality.commitment == "Tre år."
    assert history_for(cast.municipality).first().actor == cast.org_admin


def test_it_refuses_a_patch_with_a_coordinators_token(cast):
    response = _patch(
        Client(),
        _org_url(cast.municipality),
        {"version": 1, "name": "X"},
        headers=_bearer(cast.coordinator),
    )

    assert response.status_code == 403


def test_it_refuses_a_session_patch_without_a_csrf_token(cast):
    client = _client(cast.org_admin, enforce_csrf_checks=True)

    response = _patch(client, _org_url(cast.municipality), {"version": 1, "name": "Forged"})

    assert response.status_code == 403
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


def test_it_accepts_a_session_patch_with_a_csrf_token(cast):
    client = _client(cast.org_admin, enforce_csrf_checks=True)
    client.get("/")  # sets the CSRF cookie, as the browser would
    token = client.cookies["csrftoken"].value

    response = _patch(
        client,
        _org_url(cast.municipality),
        {"version": 1, "name": "Göteborg"},
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 200
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborg"


# Members


def test_it_lists_members_to_members(cast):
    response = _client(cast.member).get(f"{_org_url(cast.municipality)}/members")

    assert response.status_code == 200
    assert {(m["email"], m["role"]) for m in response.json()} == {
        ("admin@goteborg.example", "admin"),
        ("coordinator@goteborg.example", "coordinator"),
        ("member@goteborg.example", "member"),
    }


def test_it_hides_members_from_other_organisations(cast):
    url = f"{_org_url(cast.municipality)}/members"

    assert _client(cast.other_member).get(url).status_code == 403
    assert _client(cast.outsider).get(url).status_code == 403
    assert Client().get(url).status_code == 401


def test_it_invites_through_the_api(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            _client(cast.org_admin),
            f"{_org_url(cast.municipality)}/invitations",
            {"email": "Ny@Example.org", "role": "coordinator"},
        )

    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["role"]) == ("ny@example.org", "coordinator")
    assert Invitation.objects.get(pk=body["id"]).organisation == cast.municipality
    assert mail.outbox[0].to == ["ny@example.org"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "member@goteborg.example"}, "email"),  # already a member
        ({"email": "not-an-address"}, "email"),
        ({"email": "ny@example.org", "role": "owner"}, "role"),
    ],
)
def test_it_refuses_an_invalid_invitation(cast, body, field):
    response = _post(_client(cast.org_admin), f"{_org_url(cast.municipality)}/invitations", body)

    assert response.status_code == 422
    assert field in _fields(response)
    assert not Invitation.objects.exists()


def test_it_refuses_invitations_by_a_coordinator(cast):
    response = _post(
        _client(cast.coordinator),
        f"{_org_url(cast.municipality)}/invitations",
        {"email": "ny@example.org"},
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_changes_a_role_through_the_api(cast):
    membership = _membership(cast.member, cast.municipality)

    response = _patch(_client(cast.org_admin), _member_url(membership), {"role": "coordinator"})

    assert response.status_code == 200
    assert response.json()["role"] == "coordinator"
    assert _membership(cast.member, cast.municipality).role == "coordinator"


def test_it_refuses_to_demote_the_last_admin_through_the_api(cast):
    membership = _membership(cast.org_admin, cast.municipality)

    response = _patch(_client(cast.org_admin), _member_url(membership), {"role": "member"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == LAST_ADMIN
    assert _membership(cast.org_admin, cast.municipality).role == "admin"


def test_it_refuses_role_changes_by_a_coordinator(cast):
    membership = _membership(cast.member, cast.municipality)

    response = _patch(_client(cast.coordinator), _member_url(membership), {"role": "admin"})

    assert response.status_code == 403
    assert _membership(cast.member, cast.municipality).role == "member"


def test_it_refuses_to_reach_another_organisations_member(cast):
    ngo_membership = _membership(cast.other_member, cast.ngo)
    url = f"{_org_url(cast.municipality)}/members/{ngo_membership.pk}"

    response = _client(cast.org_admin).delete(url)

    assert response.status_code == 404
    assert Membership.objects.filter(pk=ngo_membership.pk).exists()


def test_it_removes_a_member_through_the_api(cast):
    membership = _membership(cast.member, cast.municipality)

    response = _client(cast.org_admin).delete(_member_url(membership))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert history_for(cast.municipality).first().action == "member.removed"


def test_it_refuses_to_remove_the_last_admin_through_the_api(cast):
    membership = _membership(cast.org_admin, cast.municipality)

    response = _client(cast.org_admin).delete(_member_url(membership))

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == LAST_ADMIN
    assert Membership.objects.filter(pk=membership.pk).exists()


# History


def test_it_shows_history_to_members(cast):
    _patch(_client(cast.org_admin), _org_url(cast.municipality), {"version": 1, "name": "GBG"})

    response = _client(cast.member).get(f"{_org_url(cast.municipality)}/history")

    assert response.status_code == 200
    latest = response.json()[0]
    assert (latest["actor"], latest["action"]) == ("Erik Testsson", "organisation.updated")
    assert latest["data"] == {"changes": {"name": ["Göteborgs Stad", "GBG"]}}
    assert _client(cast.outsider).get(f"{_org_url(cast.municipality)}/history").status_code == 403


def test_it_answers_an_anonymous_write_with_401_even_when_csrf_is_enforced(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        f"/api/organisations/{cast.municipality.pk}",
        {"version": 1, "name": "X"},
        content_type="application/json",
    )
    assert response.status_code == 401
