# SPDX-License-Identifier: AGPL-3.0-or-later
"""Error pages: Django's debug pages only when DEBUG=1 is asked for; otherwise
friendly 404, 403 and 500 pages in the visitor's language and the site's layout.
(The demo served by gunicorn is checked end to end in test_production.py.)"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from samverka.core import views

NOT_FOUND = {
    "sv": "Sidan hittades inte",
    "nb": "Fant ikke siden",
    "da": "Siden blev ikke fundet",
    "en": "Page not found",
}
FORBIDDEN = {
    "sv": "Du har inte behörighet att göra detta",
    "nb": "Du har ikke lov til å gjøre dette",
    "da": "Du har ikke adgang til at gøre dette",
    "en": "You are not allowed to do this",
}
SERVER_ERROR = {
    "sv": "Något gick fel",
    "nb": "Noe gikk galt",
    "da": "Noget gik galt",
    "en": "Something went wrong",
}
DEBUG_PAGE = "URLconf"  # Django's debug 404 lists the URL patterns under this word


def settings_in_subprocess(**variables: str) -> dict:
    """The settings a fresh process gets from these environment variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SAMVERKA_PRODUCTION", "ALLOWED_HOSTS", "SECRET_KEY"}
    }
    code = (
        "import json, samverka.settings as s; print(json.dumps({'DEBUG': s.DEBUG, "
        "'ALLOWED_HOSTS': s.ALLOWED_HOSTS, 'static': s.STORAGES['staticfiles']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, **variables},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_debug_is_off_unless_asked_for():
    assert settings_in_subprocess()["DEBUG"] is False
    assert settings_in_subprocess(DEBUG="1")["DEBUG"] is True
    assert settings_in_subprocess(DEBUG="0")["DEBUG"] is False
    assert settings_in_subprocess(SAMVERKA_PRODUCTION="1", SECRET_KEY="x" * 50)["DEBUG"] is False


def test_without_debug_the_demo_still_answers_locally_with_fingerprinted_static_files():
    demo = settings_in_subprocess()
    assert {"127.0.0.1", "localhost"} <= set(demo["ALLOWED_HOSTS"])
    assert demo["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def assert_site_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}"' in html
    assert 'class="site-header"' in html and '<main id="main"' in html
    assert DEBUG_PAGE not in html


@pytest.mark.parametrize("language", NOT_FOUND)
def test_a_missing_page_is_the_friendly_404_in_the_visitors_language(client, db, language):
    response = client.get("/no-such-page/", headers={"accept-language": language})

    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND[language] in html
    assert_site_layout(html, language)
    assert f'href="{reverse("core:home")}"' in html


@pytest.mark.parametrize("language", FORBIDDEN)
def test_a_refused_page_is_the_friendly_403_in_the_visitors_language(client, cast, language):
    client.force_login(cast.outsider)
    url = reverse("directory:edit", kwargs={"pk": cast.municipality.pk})

    response = client.get(url, headers={"accept-language": language})

    assert response.status_code == 403
    html = response.content.decode()
    assert FORBIDDEN[language] in html
    assert_site_layout(html, language)


@pytest.mark.parametrize("language", SERVER_ERROR)
def test_a_crash_is_the_friendly_500_in_the_visitors_language(db, monkeypatch, language):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", crash)
    client = Client(raise_request_exception=False)

    response = client.get("/", headers={"accept-language": language})

    assert response.status_code == 500
    html = response.content.decode()
    assert SERVER_ERROR[language] in html
    assert_site_layout(html, language)
    assert "boom" not in html


def test_the_500_page_needs_neither_the_request_nor_the_database():
    # No `db` fixture: any query fails the test.
    with translation.override("da"):
        response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert SERVER_ERROR["da"] in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_the_page_cannot_render(settings, tmp_path):
    # The manifest storage with no manifest: {% static %} itself fails.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert all(text in html for text in SERVER_ERROR.values())


EXPIRED_FORM = {
    "sv": "Formuläret har gått ut",
    "nb": "Skjemaet er utløpt",
    "da": "Formularen er udløbet",
    "en": "The form has expired",
}


@pytest.mark.parametrize("language", sorted(EXPIRED_FORM))
def test_a_form_without_its_csrf_token_gets_a_friendly_403_in_the_visitors_language(db, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"),
        {"username": "x@example.org", "password": "x"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert EXPIRED_FORM[language] in page
    assert "CSRF verification failed" not in page  # Django's technical page
