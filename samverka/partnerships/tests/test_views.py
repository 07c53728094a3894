# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership pages, as a coordinator and a partner use them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samverka.core.audit import history_for
from samverka.partnerships import services
from samverka.partnerships.models import (
    MemberStatus,
    Partnership,
    StepCompletion,
    Visibility,
)


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_coordinator_starts_a_partnership(cast):
    client = _client(cast.coordinator)
    page = client.get(reverse("partnerships:create"))
    assert "Göteborgs Stad" in page.text

    response = client.post(
        reverse("partnerships:create"),
        {
            "name": "Fritid i Hammarkullen",
            "lead": cast.municipality.pk,
            "problem_statement": "Unga saknar fritid på helgerna.",
            "themes": ["children_youth", "sport"],
            "horizon": "long_term",
            "visibility": "logged_in",
        },
    )

    partnership = Partnership.objects.get()
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.themes == ["sport", "children_youth"]
    assert partnership.members.get().organisation == cast.municipality
    detail = client.get(partnership.get_absolute_url())
    assert "Unga saknar fritid på helgerna." in detail.text
    assert "Not confirmed yet by:" in detail.text


def test_a_member_without_an_acting_role_cannot_start_one(cast):
    assert _client(cast.member).get(reverse("partnerships:create")).status_code == 403
    response = _client(cast.coordinator).post(
        reverse("partnerships:create"),
        {"name": "X", "lead": cast.ngo.pk, "horizon": "pilot", "visibility": "public"},
    )
    assert response.status_code == 200  # not one of her organisations: a form error
    assert not Partnership.objects.exists()


def test_invite_accept_and_the_late_flag_on_the_page(cast, partnership):
    services.complete_step(partnership=partnership, number=1, by=cast.org_admin, note="Klart.")
    admin = _client(cast.org_admin)
    found = admin.get(reverse("partnerships:members", args=[partnership.pk]), {"q": "Røde"})
    assert "Invite Røde Kors Esbjerg" in found.text

    admin.post(
        reverse("partnerships:members", args=[partnership.pk]),
        {"organisation": cast.ngo.pk, "role": "partner", "message": "Välkomna!"},
    )
    member = partnership.members.get(organisation=cast.ngo)
    assert member.status == MemberStatus.INVITED
    invited = _client(cast.other_member).get(partnership.get_absolute_url())
    assert "Join for Røde Kors Esbjerg" in invited.text

    _client(cast.other_member).post(
        reverse("partnerships:respond", args=[partnership.pk, member.pk]), {"answer": "accept"}
    )

    member.refresh_from_db()
    assert (member.status, member.joined_at_step) == (MemberStatus.ACTIVE, 2)
    page = admin.get(partnership.get_absolute_url())
    assert "Joined at step 2, after the problem was formulated" in page.text
    late = _client(cast.platform_admin).get(reverse("partnerships:list"), {"late": "on"})
    assert partnership.name in late.text
    assert (
        partnership.name
        not in _client(cast.platform_admin)
        .get(reverse("partnerships:list"), {"status": "active"})
        .text
    )


def test_the_list_shows_only_what_the_visitor_may_see(cast, partnership):
    public = services.create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Öppet samarbete", visibility="public"
    )
    assert public.visibility == Visibility.PUBLIC
    anonymous = _client().get(reverse("partnerships:list")).text
    assert "Öppet samarbete" in anonymous
    assert partnership.name not in anonymous
    assert partnership.name in _client(cast.member).get(reverse("partnerships:list")).text
    assert partnership.name not in _client(cast.outsider).get(reverse("partnerships:list")).text


