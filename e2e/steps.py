# SPDX-License-Identifier: AGPL-3.0-or-later
"""Steps several journeys share."""

from playwright.sync_api import Page, expect

PASSWORD = "a-long-test-password"  # Cast.PASSWORD in the root conftest.py


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
