# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mette, administrator of Røde Kors Esbjerg, opens the organisation's entry doors:
what to contact them about, who answers, and how (seed 004)."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.directory.models import EntryDoor

pytestmark = pytest.mark.e2e


def test_an_admin_adds_an_entry_door_that_everyone_then_sees(
    live_server, cast, page, phone_page, check
):
    log_in(page, cast.other_member.email)
    page.goto(f"/organisations/{cast.ngo.pk}/")
    expect(page.get_by_text("has not listed its entry doors yet")).to_be_visible()
    page.get_by_role("link", name="Entry doors", exact=True).click()
    check(page, "entry-doors-empty")

    page.get_by_label(re.compile(r"^Contact us about")).fill("Samarbejde om udsatte boligområder")
    page.get_by_label(re.compile(r"^Who answers")).fill("De regionale Røde Kors-konsulenter")
    page.get_by_role("button", name="Add", exact=True).click()
    # No e-mail, phone or form yet: the form says what is missing and keeps the text.
    expect(page.get_by_role("alert")).to_contain_text("at least one way to make contact")
    expect(page.get_by_label(re.compile(r"^Who answers"))).to_have_value(
        "De regionale Røde Kors-konsulenter"
    )
    check(page, "entry-doors-error")

    page.get_by_label(re.compile(r"^E-mail")).fill("samarbejde@rodekors.example")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The entry door was added.")
    assert EntryDoor.objects.filter(organisation=cast.ngo).count() == 1
    check(page, "entry-doors")

    page.get_by_role("link", name="Edit “Samarbejde om udsatte boligområder”").click()
    check(page, "entry-door-edit")
    page.get_by_label(re.compile(r"^When")).fill("Hverdage 9–15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The entry door was saved.")
    assert EntryDoor.objects.get(organisation=cast.ngo).opening_hours == "Hverdage 9–15"

    phone_page.goto(f"/organisations/{cast.ngo.pk}/")
    doors = phone_page.get_by_role("region", name="How to reach us")
    expect(doors).to_contain_text("Samarbejde om udsatte boligområder")
    expect(doors.get_by_role("link", name="samarbejde@rodekors.example")).to_have_attribute(
        "href", "mailto:samarbejde@rodekors.example"
    )
    check(phone_page, "phone-organisation-entry-doors")
