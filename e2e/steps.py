# SPDX-License-Identifier: AGPL-3.0-or-later
"""Steps several journeys share."""

import time

from playwright.sync_api import Page, expect

PASSWORD = "a-long-test-password"  # Cast.PASSWORD in the root conftest.py


def app_code(email: str) -> str:
    """What the person's authenticator app shows now (or the next code, if this
    one was just used: the server accepts one step ahead, never a used one)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    code = page.get_by_label("Code")
    log_out = page.get_by_role("button", name="Log out")
    expect(code.or_(log_out)).to_be_visible()
    if code.is_visible():  # two-factor is on (every platform administrator)
        code.fill(app_code(email))
        page.get_by_role("button", name="Continue").click()
    expect(log_out).to_be_visible()
