# SPDX-License-Identifier: AGPL-3.0-or-later
"""Looking for homework help in Rinkeby (issue 5): typing updates the results
on a desktop; on a phone, and without JavaScript, the form works by submitting."""

import re

import pytest
from playwright.sync_api import expect

from samverka.directory.search import rebuild
from samverka.directory.services import create_organisation

pytestmark = pytest.mark.e2e


@pytest.fixture
def directory(transactional_db):
    create_organisation(
        by=None,
        name="Läxhjälpen Rinkeby",
        country="SE",
        sector="civil_society",
        description="Vi ger hjälp med läxor till barn och unga, tre kvällar i veckan.",
        themes=["education", "children_youth"],
    )
    create_organisation(
        by=None,
        name="Rinkeby Bostäder",
        country="SE",
        sector="public_housing",
        description="Trygghetsvandringar och lokaler för föreningar.",
        themes=["housing", "safety"],
    )
    # Flushes between browser tests do not reach the search index: start clean.
    rebuild()


def test_results_follow_the_typing_on_a_desktop(live_server, directory, page, check):
    page.goto("/organisations/search/")
    check(page, "search-empty")
    page.get_by_label("Search", exact=True).press_sequentially("läxhjälp")
    results = page.locator("#search-results")
    expect(results).to_contain_text("Läxhjälpen Rinkeby")
    expect(results).not_to_contain_text("Rinkeby Bostäder")
    expect(page.get_by_role("status")).to_contain_text("1 organisation found")
    expect(page).to_have_url(re.compile(r"/organisations/search/\?q=l%C3%A4xhj%C3%A4lp", re.I))
    check(page, "search-results")

    page.get_by_label("Search", exact=True).fill("trygghetsvandring")
    expect(results).to_contain_text("Rinkeby Bostäder")
    # The filters are folded until used, so the results follow the search box.
    expect(page.get_by_label("Sector")).to_be_hidden()
    page.get_by_text("Filter and sort").click()
    page.get_by_label("Sector").select_option("civil_society")
    expect(page.get_by_role("status")).to_contain_text("0 organisations found")


def test_searching_on_a_phone_without_javascript(live_server, directory, new_context, check):
    from e2e.conftest import PHONE

    page = new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False).new_page()
    page.goto("/organisations/search/")
    page.get_by_label("Search", exact=True).fill("hjälp med läxor")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-results")).to_contain_text("Läxhjälpen Rinkeby")
    expect(page.locator("mark").first).to_be_visible()
    check(page, "search-phone")
