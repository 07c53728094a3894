# SPDX-License-Identifier: AGPL-3.0-or-later
"""The search page's layout (issue 20): on a desktop the filters sit beside the
results; on a phone the results come first and nothing runs off the screen."""

import pytest
from playwright.sync_api import expect

from samverka.directory.search import rebuild
from samverka.directory.services import create_organisation

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def directory(transactional_db):
    for name, sector, themes in [
        ("Läxhjälpen Rinkeby", "civil_society", ["education", "children_youth"]),
        ("Läxhjälp i Tensta", "civil_society", ["education"]),
        ("Rinkeby Bostäder", "public_housing", ["housing", "safety"]),
    ]:
        create_organisation(
            by=None,
            name=name,
            country="SE",
            sector=sector,
            description="Vi ger läxhjälp till barn och unga, tre kvällar i veckan.",
            themes=themes,
        )
    # Flushes between browser tests do not reach the search index: start clean.
    rebuild()


def test_on_a_desktop_the_filters_sit_beside_the_results(live_server, directory, page, check):
    page.goto("/organisations/search/?q=läxhjälp")
    first = page.locator(".search-hit").first
    facets = page.locator(".facets")
    expect(first).to_be_visible()
    expect(facets.get_by_role("link", name="Education")).to_be_visible()
    result, aside = first.bounding_box(), facets.bounding_box()
    assert result and aside
    # Side by side: the filters start to the right of the results, level with them,
    # and the results get the wider column.
    assert aside["x"] >= result["x"] + result["width"]
    assert aside["y"] < result["y"] + result["height"]
    assert result["width"] > aside["width"]
    # Each count on the line of its value.
    item = facets.locator(".facet-list li").first
    label, count = item.locator("a").bounding_box(), item.locator(".facet-count").bounding_box()
    assert label and count
    assert abs(label["y"] - count["y"]) < 4 and count["x"] > label["x"]
    check(page, "search")


def test_on_a_phone_the_results_come_first_and_fit(live_server, directory, new_context, check):
    phone = new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto("/organisations/search/?q=läxhjälp&country=SE")
    first = phone.locator(".search-hit").first
    facets = phone.locator(".facets")
    expect(first).to_be_visible()
    expect(facets.locator("summary")).to_have_text("Filters (1 active)")
    # Reading order is DOM order: the first result precedes the filters, and on
    # the screen too.
    follows = first.evaluate(
        "(hit) => !!(hit.compareDocumentPosition(document.querySelector('.facets'))"
        " & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert follows
    result, aside = first.bounding_box(), facets.bounding_box()
    assert result and aside and aside["y"] > result["y"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    # The filters fold away.
    facets.locator("summary").click()
    expect(facets.get_by_role("link", name="Education")).to_be_hidden()
    check(phone, "search-phone-layout")


def test_nothing_found_offers_ways_out(live_server, directory, page, check):
    page.goto("/organisations/search/?q=läxhjälp&sector=business")
    expect(page.get_by_role("heading", name="No organisations match “läxhjälp”.")).to_be_visible()
    check(page, "search-nothing-found")
    page.get_by_role("link", name="Remove the filter Sector: Business").click()
    expect(page.locator(".search-hit")).to_have_count(3)
