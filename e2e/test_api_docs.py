# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API documentation behind the footer's "API (OpenAPI)" link: Swagger UI,
served from our own static files, rendering under the real strict CSP and
passing every axe rule, colour contrast included (static/css/api-docs.css)."""

import pytest
from playwright.sync_api import expect

from e2e.axe import axe_violations, format_violations
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e


def test_the_footer_opens_the_interactive_api_documentation(live_server, db, page, watcher):
    page.goto("/")
    page.get_by_role("link", name="API (OpenAPI)").click()

    expect(page).to_have_url(f"{live_server.url}/api/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("API documentation")
    # Swagger UI ran (its bundle, started by our api-docs.js) and listed the operations.
    members = page.locator(".opblock", has_text="/api/organisations/{pk}/members").first
    # The bundle is large and parses slowly on a busy machine: more than the default wait.
    expect(members).to_be_visible(timeout=30_000)
    expect(page.get_by_text("personal API token").first).to_be_visible()
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs.png", full_page=True, animations="disabled")

    violations = axe_violations(page)
    assert not violations, format_violations(violations, "api-docs page")

    # An operation opened shows its parameters and responses: checked as well.
    summary = members.locator(".opblock-summary-control")
    summary.click()
    expect(summary).to_have_attribute("aria-expanded", "true")
    expect(members.locator("tr[data-param-name='pk']")).to_be_visible()
    expect(members.get_by_role("button", name="Try it out")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "api-docs-operation.png", animations="disabled")
    violations = axe_violations(page)
    assert not violations, format_violations(violations, "api-docs with an operation open")
    assert not watcher.take(), "CSP violations or script errors on the API docs"

    page.get_by_role("link", name="OpenAPI schema (JSON)").click()
    expect(page).to_have_url(f"{live_server.url}/api/openapi.json")
