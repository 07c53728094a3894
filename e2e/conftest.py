# SPDX-License-Identifier: AGPL-3.0-or-later
"""Browser fixtures for the journeys: Debian's Chromium driven by Playwright,
against pytest-django's live server, with axe and screenshots on every page."""

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    Route,
    sync_playwright,
)

from e2e.axe import axe_violations, format_violations

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_REPORTS = ARTIFACTS / "axe"
CHROMIUM = "/usr/bin/chromium"  # Debian's package; we never download a browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Watcher:
    """Collects CSP violations, uncaught page errors and assets that failed to
    load, for every page of the test's browser contexts."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if CSP_MESSAGE.search(message.text):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response: Response) -> None:
        # A missing stylesheet or font would also make the axe colour checks meaningless.
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


@pytest.fixture(autouse=True)
def _empty_search_index(transactional_db: None) -> None:
    """Browser tests flush the database between tests, which empties the model
    tables but not SQLite's full-text index (no model): without this, a theme
    search would rank the organisations of earlier tests, long gone."""
    from samverka.directory.search import rebuild

    rebuild()


@pytest.fixture
def watcher() -> Watcher:
    return Watcher()


@pytest.fixture
def _no_js_contexts() -> list[BrowserContext]:
    return []


@pytest.fixture
def new_context(
    browser: Browser,
    live_server: object,
    watcher: Watcher,
    _no_js_contexts: list[BrowserContext],
) -> Iterator[Callable[..., BrowserContext]]:
    """Makes browser contexts (separate cookie jars) for this test; desktop
    size and English unless told otherwise."""
    contexts: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        options = {"viewport": DESKTOP, "locale": "en-GB", **options}
        context = browser.new_context(base_url=live_server.url, **options)  # type: ignore[attr-defined,arg-type]
        context.set_default_timeout(10_000)
        context.on("page", watcher.watch)
        contexts.append(context)
        if options.get("java_script_enabled") is False:
            _no_js_contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    problems = watcher.take()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def no_js_page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture(scope="session")
def _artifact_folders() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)


def _axe_on_copy(browser: Browser, page: Page) -> list[dict]:
    """axe on a page whose context has JavaScript off: axe.run never settles
    there (its timers do not fire), so it runs on a JavaScript-enabled copy of
    the exact DOM, with the same styles and the page's own scripts blocked."""
    url, html = page.url, page.content()

    def serve(route: Route) -> None:
        if route.request.url == url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif route.request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    context = browser.new_context(viewport=page.viewport_size, locale="en-GB")
    try:
        context.route("**/*", serve)
        copy = context.new_page()
        copy.goto(url)
        return axe_violations(copy)
    finally:
        context.close()


@pytest.fixture
def check(
    browser: Browser,
    watcher: Watcher,
    _no_js_contexts: list[BrowserContext],
    _artifact_folders: None,
) -> Callable[..., None]:
    """check(page, "name"): screenshot the page for the user guide, run axe
    (WCAG 2.1 A/AA) and fail on CSP violations or script errors so far.
    strict=False only reports axe findings (for Django's own admin)."""

    def check_page(page: Page, name: str, *, strict: bool = True) -> None:
        page.wait_for_load_state("load")
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True, animations="disabled")
        if page.context in _no_js_contexts:
            violations = _axe_on_copy(browser, page)
        else:
            violations = axe_violations(page)
        report = AXE_REPORTS / f"{name}.txt"
        if violations:
            message = format_violations(violations, f"{name} ({page.url})")
            report.write_text(message + "\n", encoding="utf-8")
            if strict:
                pytest.fail(message, pytrace=False)
            warnings.warn(message, stacklevel=2)
        else:
            report.unlink(missing_ok=True)
        problems = watcher.take()
        assert not problems, f"The browser reported problems on {name}:\n" + "\n".join(problems)

    return check_page
