# SPDX-License-Identifier: AGPL-3.0-or-later
"""The production profile, served the way docs/operations.md says: gunicorn
sync workers, whitenoise for static files, strict CSP, secure cookies."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {
        **os.environ,
        "SAMVERKA_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,samverka.example.org",
        # Its own SQLite file: never the database the test run points at.
        "DATABASE_URL": f"sqlite:///{tmp / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp / "static"),
    }
    for name in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND"):
        env.pop(name, None)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
        )
    return env


def test_it_passes_the_deployment_checklist(production_env):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_key(production_env):
    env = {**production_env, "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(production_env):
    port = free_port()
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "samverka.wsgi",
            "--config",
            "samverka/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=production_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    return urllib.request.urlopen(request, timeout=5)


def test_it_serves_pages_with_a_strict_content_security_policy(server):
    response = fetch(server + "/")
    assert response.status == 200
    assert response.headers["Server"].startswith("gunicorn")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    cookies = response.headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)
    html = response.read().decode()
    assert "<script>" not in html and "style=" not in html  # nothing inline for the CSP to block


def test_it_serves_static_files_through_whitenoise(server):
    html = fetch(server + "/").read().decode()
    css = re.search(r'href="(/static/css/samverka\.[0-9a-f]+\.css)"', html)
    assert css, "static URLs are not fingerprinted by the manifest storage"
    response = fetch(server + css.group(1), **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers.get("Content-Encoding") == "gzip"


def test_it_redirects_plain_http_to_https(server):
    request = urllib.request.Request(server + "/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(request, timeout=5)
    assert error.value.code == 301
    assert error.value.headers["Location"].startswith("https://")
