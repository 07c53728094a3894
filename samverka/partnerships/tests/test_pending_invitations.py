# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 20: open invitations are answered from the front page and the invited
organisation's page; a partnership's place can be changed by those who run it."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverka.accounts.models import Membership
from samverka.core.audit import history_for
from samverka.directory.services import create_organisation
from samverka.partnerships import services
from samverka.partnerships.models import MemberStatus, Partnership, Visibility


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _invite(cast, partnership, organisation=None):
    return services.invite_organisation(
        partnership=partnership,
        organisation=organisation or cast.ngo,
        role="partner",
        by=cast.org_admin,
        message="Vil I være med?",
    )


def _join_url(member):
    return reverse("partnerships:respond", args=[member.partnership_id, member.pk])


def test_the_invited_admin_sees_the_invitation_on_the_front_page_and_joins(cast, partnership):
    member = _invite(cast, partnership)
    home = _client(cast.other_member).get(reverse("core:home"))
    assert "Invitations to partnerships" in home.text
    assert partnership.name in home.text
    assert f'action="{_join_url(member)}"' in home.text

    response = _client(cast.other_member).post(
        _join_url(member), {"answer": "accept", "next": reverse("core:home")}
    )
    assert response["Location"] == reverse("core:home")
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    after = _client(cast.other_member).get(reverse("core:home"))
    assert "Invitations to partnerships" not in after.text


def test_declining_from_the_organisations_page_returns_there(cast, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.MEMBERS)
    member = _invite(cast, partnership)
    page_url = cast.ngo.get_absolute_url()
    page = _client(cast.other_member).get(page_url)
    assert f'action="{_join_url(member)}"' in page.text

    response = _client(cast.other_member).post(
        _join_url(member), {"answer": "decline", "next": page_url}
    )
    # The private partnership is out of sight once declined: back to the page.
    assert response["Location"] == page_url
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert f'action="{_join_url(member)}"' not in _client(cast.other_member).get(page_url).text


def test_a_foreign_next_address_is_not_followed(cast, partnership):
    member = _invite(cast, partnership)
    response = _client(cast.other_member).post(
        _join_url(member), {"answer": "decline", "next": "https://evil.example/"}
    )
    assert response["Location"] == partnership.get_absolute_url()


def test_only_those_acting_for_the_invited_organisation_see_the_invitation(cast, partnership):
    member = _invite(cast, partnership)
    for user in (cast.member, cast.outsider, cast.coordinator):
        assert _join_url(member) not in _client(user).get(reverse("core:home")).text
    # The NGO's page does not show it to the municipality's people, nor to visitors.
    assert _join_url(member) not in _client(cast.org_admin).get(cast.ngo.get_absolute_url()).text
    assert _join_url(member) not in _client().get(cast.ngo.get_absolute_url()).text
    # A coordinator of the invited organisation may answer for it.
    Membership.objects.create(user=cast.outsider, organisation=cast.ngo, role="coordinator")
    assert _join_url(member) in _client(cast.outsider).get(reverse("core:home")).text


def test_the_invitations_shown_are_only_the_organisations_own_on_its_page(cast, partnership):
    other = create_organisation(by=None, name="Bydel Nord", country="SE", sector="municipality")
    Membership.objects.create(user=cast.other_member, organisation=other, role="admin")
    to_ngo, to_other = _invite(cast, partnership), _invite(cast, partnership, other)
    page = _client(cast.other_member).get(cast.ngo.get_absolute_url()).text
    assert _join_url(to_ngo) in page
    assert _join_url(to_other) not in page
    home = _client(cast.other_member).get(reverse("core:home")).text
    assert _join_url(to_ngo) in home and _join_url(to_other) in home


def _home_queries(user) -> int:
    client = _client(user)
    client.get(reverse("core:home"))  # warm: session, caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("core:home")).status_code == 200
    return len(queries)


def test_the_front_page_queries_do_not_grow_with_the_invitations(cast, partnership):
    _invite(cast, partnership)
    one = _home_queries(cast.other_member)
    for n in range(4):
        more = services.create_partnership(by=cast.org_admin, lead=cast.municipality, name=f"P{n}")
        _invite(cast, more)
    assert _home_queries(cast.other_member) == one


def test_those_who_run_it_change_the_partnerships_place(cast, partnership):
    from samverka.directory.places import load_municipalities

    load_municipalities()
    url = reverse("partnerships:edit", args=[partnership.pk])
    client = _client(cast.coordinator)
    form = client.get(url)
    assert 'name="place"' in form.text
    data = {
        "name": partnership.name,
        "horizon": partnership.horizon,
        "visibility": partnership.visibility,
        "version": partnership.version,
    }

    unknown = client.post(url, data | {"place": "Esbjerg"})
    assert "No place in Sweden has that name." in unknown.text
    assert not partnership.places.exists()

    assert client.post(url, data | {"place": "göteborg"}).status_code == 302
    assert [p.name for p in partnership.places.all()] == ["Göteborg"]
    assert history_for(partnership).first().action == "partnership.place_changed"
    timeline = client.get(reverse("partnerships:timeline", args=[partnership.pk])).text
    assert "changed the partnership&#x27;s place to Göteborg" in timeline

    # Saving again without touching the place records nothing more.
    partnership.refresh_from_db()
    again = data | {"place": "Göteborg", "version": partnership.version}
    client.post(url, again)
    assert history_for(partnership).filter(action="partnership.place_changed").count() == 1

    partnership.refresh_from_db()
    client.post(url, data | {"place": "", "version": partnership.version})
    assert not partnership.places.exists()
    timeline = client.get(reverse("partnerships:timeline", args=[partnership.pk])).text
    assert "removed the partnership&#x27;s place" in timeline


def test_a_partner_cannot_change_the_place(cast, partnership):
    member = _invite(cast, partnership)
    services.respond(member=member, accept=True, by=cast.other_member)
    url = reverse("partnerships:edit", args=[partnership.pk])
    response = _client(cast.other_member).post(url, {"name": "X", "place": "Esbjerg"})
    assert response.status_code in (403, 404)
    assert not partnership.places.exists()
