# SPDX-License-Identifier: AGPL-3.0-or-later
"""Erik, administrator of Göteborgs Stad, looks after his organisation."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e

NEW_DESCRIPTION = "Göteborgs Stad samverkar med föreningar och bostadsbolag i Angered."


def test_it_edits_the_profile_and_sees_it_in_the_history(live_server, cast, page, check):
    log_in(page, cast.org_admin.email)
    yours = page.get_by_role("table", name="Your organisations and your role in each")
    row = yours.get_by_role("row").filter(has_text="Göteborgs Stad")
    expect(row).to_contain_text("Administrator")
    check(page, "home-logged-in")

    row.get_by_role("link", name="Göteborgs Stad").click()
    expect(page.get_by_text("You: Administrator")).to_be_visible()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Göteborgs Stad")
    check(page, "organisation-edit")

    page.get_by_label(re.compile(r"^Description")).fill(NEW_DESCRIPTION)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live_server.url}/organisations/{cast.municipality.pk}/")
    expect(page.get_by_role("status")).to_contain_text("The profile was saved.")
    expect(page.get_by_role("region", name="About")).to_contain_text(NEW_DESCRIPTION)
    check(page, "organisation-saved")

    page.get_by_role("link", name="History").click()
    entry = page.get_by_role("listitem").filter(has_text="edited the profile")
    expect(entry).to_contain_text("Erik Testsson")
    change = entry.get_by_role("row").filter(has_text="Description")
    expect(change).to_contain_text("Kommunen.")
    expect(change).to_contain_text(NEW_DESCRIPTION)
    check(page, "organisation-history")


def test_it_invites_a_person_and_changes_a_role_in_place(live_server, cast, page, check):
    from samverka.accounts.models import Membership

    log_in(page, cast.org_admin.email)
    page.goto(f"/organisations/{cast.municipality.pk}/")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members of Göteborgs Stad")
    check(page, "members")

    invite = page.get_by_role("region", name="Invite a person")
    invite.get_by_label("E-mail address").fill("new.colleague@goteborg.example")
    invite.get_by_label("Role").select_option("coordinator")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "An invitation was sent to new.colleague@goteborg.example."
    )
    pending = page.get_by_role("listitem").filter(has_text="new.colleague@goteborg.example")
    expect(pending).to_contain_text("Coordinator")
    check(page, "members-invited")

    # With JavaScript, htmx posts the form and swaps just this row.
    members_url = page.url
    page.evaluate("() => { window.stillTheSamePage = true; }")
    row = page.get_by_role("row").filter(has_text=cast.member.email)
    row.get_by_label(f"Role of {cast.member.email}").select_option("coordinator")
    row.get_by_role("button", name="Change role").click()
    expect(row.get_by_role("status")).to_have_text("Saved.")
    expect(row.get_by_label(f"Role of {cast.member.email}")).to_have_value("coordinator")
    assert page.url == members_url
    assert page.evaluate("() => window.stillTheSamePage === true"), "the whole page reloaded"
    assert Membership.objects.get(user=cast.member).role == "coordinator"
    check(page, "members-role-changed")


def test_it_manages_the_profile_and_api_tokens(live_server, cast, page, check):
    from samverka.accounts.models import ApiToken

    log_in(page, cast.org_admin.email)
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    check(page, "profile")

    page.get_by_role("link", name="Manage your personal API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    check(page, "tokens")

    page.get_by_label("Name").fill("Quarterly report script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("It will not be shown again.")
    key = page.locator("#new-token").inner_text()
    token = ApiToken.objects.get(user=cast.org_admin)
    assert key.startswith(token.prefix)
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("Quarterly report script")
    check(page, "token-created")

    page.reload()  # the key was shown after a redirect: reloading creates no second token
    assert ApiToken.objects.filter(user=cast.org_admin).count() == 1
    page.goto("/accounts/tokens/")
    expect(page.get_by_role("table", name="Your tokens")).to_contain_text("Quarterly report script")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_text(key)).to_have_count(0)
