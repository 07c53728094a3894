# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API documentation behind the footer's "API (OpenAPI)" link: Swagger UI,
served from our own static files, rendering under the real strict CSP."""

import pytest
from playwright.sync_api import expect

from e2e.axe import axe_violations, format_violations
from e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e

# Swagger UI's own markup (django-ninja's bundle, which we do not write) fails
# these two: its method badges and grey buttons have low contrast, and each
# operation's summary button holds a copy-link button. Our page around it is
# checked with every rule.
SWAGGER_UI_RULES_OFF = ("color-contrast", "nested-interactive")


def test_the_footer_opens_the_interactive_api_documentation(live_server, db, page, watcher):
    page.goto("/")
    page.get_by_role("link", name="API (OpenAPI)").click()

    expect(page).to_have_url(f"{live_server.url}/api/docs")
    expect(page.get_by_role("heading", level=1)).to_have_text("API documentation")
    # Swagger UI ran (its bundle, started by our api-docs.js) and listed the operations.
    operation = page.locator(".opblock-summary-path", has_text="/api/organisations/{pk}/members")
    # The bundle is large and parses slowly on a busy machine: more than the default wait.
    expect(operation.first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("personal API token").first).to_be_visible()
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "api-docs.png", full_page=True, animations="disabled")

    ours = axe_violations(page, context={"exclude": [["#swagger-ui"]]})
    assert not ours, format_violations(ours, "api-docs page")
    theirs = axe_violations(
        page, context={"include": [["#swagger-ui"]]}, disabled_rules=SWAGGER_UI_RULES_OFF
    )
    assert not theirs, format_violations(theirs, "api-docs Swagger UI")
    assert not watcher.take(), "CSP violations or script errors on the API docs"

    page.get_by_role("link", name="OpenAPI schema (JSON)").click()
    expect(page).to_have_url(f"{live_server.url}/api/openapi.json")
