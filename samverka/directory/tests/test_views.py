# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samverka.accounts.models import Invitation, Membership
from samverka.core.audit import history_for
from samverka.core.models import LogEntry
from samverka.directory.models import Organisation
from samverka.directory.services import EDITABLE_FIELDS

LAST_ADMIN = "An organisation needs at least one administrator."


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _form_data(organisation, **changes):
    data = {name: getattr(organisation, name) for name in EDITABLE_FIELDS}
    data["version"] = organisation.version
    return data | changes


def _edit_url(organisation):
    return reverse("directory:edit", args=[organisation.pk])


def _members_url(organisation):
    return reverse("directory:members", args=[organisation.pk])


def _role_url(membership):
    return reverse("directory:member_role", args=[membership.organisation_id, membership.pk])


def _remove_url(membership):
    return reverse("directory:member_remove", args=[membership.organisation_id, membership.pk])


def _membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# The directory


def test_it_lists_organisations_to_anyone(cast):
    response = _client().get(reverse("directory:organisations"))

    assert response.status_code == 200
    assert "Göteborgs Stad" in response.text
    assert "Røde Kors Esbjerg" in response.text


def test_it_shows_a_profile_to_anyone(cast):
    response = _client().get(cast.municipality.get_absolute_url())

    assert response.status_code == 200
    assert "Kommunen." in response.text
    assert _edit_url(cast.municipality) not in response.text


def test_it_offers_the_edit_link_to_the_org_admin_only(cast):
    url = cast.municipality.get_absolute_url()

    assert _edit_url(cast.municipality) in _client(cast.org_admin).get(url).text
    assert _edit_url(cast.municipality) not in _client(cast.coordinator).get(url).text


def test_it_answers_404_for_a_missing_organisation(cast):
    assert _client().get(reverse("directory:organisation", args=[999999])).status_code == 404


# Editing the profile


def test_it_shows_the_edit_form_to_the_org_admin(cast):
    response = _client(cast.org_admin).get(_edit_url(cast.municipality))

    assert response.status_code == 200
    assert 'name="version" value="1"' in response.text
    assert 'value="Göteborgs Stad"' in response.text


def test_it_saves_the_profile_for_the_org_admin(cast):
    client = _client(cast.org_admin)

    response = client.post(
        _edit_url(cast.municipality),
        _form_data(cast.municipality, description="Ny beskrivning.", phone="031-365 00 00"),
    )

    assert response.status_code == 302
    assert response.url == cast.municipality.get_absolute_url()
    cast.municipality.refresh_from_db()
    assert cast.municipality.description == "Ny beskrivning."
    assert cast.municipality.phone == "031-365 00 00"
    assert cast.municipality.version == 2
    page = client.get(response.url)
    assert "The profile was saved." in page.text


def test_it_says_so_when_nothing_changed(cast):
    client = _client(cast.org_admin)

    response = client.post(_edit_url(cast.municipality), _form_data(cast.municipality), follow=True)

    assert "Nothing was changed." in response.text
    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 1
    assert not history_for(cast.municipality).filter(action="organisation.updated").exists()


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider", "other_member"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_editing_to_everyone_but_the_admin(cast, who, method):
    client = _client(getattr(cast, who))

    data = _form_data(cast.municipality, name="Hijacked") if method == "post" else None

    response = getattr(client, method)(_edit_url(cast.municipality), data)

    assert response.status_code == 403
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_the_login_page(cast, method):
    url = _edit_url(cast.municipality)

    data = _form_data(cast.municipality, name="Hijacked") if method == "post" else None

    response = getattr(_client(), method)(url, data)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


def test_it_lets_the_platform_admin_edit(cast):
    response = _client(cast.platform_admin).post(
        _edit_url(cast.ngo), _form_data(cast.ngo, commitment="Tre år.")
    )

    assert response.status_code == 302
    cast.ngo.refresh_from_db()
    assert cast.ngo.commitment == "Tre år."


