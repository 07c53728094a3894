# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every form also works as a plain POST, without JavaScript."""

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e


def test_it_changes_a_role_with_a_plain_post(live_server, cast, no_js_page, check):
    from samverka.accounts.models import Membership

    page = no_js_page
    log_in(page, cast.org_admin.email)
    members_url = f"{live_server.url}/organisations/{cast.municipality.pk}/members/"
    page.goto(members_url)
    assert page.evaluate("() => typeof window.htmx") == "undefined"

    row = page.get_by_role("row").filter(has_text=cast.member.email)
    row.get_by_label(f"Role of {cast.member.email}").select_option("coordinator")
    with page.expect_navigation():
        row.get_by_role("button", name="Change role").click()
    expect(page).to_have_url(members_url)  # redirected back after the POST
    expect(page.get_by_role("status")).to_contain_text("The role was changed.")
    expect(row.get_by_label(f"Role of {cast.member.email}")).to_have_value("coordinator")
    assert Membership.objects.get(user=cast.member).role == "coordinator"
    check(page, "members-role-changed-without-javascript")
