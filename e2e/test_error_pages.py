# SPDX-License-Identifier: AGPL-3.0-or-later
"""The friendly error pages a visitor can land on, checked with axe on a
desktop and a phone, in the browser's language."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_missing_page_is_friendly_and_accessible(live_server, db, new_context, check):
    page = new_context(locale="sv-SE").new_page()

    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan hittades inte")
    check(page, "not-found-sv")

    page.get_by_role("link", name="Gå till startsidan").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_missing_page_works_on_a_phone(live_server, db, phone_page, check):
    response = phone_page.goto("/organisations/999999/")

    assert response is not None and response.status == 404
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check(phone_page, "not-found-phone")
