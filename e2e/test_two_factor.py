# SPDX-License-Identifier: AGPL-3.0-or-later
"""A new platform administrator is sent to set up two-factor authentication,
types the key into an app, keeps the recovery codes, and logs in again with
a code."""

import time
from base64 import b32decode

import pytest
from playwright.sync_api import expect

from e2e.steps import PASSWORD

pytestmark = pytest.mark.e2e


def app_shows(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app given this key shows (RFC 6238, 30 s, 6 digits)."""
    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_admin_sets_up_two_factor_and_logs_in_with_a_code(live_server, cast, page, check):
    from samverka.accounts.models import User

    User.objects.create_user(
        "lars.admin@test.example", PASSWORD, first_name="Lars", is_staff=True, is_superuser=True
    )
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("lars.admin@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    check(page, "two-factor-setup")
    secret = page.locator("#secret-key").inner_text()

    page.get_by_label("Code").fill(app_shows(secret))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("status").first).to_contain_text("Two-factor authentication is on.")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    check(page, "two-factor-recovery-codes")

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("lars.admin@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/")
    check(page, "two-factor-login")
    # A code once used is never accepted again: the app's next one (the server
    # accepts one step ahead) stands in for waiting half a minute.
    page.get_by_label("Code").fill(app_shows(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Administration").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
