# SPDX-License-Identifier: AGPL-3.0-or-later
"""Ola, logged in but from no organisation, suggests a change to Göteborgs Stad's
profile; Erik, its administrator, accepts it. Then Ola claims an unclaimed
profile, which a platform administrator approves."""

import re

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.directory.services import create_organisation

pytestmark = pytest.mark.e2e


def test_a_suggestion_is_accepted_by_the_admin(live_server, cast, new_context, page, check):
    log_in(page, cast.outsider.email)
    page.goto(f"/organisations/{cast.municipality.pk}/")
    page.get_by_role("link", name="Suggest a change to this profile").click()
    check(page, "suggest-change")
    page.get_by_label(re.compile(r"^What we can commit to")).fill("Överenskommelsen till 2030.")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("status")).to_contain_text("administrators will look at it")

    admin = new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    log_in(admin, cast.org_admin.email)
    admin.goto(f"/organisations/{cast.municipality.pk}/")
    admin.get_by_role("link", name="Suggestions").click()
    expect(admin.get_by_role("table")).to_contain_text("Överenskommelsen till 2030.")
    check(admin, "suggestions-review")
    admin.get_by_role("button", name="Accept and save").click()
    expect(admin.get_by_role("status")).to_contain_text("accepted and saved")
    admin.goto(f"/organisations/{cast.municipality.pk}/")
    expect(admin.get_by_role("region", name="What we offer and can commit to")).to_contain_text(
        "Överenskommelsen till 2030."
    )


def test_an_unclaimed_profile_is_claimed(live_server, cast, new_context, page, check):
    organisation = create_organisation(
        by=None, name="Hjällbo grannar", country="SE", sector="residents_association"
    )
    log_in(page, cast.outsider.email)
    page.goto(f"/organisations/{organisation.pk}/")
    page.get_by_role("link", name="Do you work here? Claim the profile").click()
    page.get_by_label(re.compile(r"^Your role in the organisation")).fill("Kassör i styrelsen.")
    page.get_by_role("button", name="Claim the profile").click()
    expect(page.get_by_role("status")).to_contain_text("platform administrator will check")

    admin = new_context().new_page()
    log_in(admin, cast.platform_admin.email)
    admin.goto("/organisations/claims/")
    check(admin, "claims-review")
    admin.get_by_role("button", name="Approve for Hjällbo grannar").click()
    expect(admin.get_by_role("status")).to_contain_text("The claim was approved.")

    page.goto(f"/organisations/{organisation.pk}/")
    expect(page.get_by_text("has not been claimed")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit profile")).to_be_visible()
