# SPDX-License-Identifier: AGPL-3.0-or-later
"""The invited organisation's administrator joins a partnership from the front page."""

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e


def test_an_invited_admin_joins_from_the_front_page(live_server, cast, page, check):
    from samverka.partnerships.checklist import load_checklist
    from samverka.partnerships.models import MemberStatus
    from samverka.partnerships.services import create_partnership, invite_organisation

    load_checklist()
    partnership = create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Trygghet i Hammarkullen"
    )
    member = invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="partner", by=cast.org_admin
    )

    log_in(page, cast.other_member.email)
    page.goto("/")
    invitations = page.get_by_role("region", name="Invitations to partnerships")
    expect(invitations).to_contain_text("Røde Kors Esbjerg is invited as")
    expect(invitations.get_by_role("link", name="Trygghet i Hammarkullen")).to_be_visible()
    check(page, "pending-invitations")

    invitations.get_by_role(
        "button", name="Join Trygghet i Hammarkullen for Røde Kors Esbjerg"
    ).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("status")).to_contain_text("Røde Kors Esbjerg joined the partnership.")
    expect(page.get_by_role("region", name="Invitations to partnerships")).to_have_count(0)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    check(page, "pending-invitations-joined")