def test_it_shows_an_invalid_number_next_to_its_field_and_saves_nothing(cast):
    entries = LogEntry.objects.count()

    response = _client(cast.org_admin).post(
        _edit_url(cast.municipality),
        _form_data(cast.municipality, name="Renamed", organisation_number="212000-1356"),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation_number"]
    assert 'id="id_organisation_number_error"' in response.text
    assert (
        "Organisation number: This Swedish organisation number has a wrong check digit."
        in response.text
    )
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"
    assert cast.municipality.organisation_number == "212000-1355"
    assert LogEntry.objects.count() == entries


def test_it_refuses_a_number_another_organisation_has(cast):
    other = Organisation.objects.create(
        name="Volvo", country="SE", sector="business", organisation_number="556036-0793"
    )
    Membership.objects.create(user=cast.outsider, organisation=other, role="admin")

    response = _client(cast.outsider).post(
        _edit_url(other), _form_data(other, organisation_number="2120001355")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["organisation_number"]
    other.refresh_from_db()
    assert other.organisation_number == "556036-0793"


def test_it_refuses_the_second_of_two_concurrent_edits(cast):
    first, second = _client(cast.org_admin), _client(cast.platform_admin)
    url = _edit_url(cast.municipality)
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert first_form.initial["version"] == second_form.initial["version"] == 1

    saved = first.post(url, _form_data(cast.municipality, name="Göteborg (first)"))
    refused = second.post(
        url, _form_data(cast.municipality, name="Göteborg (second)", description="Second.")
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Someone else saved this profile while you were editing it." in refused.text
    assert refused.context["conflict"].name == "Göteborg (first)"
    # The refused person's own text stays in the form, to compare and save again.
    assert 'value="Göteborg (second)"' in refused.text
    stored = Organisation.objects.get(pk=cast.municipality.pk)
    assert (stored.name, stored.description, stored.version) == (
        "Göteborg (first)",
        "Kommunen.",
        2,
    )


# Members


def test_it_shows_members_to_members_only(cast):
    url = _members_url(cast.municipality)

    page = _client(cast.member).get(url)
    assert page.status_code == 200
    assert cast.coordinator.email in page.text
    assert "Send invitation" not in page.text  # a plain member cannot manage

    assert _client(cast.other_member).get(url).status_code == 403
    assert _client(cast.outsider).get(url).status_code == 403
    assert _client().get(url).status_code == 302


def test_it_invites_a_person(cast, django_capture_on_commit_callbacks):
    client = _client(cast.org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _members_url(cast.municipality), {"email": "ny@example.org", "role": "coordinator"}
        )

    assert response.status_code == 302
    assert response.url == _members_url(cast.municipality)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("ny@example.org", "coordinator")
    assert mail.outbox[0].to == ["ny@example.org"]
    page = client.get(response.url)
    assert "An invitation was sent to ny@example.org." in page.text
    assert "Invitations not yet accepted" in page.text


def test_it_shows_why_an_invitation_was_refused(cast):
    response = _client(cast.org_admin).post(
        _members_url(cast.municipality), {"email": cast.member.email, "role": "member"}
    )

    assert response.status_code == 200
    assert "This person is already a member." in response.text
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_it_refuses_invitations_by_non_admins(cast, who):
    response = _client(getattr(cast, who)).post(
        _members_url(cast.municipality), {"email": "ny@example.org", "role": "admin"}
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_changes_a_role_with_a_plain_post(cast):
    client = _client(cast.org_admin)
    membership = _membership(cast.member, cast.municipality)

    response = client.post(_role_url(membership), {"role": "coordinator"})

    assert response.status_code == 302
    assert response.url == _members_url(cast.municipality)
    assert _membership(cast.member, cast.municipality).role == "coordinator"
    assert "The role was changed." in client.get(response.url).text


def test_it_changes_a_role_with_htmx_and_returns_only_the_row(cast):
    membership = _membership(cast.member, cast.municipality)

    response = _client(cast.org_admin).post(
        _role_url(membership), {"role": "coordinator"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.text.strip()
    assert html.startswith(f'<tr id="member-{membership.pk}">')
    assert html.endswith("</tr>")
    assert "<html" not in html
    assert cast.org_admin.email not in html  # no other rows
    assert '<option value="coordinator" selected>' in html
    assert '<option value="member" selected>' not in html
    assert "Saved." in html
    assert _membership(cast.member, cast.municipality).role == "coordinator"


def test_it_shows_the_last_admin_refusal_in_the_htmx_row(cast):
    membership = _membership(cast.org_admin, cast.municipality)

    response = _client(cast.org_admin).post(
        _role_url(membership), {"role": "member"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert LAST_ADMIN in response.text
    assert '<option value="admin" selected>' in response.text
    assert _membership(cast.org_admin, cast.municipality).role == "admin"


def test_it_shows_the_last_admin_refusal_after_a_plain_post(cast):
    client = _client(cast.org_admin)

    response = client.post(
        _role_url(_membership(cast.org_admin, cast.municipality)), {"role": "member"}, follow=True
    )

    assert LAST_ADMIN in response.text
    assert _membership(cast.org_admin, cast.municipality).role == "admin"


def test_it_refuses_an_invalid_role(cast):
    client = _client(cast.org_admin)

    response = client.post(
        _role_url(_membership(cast.member, cast.municipality)), {"role": "owner"}, follow=True
    )

    assert "Choose a valid role." in response.text
    assert _membership(cast.member, cast.municipality).role == "member"


@pytest.mark.parametrize("who", ["coordinator", "member", "outsider"])
def test_it_refuses_role_changes_by_non_admins(cast, who):
    response = _client(getattr(cast, who)).post(
        _role_url(_membership(cast.member, cast.municipality)), {"role": "admin"}
    )

    assert response.status_code == 403
    assert _membership(cast.member, cast.municipality).role == "member"


def test_it_refuses_to_change_a_membership_of_another_organisation(cast):
    # The NGO's membership, reached through the municipality's URL.
    ngo_membership = _membership(cast.other_member, cast.ngo)
    url = reverse("directory:member_role", args=[cast.municipality.pk, ngo_membership.pk])

    response = _client(cast.org_admin).post(url, {"role": "member"})

    assert response.status_code == 404
    assert _membership(cast.other_member, cast.ngo).role == "admin"


def test_it_removes_a_member(cast):
    client = _client(cast.org_admin)

    response = client.post(_remove_url(_membership(cast.member, cast.municipality)))

    assert response.status_code == 302
    assert not Membership.objects.filter(user=cast.member).exists()
    assert "Mats Testsson was removed." in client.get(response.url).text


def test_it_refuses_to_remove_the_last_admin(cast):
    client = _client(cast.org_admin)

    response = client.post(_remove_url(_membership(cast.org_admin, cast.municipality)), follow=True)

    assert LAST_ADMIN in response.text
    assert _membership(cast.org_admin, cast.municipality).role == "admin"


def test_it_refuses_removal_by_a_coordinator(cast):
    response = _client(cast.coordinator).post(
        _remove_url(_membership(cast.member, cast.municipality))
    )

    assert response.status_code == 403
    assert Membership.objects.filter(user=cast.member).exists()


# History


def test_it_shows_who_changed_what(cast):
    client = _client(cast.org_admin)
    client.post(
        _edit_url(cast.municipality),
        _form_data(cast.municipality, name="Göteborgs stad", description="Ny text."),
    )
    client.post(_role_url(_membership(cast.member, cast.municipality)), {"role": "coordinator"})

    response = _client(cast.member).get(reverse("directory:history", args=[cast.municipality.pk]))

    assert response.status_code == 200
    text = response.text
    assert "<strong>Erik Testsson</strong> edited the profile" in text
    assert "<td>Name</td><td>Göteborgs Stad</td><td>Göteborgs stad</td>" in text
    assert "<td>Description</td><td>Kommunen.</td><td>Ny text.</td>" in text
    assert "changed a member&#x27;s role" in text
    assert "member@goteborg.example (Member → Coordinator)" in text
    assert "<strong>the system</strong> created the organisation" in text


def test_it_shows_history_to_members_only(cast):
    url = reverse("directory:history", args=[cast.municipality.pk])

    assert _client(cast.other_member).get(url).status_code == 403
    assert _client(cast.outsider).get(url).status_code == 403
    assert _client().get(url).status_code == 302
