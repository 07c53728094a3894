# SPDX-License-Identifier: AGPL-3.0-or-later
"""A person without an account accepts an invitation and joins."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_it_creates_an_account_from_an_invitation(live_server, cast, page, check):
    from samverka.accounts.models import Membership
    from samverka.accounts.services import invite_member

    _invitation, raw_token = invite_member(
        organisation=cast.municipality,
        email="lina.berg@goteborg.example",
        role="member",
        by=cast.org_admin,
    )

    page.goto(f"/accounts/invitations/{raw_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Göteborgs Stad")
    expect(page.get_by_text("This invitation is for lina.berg@goteborg.example")).to_be_visible()
    check(page, "invitation")

    page.get_by_label("First name").fill("Lina")
    page.get_by_label("Last name").fill("Berg")
    page.get_by_label("Password").fill("Hisingsbron-i-kvällsljus-2025")
    page.get_by_role("button", name="Create account and join").click()

    expect(page).to_have_url(f"{live_server.url}/organisations/{cast.municipality.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Welcome to Göteborgs Stad.")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Members")).to_be_visible()
    membership = Membership.objects.get(user__email="lina.berg@goteborg.example")
    assert (membership.organisation, membership.role) == (cast.municipality, "member")
    check(page, "invitation-accepted")
