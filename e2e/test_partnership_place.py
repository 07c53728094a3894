# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anna, coordinator of the lead organisation, moves a partnership from Göteborg
to Mölndal through its edit form; Mats, a plain member, sees the place but has
no way to change it."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.directory.models import Place
from samverka.directory.places import load_municipalities
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.services import create_partnership

pytestmark = pytest.mark.e2e


def test_a_coordinator_changes_the_place_and_a_member_cannot(live_server, cast, new_context, check):
    load_checklist()
    load_municipalities()
    goteborg = Place.objects.get(kind="municipality", country="SE", name="Göteborg")
    partnership = create_partnership(
        by=cast.coordinator,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement="Unga saknar meningsfull fritid på helgerna.",
        places=[goteborg.pk],
    )
    url = partnership.get_absolute_url()

    anna = new_context().new_page()
    log_in(anna, cast.coordinator.email)
    anna.goto(url)
    lead = anna.locator("p.lead")
    expect(lead).to_contain_text("Göteborg")
    anna.get_by_role("navigation", name="Partnership").get_by_role("link", name="Edit").click()
    place = anna.get_by_label(re.compile(r"^Place"))
    expect(place).to_have_value("Göteborg")

    # A place the lead's country does not have is refused, and nothing changes.
    place.fill("Esbjerg")
    anna.get_by_role("button", name="Save").click()
    expect(anna.get_by_role("alert")).to_contain_text("No place in Sweden has that name.")
    expect(place).to_have_value("Esbjerg")
    check(anna, "partnership-place-error")
    assert [p.name for p in partnership.places.all()] == ["Göteborg"]

    place.fill("Mölndal")
    anna.get_by_role("button", name="Save").click()
    expect(anna.get_by_role("status")).to_contain_text("The partnership was saved.")
    expect(anna).to_have_url(re.compile(re.escape(url) + "$"))
    expect(lead).to_contain_text("Mölndal")
    expect(lead).not_to_contain_text("Göteborg")
    check(anna, "partnership-place-changed")
    anna.get_by_role("link", name="Timeline").click()
    expect(anna.get_by_text("changed the partnership's place to Mölndal")).to_be_visible()

    # Mats, a plain member of the lead organisation, sees the place, not the control.
    mats = new_context().new_page()
    log_in(mats, cast.member.email)
    mats.goto(url)
    expect(mats.locator("p.lead")).to_contain_text("Mölndal")
    tabs = mats.get_by_role("navigation", name="Partnership")
    expect(tabs.get_by_role("link", name="Overview")).to_be_visible()
    expect(tabs.get_by_role("link", name="Edit")).to_have_count(0)
    mats.goto(f"{url}edit/")
    expect(mats.get_by_role("heading", level=1)).to_have_text("You are not allowed to do this")
    expect(mats.get_by_label(re.compile(r"^Place"))).to_have_count(0)
    assert [p.name for p in partnership.places.all()] == ["Mölndal"]
