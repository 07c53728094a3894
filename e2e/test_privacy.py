# SPDX-License-Identifier: AGPL-3.0-or-later
"""Ola downloads what Samverka holds about him, then erases his account."""

import json

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.accounts.models import User

pytestmark = pytest.mark.e2e


def test_a_person_downloads_their_data_and_erases_their_account(live_server, cast, page, check):
    log_in(page, cast.outsider.email)
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Download or erase your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    check(page, "privacy")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == cast.outsider.email

    page.get_by_label("Your password, to confirm").fill("not my password")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_role("alert")).to_contain_text("The password is not correct.")
    check(page, "privacy-wrong-password")
    assert User.objects.get(pk=cast.outsider.pk).is_active

    page.get_by_label("Your password, to confirm").fill(cast.PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_role("status")).to_contain_text("Your personal data was erased")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert User.objects.get(pk=cast.outsider.pk).email.endswith("@erased.invalid")
