# SPDX-License-Identifier: AGPL-3.0-or-later
"""Mats, logged in, changes his password from his profile: a wrong old password
is named as such, then the change takes and only the new password logs him in."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import PASSWORD, log_in

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Höstdimma-över-Slottsskogen-42"


def test_it_changes_the_password_and_logs_in_with_the_new_one(live_server, cast, page, check):
    log_in(page, cast.member.email)
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check(page, "password-change")

    old = page.get_by_label(re.compile(r"^Old password:?$"))
    new = page.get_by_label(re.compile(r"^New password:?$"))
    confirmation = page.get_by_label("New password confirmation")
    old.fill("not-my-password-at-all")
    new.fill(NEW_PASSWORD)
    confirmation.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    # The summary names the field and links to it; the field itself says why.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the following:")
    link = summary.get_by_role("link", name=re.compile(r"^Old password: Your old password"))
    expect(link).to_have_attribute("href", "#id_old_password")
    expect(old).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_old_password_error")).to_contain_text(
        "Your old password was entered incorrectly."
    )
    check(page, "password-change-error")
    cast.member.refresh_from_db()
    assert cast.member.check_password(PASSWORD), "a wrong old password changed nothing"

    old.fill(PASSWORD)
    new.fill(NEW_PASSWORD)
    confirmation.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password was changed.")
    # Still logged in after the change (the session was kept).
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    check(page, "password-changed")

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(cast.member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The old password no longer works.
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    log_in(page, cast.member.email, NEW_PASSWORD)
