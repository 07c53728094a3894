# SPDX-License-Identifier: AGPL-3.0-or-later
"""The same pages on a phone-size screen (390 × 844)."""

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e


def test_it_works_on_a_phone(live_server, cast, phone_page, check):
    page = phone_page
    log_in(page, cast.org_admin.email)
    yours = page.get_by_role("table", name="Your organisations and your role in each")
    expect(yours).to_contain_text("Göteborgs Stad")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    check(page, "phone-home")

    page.goto(f"/organisations/{cast.municipality.pk}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Göteborgs Stad")
    expect(page.get_by_label(f"Role of {cast.member.email}")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    check(page, "phone-members")
