# SPDX-License-Identifier: AGPL-3.0-or-later
"""The API documentation page (/api/docs): Swagger UI from our own static files,
started without inline script, so it works under the strict CSP."""

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


class Assets(HTMLParser):
    """Collects every script and stylesheet the page loads, and inline script text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self._in_script = True
            if found.get("src"):
                self.urls.append(found["src"] or "")
        elif tag == "link" and found.get("rel") in ("stylesheet", "icon"):
            self.urls.append(found.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def _docs_page() -> tuple[str, Assets]:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = Assets()
    assets.feed(html)
    return html, assets


def test_the_footer_links_to_the_api_documentation_page():
    html = Client().get("/").content.decode()
    assert re.search(r'<a class="ds-link" href="/api/docs">API \(OpenAPI\)</a>', html)


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files():
    _html, assets = _docs_page()
    scripts = [url for url in assets.urls if url.endswith(".js")]
    assert any("swagger-ui-bundle" in url for url in scripts)
    assert any(url.endswith(".css") and "swagger-ui" in url for url in assets.urls)
    for url in assets.urls:
        # Same host only (no CDN), and the file really is among our static files.
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url


def test_the_docs_page_has_no_inline_script():
    html, assets = _docs_page()
    assert assets.inline_scripts == []
    assert " style=" not in html


def test_the_docs_page_links_the_raw_schema_and_explains_authentication():
    html, _assets = _docs_page()
    assert 'href="/api/openapi.json"' in html
    assert "API tokens" in html
    settings = re.search(r'data-settings="([^"]*)"', html)
    assert settings is not None
    config = json.loads(unescape(settings.group(1)))
    assert config["url"] == "/api/openapi.json"
    # Swagger UI's default validator badge would call validator.swagger.io.
    assert config["validatorUrl"] is None


def test_the_schema_explains_how_to_authenticate():
    description = Client().get("/api/openapi.json").json()["info"]["description"]
    assert "personal API token" in description
    assert "Authorize" in description
