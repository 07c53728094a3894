# SPDX-License-Identifier: AGPL-3.0-or-later
"""The working pages of a partnership and of a profile: Anna marks checklist steps
done, records a resident dialogue and a mandate, edits the dates and reads the
timeline; Erik sets what Göteborgs Stad offers and the places it serves."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.directory.models import Place, PlaceKind
from samverka.directory.places import add_sub_place, load_municipalities
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.services import create_partnership

pytestmark = pytest.mark.e2e


def test_a_coordinator_keeps_the_partnerships_records(live_server, cast, page, phone_page, check):
    load_checklist()
    partnership = create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Fritid i Hammarkullen",
        problem_statement="Unga saknar fritid på helgerna.",
    )
    log_in(page, cast.coordinator.email)
    page.goto(f"/partnerships/{partnership.pk}/")

    page.get_by_role("link", name="Start checklist").click()
    step = page.locator("#step-2")
    step.get_by_text("Mark step 2 as done").click()
    step.get_by_label("What was done").fill("Boendeintervjuer med 140 boende.")
    step.get_by_role("button", name="Step 2 is done").click()
    expect(page.get_by_role("status")).to_contain_text("Step 2 is done.")
    check(page, "partnership-checklist")

    page.get_by_role("link", name="Residents", exact=True).click()
    page.get_by_label("How").select_option("interview")
    page.get_by_label("Date").fill("2026-05-04")
    page.get_by_label("Residents reached").fill("140")
    page.get_by_role("group", name="Groups reached").get_by_label("Young people").check()
    page.get_by_label(re.compile("^What came out")).fill("Grillplatser\nLekpark")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("resident involvement was recorded")
    expect(page.get_by_text("140 residents reached so far.")).to_be_visible()
    expect(page.get_by_text("Groups reached: Young people")).to_be_visible()
    check(page, "partnership-residents")

    page.get_by_role("link", name="Mandates").click()
    page.get_by_label(re.compile("^Decided by")).fill("Kommunstyrelsen")
    page.get_by_label("Decided on").fill("2026-03-01")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("The mandate was recorded.")
    check(page, "partnership-mandates")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Starts").fill("2026-08-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The partnership was saved.")

    phone_page.goto("/accounts/login/")
    log_in(phone_page, cast.member.email)
    phone_page.goto(f"/partnerships/{partnership.pk}/timeline/")
    timeline = phone_page.get_by_role("list").filter(has_text="started the partnership")
    expect(timeline).to_contain_text("recorded resident involvement")
    expect(timeline).to_contain_text(
        "Anna Testsson, for Göteborgs Stad, recorded a mandate from Kommunstyrelsen"
    )
    expect(timeline).to_contain_text("Göteborgs Stad joined at step 1, represented by Erik")
    check(phone_page, "phone-partnership-timeline")
    phone_page.get_by_role("link", name="Overview").click()
    expect(phone_page.get_by_text("Groups reached: Young people")).to_be_visible()


def test_an_admin_sets_what_the_organisation_offers_and_where(live_server, cast, page, check):
    load_municipalities()
    goteborg = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Göteborg")
    add_sub_place(
        parent=goteborg, name="Hammarkullen", kind=PlaceKind.NEIGHBOURHOOD, code="hammarkullen"
    )
    log_in(page, cast.org_admin.email)
    page.goto(f"/organisations/{cast.municipality.pk}/edit/")
    page.get_by_role("group", name="Themes").get_by_label("Safety").check()
    page.get_by_label(re.compile("^Premises")).check()
    page.get_by_label("What exactly: Premises").fill("Lokal i Hammarkullen, kvällar")
    page.get_by_label(re.compile("^What we can commit to")).fill("Till 2030, en halvtid.")
    check(page, "organisation-edit-offer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("region", name="What we offer and can commit to")).to_contain_text(
        "Lokal i Hammarkullen, kvällar"
    )

    page.get_by_role("link", name="Places").click()
    page.get_by_label("Find a place").fill("Hammark")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add Hammarkullen").click()
    expect(page.get_by_role("status")).to_contain_text("The places were saved.")
    expect(page.get_by_role("button", name="Remove Hammarkullen")).to_be_visible()
    check(page, "organisation-places")
