# SPDX-License-Identifier: AGPL-3.0-or-later
"""Someone in Esbjerg looks for partners for leisure jobs and internships for the
young people of Østerbyen (seed 004), with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from samverka.directory.models import Place, PlaceKind
from samverka.directory.places import add_sub_place, load_municipalities
from samverka.directory.services import create_organisation

pytestmark = pytest.mark.e2e


@pytest.fixture
def esbjerg(transactional_db):
    load_municipalities()
    municipality = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Esbjerg")
    osterbyen = add_sub_place(
        parent=municipality, name="Østerbyen", kind=PlaceKind.DISTRICT, code="osterbyen"
    )
    create_organisation(
        by=None,
        name="Business Esbjerg",
        country="DK",
        sector="business_association",
        places=[osterbyen.pk],
        themes=["jobs", "children_youth"],
        capabilities={"jobs_internships": "Fritidsjob og praktikpladser til unge i Østerbyen"},
    )
    create_organisation(
        by=None,
        name="Røde Kors Esbjerg",
        country="DK",
        sector="civil_society",
        places=[municipality.pk],
        capabilities={"volunteers": "Frivillige via den lokale afdeling"},
    )
    return osterbyen


def _search(page):
    page.goto("/organisations/find-partners/")
    page.get_by_label(re.compile(r"^What do you want to solve")).fill(
        "Fritidsjob og praktikpladser til unge"
    )
    page.get_by_label(re.compile(r"^Place")).fill("Østerbyen")
    page.get_by_label("Jobs and internships").check()
    page.get_by_role("button", name="Find partners").click()


def test_the_ranking_explains_itself(live_server, esbjerg, page, check):
    page.goto("/organisations/find-partners/")
    check(page, "find-partners-empty")
    _search(page)

    results = page.get_by_role("region", name="Suggested partners")
    first = results.get_by_role("listitem").first
    expect(first).to_contain_text("Business Esbjerg")
    expect(first).to_contain_text("Works in Østerbyen, Esbjerg")
    expect(first).to_contain_text("Offers jobs and internships")
    expect(first).to_contain_text("Not in any partnership yet")
    expect(results).to_contain_text("Røde Kors Esbjerg")
    check(page, "find-partners-results")


def test_it_works_without_javascript(live_server, esbjerg, no_js_page, check):
    _search(no_js_page)
    expect(no_js_page.get_by_role("region", name="Suggested partners")).to_contain_text(
        "Business Esbjerg"
    )
    check(no_js_page, "find-partners-no-js")


def test_an_empty_search_says_what_is_missing(live_server, esbjerg, page, check):
    page.goto("/organisations/find-partners/")
    page.get_by_role("button", name="Find partners").click()
    expect(page.get_by_role("alert")).to_contain_text("Describe what you want to solve")
    check(page, "find-partners-error")


def test_on_a_phone_the_results_come_before_the_filters(live_server, esbjerg, phone_page, check):
    # Next door but nothing to do with young people or jobs (issue 20: a pizzeria
    # ranked fourth for a youth-safety problem).
    create_organisation(
        by=None, name="Pizzeria Østerbyen", country="DK", sector="business", places=[esbjerg.pk]
    )
    page = phone_page
    _search(page)

    results = page.get_by_role("region", name="Suggested partners")
    cards = results.get_by_role("listitem").filter(has=page.get_by_role("heading"))
    expect(cards.first).to_contain_text("Business Esbjerg")
    expect(cards.first).to_contain_text("Themes from your text")
    names = [card.get_by_role("heading").inner_text() for card in cards.all()]
    assert names.index("Business Esbjerg") < names.index("Pizzeria Østerbyen")
    # The results are above the form, and the ~40 sectors are folded away.
    filters = page.locator("summary", has_text="Filter by sector")
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]
    expect(page.get_by_label("Municipality", exact=True).first).to_be_hidden()
    filters.click()
    expect(page.get_by_label("Municipality", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check(page, "find-partners-phone")
