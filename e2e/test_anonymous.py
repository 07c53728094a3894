# SPDX-License-Identifier: AGPL-3.0-or-later
"""A visitor who is not logged in: front page, languages, directory, login."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

LANGUAGES = [("Svenska", "sv"), ("Norsk (bokmål)", "nb"), ("Dansk", "da"), ("English", "en")]


def test_it_switches_language_and_remembers_it(live_server, cast, page, check):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check(page, "home")

    for button, code in LANGUAGES:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.get_by_role("button", name=button, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        check(page, f"home-{code}")
        # The choice is a cookie, so a fresh page load keeps it.
        page.goto("/organisations/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", code)


def test_it_browses_the_directory(live_server, cast, page, check):
    page.goto("/")
    page.get_by_role("link", name="Browse organisations").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    check(page, "organisation-list")

    page.get_by_role("link", name="Göteborgs Stad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Göteborgs Stad")
    expect(page.get_by_text("Kommunen.")).to_be_visible()
    expect(page.get_by_role("link", name="Members")).to_have_count(0)
    check(page, "organisation")


def test_it_shows_the_error_summary_after_a_failed_login(live_server, cast, page, check):
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    check(page, "login")

    page.get_by_label("E-mail address").fill(cast.org_admin.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Please correct the following:")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    check(page, "login-failed")