def test_a_step_is_completed_with_a_file_and_reopened(cast, partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(cast.org_admin)
    url = reverse("partnerships:step_complete", args=[partnership.pk, 2])

    empty = client.post(url, {"note": ""}, follow=True)
    assert "a note, a link or a file" in empty.text

    client.post(
        url,
        {"file": SimpleUploadedFile("intervjuer.pdf", b"%PDF-1.4 boendeintervjuer")},
    )

    completion = StepCompletion.objects.get(partnership=partnership, number=2)
    assert completion.file.read() == b"%PDF-1.4 boendeintervjuer"
    page = client.get(reverse("partnerships:checklist", args=[partnership.pk]))
    assert "Attached file" in page.text
    client.post(reverse("partnerships:step_reopen", args=[partnership.pk, 2]))
    assert not StepCompletion.objects.filter(partnership=partnership).exists()


def test_members_confirm_the_problem_on_the_consensus_page(cast, partnership):
    url = reverse("partnerships:answer", args=[partnership.pk, "problem"])
    client = _client(cast.coordinator)
    page = client.get(reverse("partnerships:consensus", args=[partnership.pk]))
    assert "Does Göteborgs Stad agree?" in page.text

    refused = client.post(url, {"organisation": cast.municipality.pk, "agrees": "no"}, follow=True)
    assert "Say what you would change." in refused.text
    client.post(url, {"organisation": cast.municipality.pk, "agrees": "yes"})
    assert services.unconfirmed(partnership, "problem") == []
    assert (
        _client(cast.member)
        .post(url, {"organisation": cast.municipality.pk, "agrees": "yes"})
        .status_code
        == 403
    )

    client.post(
        reverse("partnerships:revise", args=[partnership.pk, "problem"]),
        {"text": "Unga och deras föräldrar saknar mötesplatser."},
    )
    assert services.unconfirmed(partnership, "problem") == [cast.municipality]


def test_status_moves_explain_what_blocks_them(cast, partnership):
    client = _client(cast.org_admin)
    page = client.get(partnership.get_absolute_url())
    assert "Move to “Forming”" in page.text

    client.post(reverse("partnerships:status", args=[partnership.pk]), {"to": "forming"})
    response = client.post(
        reverse("partnerships:status", args=[partnership.pk]), {"to": "agreed"}, follow=True
    )

    assert "Mandatory steps not done" in response.text
    partnership.refresh_from_db()
    assert partnership.status == "forming"


def test_residents_and_mandates_are_recorded(cast, partnership, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client(cast.coordinator)
    client.post(
        reverse("partnerships:residents", args=[partnership.pk]),
        {
            "kind": "interview",
            "held_on": "2026-05-04",
            "residents_reached": "140",
            "groups": ["young_people", "families"],
            "outcomes": "Grillplatser\nLekpark\n",
        },
    )
    page = client.get(reverse("partnerships:residents", args=[partnership.pk]))
    assert "140 residents reached so far." in page.text
    assert "Lekpark" in page.text

    client.post(
        reverse("partnerships:mandates", args=[partnership.pk]),
        {
            "organisation": cast.municipality.pk,
            "body": "Kommunstyrelsen",
            "decided_on": "2026-03-01",
            "document": SimpleUploadedFile("beslut.pdf", b"%PDF beslut"),
        },
    )
    mandate = partnership.mandates.get()
    assert mandate.document.read() == b"%PDF beslut"
    assert (
        _client(cast.member)
        .post(reverse("partnerships:residents", args=[partnership.pk]), {})
        .status_code
        == 403
    )


def test_choosing_a_form_with_the_advisor_completes_step_seven(cast, partnership):
    client = _client(cast.org_admin)
    advice = client.post(
        reverse("partnerships:advisor") + f"?partnership={partnership.pk}",
        {
            "partnership": partnership.pk,
            "country": "SE",
            "sectors": ["municipality", "civil_society"],
            "purposes": ["social_inclusion"],
            "scope": "place",
            "horizon": "long_term",
            "buys_service": "no",
            "own_resources": "yes",
            "tests_concepts": "no",
            "owners_central": "no",
            "police": "no",
        },
    )
    assert advice.status_code == 200, advice.text[:500]
    assert f"for {partnership.name}" in advice.text

    client.post(reverse("partnerships:choose_form", args=[partnership.pk]), {"form": "iop"})

    partnership.refresh_from_db()
    assert partnership.form == "iop"
    assert StepCompletion.objects.filter(partnership=partnership, number=7).exists()
    bad = client.post(
        reverse("partnerships:choose_form", args=[partnership.pk]), {"form": "merger"}
    )
    assert bad.status_code == 302
    partnership.refresh_from_db()
    assert partnership.form == "iop"


def test_the_timeline_tells_the_story_in_order(cast, partnership):
    services.complete_step(partnership=partnership, number=1, by=cast.org_admin, note="Klart.")
    page = _client(cast.member).get(reverse("partnerships:timeline", args=[partnership.pk]))
    started = page.text.index("started the partnership")
    step = page.text.index("completed step 1 of the checklist")
    assert started < step
    assert len(history_for(partnership)) == 4


def test_a_public_timeline_hides_peoples_names_from_anonymous_visitors(cast):
    public = services.create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Öppet", visibility="public"
    )
    url = reverse("partnerships:timeline", args=[public.pk])

    assert "Erik" not in _client().get(url).text
    assert "Erik" in _client(cast.outsider).get(url).text
    api = _client().get(f"/api/partnerships/{public.pk}/timeline").json()
    assert {entry["actor"] for entry in api} == {""}


def test_the_place_is_found_by_name_in_the_leads_country(cast):
    from samverka.directory.places import load_municipalities

    load_municipalities()
    client = _client(cast.coordinator)
    data = {"name": "Fritid", "lead": cast.municipality.pk, "horizon": "pilot"}
    data["visibility"] = "members"

    unknown = client.post(reverse("partnerships:create"), data | {"place": "Esbjerg"})
    assert "No place in Sweden has that name." in unknown.text
    assert not Partnership.objects.exists()

    client.post(reverse("partnerships:create"), data | {"place": "göteborg"})
    assert [p.name for p in Partnership.objects.get().places.all()] == ["Göteborg"]


def test_the_api_refuses_places_in_another_country(cast):
    from samverka.directory.models import Place
    from samverka.directory.places import load_municipalities

    load_municipalities()
    esbjerg = Place.objects.get(kind="municipality", name="Esbjerg")
    response = _client(cast.coordinator).post(
        "/api/partnerships",
        {"lead_id": cast.municipality.pk, "name": "X", "places": [esbjerg.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Partnership.objects.exists()


def test_find_partners_is_asked_with_the_partnerships_problem_and_sectors(cast, partnership):
    page = _client(cast.org_admin).get(partnership.get_absolute_url())
    link = page.context["find_partners_url"]
    assert link.startswith(reverse("directory:find_partners"))
    assert "present_sectors=municipality" in link

    found = _client(cast.org_admin).get(link)
    assert found.status_code == 200
    assert found.context["form"].cleaned_data["present_sectors"] == ["municipality"]
