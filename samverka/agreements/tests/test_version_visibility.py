# SPDX-License-Identifier: AGPL-3.0-or-later
"""Drafts stay with the parties: once an agreement is approved, only the version(s)
every party approved are as public as the agreement; earlier drafts, their documents
and comparisons with them stay with the partnership's active members. The same holds
for the partnership's timeline, and for an organisation that is only invited."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverka.agreements import services
from samverka.agreements.models import AgreementStatus
from samverka.core.permissions import can
from samverka.partnerships import services as partnership_services
from samverka.partnerships.models import Partnership, PartnershipMember

from .conftest import approve, complete, current, fresh, other_organisation, save

DRAFT_TEXT = "Ett utkast som bara parterna ska läsa."


def settled_agreement(cast, partnership, iop, *, visibility="public"):
    """Version 1 drafted, version 2 a draft with its own text, version 3 complete
    and approved by both parties, then in force."""
    Partnership.objects.filter(pk=partnership.pk).update(visibility=visibility)
    agreement = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    save(agreement, cast.coordinator, note="utkast", sections={"activities": DRAFT_TEXT})
    complete(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    approve(agreement, cast.municipality, cast.coordinator)
    approve(agreement, cast.ngo, cast.other_member)
    services.put_in_force(agreement=fresh(agreement), by=cast.coordinator)
    return fresh(agreement)


@pytest.fixture
def settled(cast, partnership, iop):
    return settled_agreement(cast, partnership, iop)


def _client(client, cast, who):
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    return client


def _page(agreement, name, *args):
    return reverse(f"agreements:{name}", args=[agreement.pk, *args])


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_visitor_reads_the_approved_version_but_not_the_drafts(client, cast, settled, who):
    client = _client(client, cast, who)
    assert settled.status == AgreementStatus.IN_FORCE and settled.version == 3

    # Pages
    assert client.get(settled.get_absolute_url()).status_code == 200
    assert client.get(_page(settled, "version", 3)).status_code == 200
    assert client.get(_page(settled, "document", 3, "pdf")).status_code == 200
    for number in (1, 2):
        assert client.get(_page(settled, "version", number)).status_code == 404
        for kind in ("pdf", "docx"):
            assert client.get(_page(settled, "document", number, kind)).status_code == 404
    versions = client.get(_page(settled, "versions"))
    assert versions.status_code == 200
    html = versions.content.decode()
    assert _page(settled, "version", 3) in html
    assert _page(settled, "version", 2) not in html
    assert "utkast" not in html
    compared = client.get(_page(settled, "versions"), {"a": 2, "b": 3})
    assert compared.status_code == 404

    # API
    listed = client.get(f"/api/agreements/{settled.pk}/versions")
    assert [row["number"] for row in listed.json()] == [3]
    assert client.get(f"/api/agreements/{settled.pk}/versions/3").status_code == 200
    for number in (1, 2):
        assert client.get(f"/api/agreements/{settled.pk}/versions/{number}").status_code == 404
    compare = f"/api/agreements/{settled.pk}/compare"
    assert client.get(compare, {"a": 2, "b": 3}).status_code == 404
    assert client.get(compare, {"a": 1, "b": 3}).status_code == 404
    assert client.get(compare, {"a": 3, "b": 3}).status_code == 200


@pytest.mark.parametrize("who", ["other_member", "member", "platform_admin"])
def test_the_parties_still_read_every_version(client, cast, settled, who):
    client = _client(client, cast, who)
    for number in (1, 2, 3):
        assert client.get(_page(settled, "version", number)).status_code == 200
        assert client.get(f"/api/agreements/{settled.pk}/versions/{number}").status_code == 200
    assert client.get(_page(settled, "document", 2, "docx")).status_code == 200
    compared = client.get(_page(settled, "versions"), {"a": 2, "b": 3})
    assert compared.status_code == 200
    html = compared.content.decode()
    assert "What changed from version 2 to version 3" in html
    assert _page(settled, "version", 2) in html
    listed = client.get(f"/api/agreements/{settled.pk}/versions").json()
    assert [row["number"] for row in listed] == [3, 2, 1]
    compare = client.get(f"/api/agreements/{settled.pk}/compare", {"a": 2, "b": 3})
    assert compare.status_code == 200 and compare.json()


def test_a_party_asking_for_a_version_that_does_not_exist_gets_404(client, cast, settled):
    client = _client(client, cast, "other_member")
    assert client.get(_page(settled, "versions"), {"a": 2, "b": 9}).status_code == 404


PEOPLE = ["coordinator", "member", "other_member", "outsider", "anonymous", "platform_admin"]


def _person(cast, name):
    return AnonymousUser() if name == "anonymous" else getattr(cast, name)


@pytest.mark.parametrize("visibility", ["members", "logged_in", "public"])
def test_the_list_and_the_single_check_agree(cast, partnership, iop, visibility):
    """For every person, version and state (approved, in force, negotiated again
    after an approval), a version is in the list exactly when it may be read."""
    from samverka.core.permissions import visible_to

    settled = settled_agreement(cast, partnership, iop, visibility=visibility)
    invited, invited_admin = other_organisation("Hyresgästerna", "residents_association", "h@h.ex")
    partnership_services.invite_organisation(
        partnership=partnership, organisation=invited, role="partner", by=cast.org_admin
    )
    people = {name: _person(cast, name) for name in PEOPLE} | {"invited": invited_admin}
    # Approved twice: version 2 approved by one party only before a change, 3 by
    # both, then a change (4) approved by both again.
    again = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    complete(again, cast.coordinator)
    services.submit_for_review(agreement=again, by=cast.coordinator)
    approve(again, cast.municipality, cast.coordinator)
    for text in ("Ändrat under granskningen.", "Ändrat efter godkännandet."):
        sections = {**current(again).content["sections"], "activities": text}
        save(again, cast.coordinator, sections=sections)
        approve(again, cast.municipality, cast.coordinator)
        approve(again, cast.ngo, cast.other_member)
    assert fresh(again).status == AgreementStatus.APPROVED and fresh(again).version == 4

    seen = {}
    for agreement in (settled, fresh(again)):
        for name, user in people.items():
            listed = {v.number for v in visible_to(user, fresh(agreement).versions.all())}
            single = {v.number for v in fresh(agreement).versions.all() if can(user, "view", v)}
            assert listed == single, (agreement.pk, name)
            seen[agreement.pk, name] = listed
    wide = {"public": {"outsider", "anonymous"}, "logged_in": {"outsider"}, "members": set()}
    for name in [*PEOPLE, "invited"]:
        reads_drafts = name in ("coordinator", "member", "other_member", "platform_admin")
        sees_approved = reads_drafts or name in wide[visibility] or name == "invited"
        expected = {1, 2, 3} if reads_drafts else {3} if sees_approved else set()
        assert seen[settled.pk, name] == expected, name
        expected = {1, 2, 3, 4} if reads_drafts else {3, 4} if sees_approved else set()
        assert seen[again.pk, name] == expected, name


def test_an_invited_organisation_reads_drafts_only_once_it_has_joined(client, cast, agreement):
    invited, invited_admin = other_organisation("Hyresgästerna", "residents_association", "h@h.ex")
    member = partnership_services.invite_organisation(
        partnership=agreement.partnership, organisation=invited, role="partner", by=cast.org_admin
    )
    client.force_login(invited_admin)
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert client.get(_page(agreement, "versions")).status_code == 404
    assert client.get(f"/api/agreements/{agreement.pk}").status_code == 404
    listed = client.get(f"/api/partnerships/{agreement.partnership_id}/agreements").json()
    assert listed == []

    partnership_services.respond(member=member, accept=True, by=invited_admin)
    assert client.get(agreement.get_absolute_url()).status_code == 200
    assert client.get(f"/api/agreements/{agreement.pk}").status_code == 200
    listed = client.get(f"/api/partnerships/{agreement.partnership_id}/agreements").json()
    assert [row["id"] for row in listed] == [agreement.pk]


# The timeline


def _timeline(client, partnership):
    page = client.get(reverse("partnerships:timeline", args=[partnership.pk]))
    api = client.get(f"/api/partnerships/{partnership.pk}/timeline")
    assert page.status_code == 200 and api.status_code == 200
    return page.content.decode(), [(e["action"], e["data"].get("version")) for e in api.json()]


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_the_timeline_hides_a_draft_agreement_from_those_who_cannot_read_it(
    client, cast, agreement, who
):
    Partnership.objects.filter(pk=agreement.partnership_id).update(visibility="public")
    save(agreement, cast.coordinator, sections={"activities": DRAFT_TEXT})
    html, entries = _timeline(_client(client, cast, who), agreement.partnership)
    assert "partnership.created" in dict(entries)
    assert not [action for action, _v in entries if action.startswith("agreement.")]
    assert "drafted the agreement" not in html
    assert "saved version 2 of an agreement" not in html


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_the_timeline_shows_a_draft_agreement_to_the_members(client, cast, agreement, who):
    save(agreement, cast.coordinator, sections={"activities": DRAFT_TEXT})
    html, entries = _timeline(_client(client, cast, who), agreement.partnership)
    assert ("agreement.created", None) in entries and ("agreement.saved", 2) in entries
    assert "drafted the agreement" in html


def test_the_timeline_shows_visitors_only_the_approved_version(client, cast, settled):
    html, entries = _timeline(_client(client, cast, "outsider"), settled.partnership)
    agreement_entries = [entry for entry in entries if entry[0].startswith("agreement.")]
    assert ("agreement.created", None) in agreement_entries
    assert ("agreement.approved_by_all", 3) in agreement_entries
    assert ("agreement.in_force", None) in agreement_entries
    assert ("agreement.saved", 2) not in agreement_entries
    assert {version for _a, version in agreement_entries} == {None, 3}
    assert "version 2" not in html and "version 3" in html

    _html, entries = _timeline(_client(client, cast, "member"), settled.partnership)
    assert ("agreement.saved", 2) in entries


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_timeline_reads_what_its_entries_point_to_in_bulk(client, cast, settled, iop):
    partnership = settled.partnership
    client = _client(client, cast, "outsider")
    urls = [
        reverse("partnerships:timeline", args=[partnership.pk]),
        f"/api/partnerships/{partnership.pk}/timeline",
    ]
    before = [_count(client, url) for url in urls]
    for _ in range(3):
        settled_agreement(cast, partnership, iop)
        services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    assert [_count(client, url) for url in urls] == before
    # The member's view has no approval check to make, and does not grow either.
    client = _client(client, cast, "member")
    member_before = [_count(client, url) for url in urls]
    settled_agreement(cast, partnership, iop)
    assert [_count(client, url) for url in urls] == member_before


def test_an_organisation_that_left_no_longer_reads_drafts(client, cast, settled):
    member = PartnershipMember.objects.get(partnership=settled.partnership, organisation=cast.ngo)
    partnership_services.leave(member=member, by=cast.other_member)
    client = _client(client, cast, "other_member")
    assert client.get(_page(settled, "version", 3)).status_code == 200
    assert client.get(_page(settled, "version", 2)).status_code == 404
