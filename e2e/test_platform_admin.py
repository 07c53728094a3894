# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pia, a platform administrator, uses Django's admin. axe findings on the
admin's own pages are reported (test-artifacts/axe/), not failed on."""

import pytest
from playwright.sync_api import expect

from e2e.steps import log_in

pytestmark = pytest.mark.e2e


def test_it_opens_the_organisation_list_in_the_admin(live_server, cast, page, check):
    log_in(page, cast.platform_admin.email)
    page.get_by_role("link", name="Administration").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    check(page, "admin-index", strict=False)

    page.get_by_role("link", name="Organisations", exact=True).first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/directory/organisation/")
    results = page.locator("#result_list")
    expect(results).to_contain_text("Göteborgs Stad")
    expect(results).to_contain_text("Røde Kors Esbjerg")
    check(page, "admin-organisations", strict=False)
