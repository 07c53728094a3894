# SPDX-License-Identifier: AGPL-3.0-or-later
"""A person who forgot their password gets a new one by e-mail and logs in."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Vinterljus-över-Älvsborgsbron-7"


def test_it_resets_a_forgotten_password(live_server, cast, page, check):
    page.goto("/accounts/login/")
    expect(page.get_by_text("Accounts are created by invitation")).to_be_visible()
    check(page, "password-reset-login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check(page, "password-reset-request")

    page.get_by_label("E-mail address").fill("Member@Goteborg.example")
    page.get_by_role("button", name="Send the link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    check(page, "password-reset-sent")
    assert [message.to for message in mail.outbox] == [[cast.member.email]]
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    page.goto(link.group(0).removeprefix(settings.SITE_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    check(page, "password-reset")
    page.get_by_role("button", name="Save the new password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your password was changed")
    check(page, "password-reset-done")
    log_in(page, cast.member.email, NEW_PASSWORD)
