# SPDX-License-Identifier: AGPL-3.0-or-later
"""A person invited to a Danish organisation by an administrator working in
English keeps the language of their own (Swedish) browser, from the invitation
on and after logging in again."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "Hisingsbron-i-kvällsljus-2025"


def test_a_swedish_browser_keeps_swedish_after_an_invitation(live_server, cast, new_context, check):
    from samverka.accounts.services import invite_member

    _invitation, raw_token = invite_member(
        organisation=cast.ngo,  # Danish: the e-mail goes out in Danish
        email="lina.berg@goteborg.example",
        role="member",
        by=cast.platform_admin,
    )
    page = new_context(locale="sv-SE").new_page()

    page.goto(f"/accounts/invitations/{raw_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gå med i Røde Kors Esbjerg")
    page.get_by_label("Förnamn").fill("Lina")
    page.get_by_label("Efternamn").fill("Berg")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Skapa konto och gå med").click()
    expect(page.get_by_role("status")).to_contain_text("Välkommen till Røde Kors Esbjerg.")

    page.goto("/accounts/profile/")
    language = page.get_by_label("Språk")
    expect(language).to_have_value("sv")
    expect(language.locator("option[value='']")).to_have_text("Välj…")
    check(page, "profile-in-swedish")
    page.get_by_role("button", name="Logga ut").click()

    # The next day, from a borrowed English browser: the interface is Swedish again.
    other = new_context(locale="en-GB").new_page()
    other.goto("/accounts/login/")
    other.get_by_label("E-mail address").fill("lina.berg@goteborg.example")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(other.locator("html")).to_have_attribute("lang", "sv")
