# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deploying the way docs/operations.md says, step by step: `./run setup`'s
commands (before any production variable is set), then the production
variables, `manage.py check --deploy` and gunicorn: sync workers, whitenoise for
static files, strict CSP, secure cookies. And the demo (`./run demo`): the same
setup served without the production profile or DEBUG."""

import contextlib
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
VENV_BIN = Path(sys.executable).parent
# What the environment of the test run may carry that a fresh shell would not.
NOT_IN_A_FRESH_SHELL = (
    "SAMVERKA_PRODUCTION",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_BACKEND",
    "TASKS_BACKEND",
)


def documented_deploy_commands() -> list[list[str]]:
    """The commands of the Deploy section of docs/operations.md, in order."""
    docs = (ROOT / "docs" / "operations.md").read_text()
    block = re.search(r"## Deploy\n+```sh\n(.*?)```", docs, re.DOTALL).group(1)
    block = block.replace("\\\n", " ")
    commands = [shlex.split(line, comments=True) for line in block.splitlines()]
    return [command for command in commands if command]


def setup_commands() -> list[list[str]]:
    """The manage.py commands `./run setup` runs, from the run script itself."""
    script = (ROOT / "run").read_text()
    body = script[script.index("\nsetup() {") : script.index("\n}\n", script.index("\nsetup() {"))]
    lines = [line.strip() for line in body.splitlines() if "manage.py" in line]
    return [shlex.split(line.split("manage.py", 1)[1]) for line in lines]


def manage(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def exported(command: list[str], substitutes: dict[str, str]) -> dict[str, str]:
    """The variables of an `export` line; placeholders (hosts, paths, URLs)
    replaced by this test's own values."""
    pairs = dict(item.split("=", 1) for item in command[1:])
    return {name: substitutes.get(name, value) for name, value in pairs.items()}


@pytest.fixture(scope="module")
def deploy(tmp_path_factory):
    """The steps of the Deploy section up to the check, in the documented order,
    in a fresh environment with its own SQLite file and STATIC_ROOT (never the
    test run's). Gives the environment after `./run setup` and the final one."""
    tmp = tmp_path_factory.mktemp("deploy")
    (tmp / "secret").write_text(secrets.token_urlsafe(50))
    substitutes = {
        "DATABASE_URL": f"sqlite:///{tmp / 'samverka.sqlite3'}",
        "SECRET_KEY_FILE": str(tmp / "secret"),
        "ALLOWED_HOSTS": "127.0.0.1,samverka.example.org",
    }
    env = {name: value for name, value in os.environ.items() if name not in NOT_IN_A_FRESH_SHELL}
    env |= {"STATIC_ROOT": str(tmp / "static"), "WEB_CONCURRENCY": "1"}
    steps = {}
    for command in documented_deploy_commands():
        if command[0] == "export":
            env = env | exported(command, substitutes)
        elif command[:2] == ["./run", "setup"]:
            setup = setup_commands()
            assert [c[0] for c in setup] == ["migrate", "compilemessages", "collectstatic"]
            for step in setup:
                if step[0] != "compilemessages":  # it writes into the working tree's locale/
                    manage(*step, env=env)
            steps["setup"] = env
        elif "check" in command:
            break
    assert "setup" in steps, "docs/operations.md no longer deploys with ./run setup"
    assert env["SAMVERKA_PRODUCTION"] == "1" and env["DATABASE_URL"] == substitutes["DATABASE_URL"]
    return {"setup": steps["setup"], "production": env}


@pytest.fixture(scope="module")
def setup_env(deploy):
    return deploy["setup"]


@pytest.fixture(scope="module")
def production_env(deploy):
    return deploy["production"]


def documented(program: str, subcommand: str = "") -> list[str]:
    """A command of the Deploy section, with the venv of this test run."""
    for command in documented_deploy_commands():
        if command[0] == f".venv/bin/{program}" and (not subcommand or subcommand in command):
            return [str(VENV_BIN / program), *command[1:]]
    raise AssertionError(f"docs/operations.md no longer deploys with {program} {subcommand}")


def test_it_passes_the_documented_deployment_check(production_env):
    command = documented("python", "check")
    assert command[1:] == ["manage.py", "check", "--deploy"]

    result = subprocess.run(
        [*command, "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_check_fails_without_the_static_manifest(production_env, tmp_path):
    env = {**production_env, "STATIC_ROOT": str(tmp_path)}  # collectstatic never ran here

    result = manage("check", "--deploy", env=env, check=False)

    assert result.returncode != 0
    assert "samverka.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_it_refuses_to_start_without_a_secret_key(production_env):
    env = {**production_env, "SECRET_KEY_FILE": "", "SECRET_KEY": ""}
    result = manage("check", env=env, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict):
    """The documented gunicorn command, on a free loopback port."""
    command = documented("gunicorn")
    port = free_port()
    bind = command.index("--bind")
    command[bind + 1] = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # it answers (the test will say what)
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(production_env):
    with gunicorn(production_env) as base:
        yield base


@pytest.fixture(scope="module")
def demo_server(setup_env):
    """`./run serve` after `./run setup`: neither SAMVERKA_PRODUCTION nor DEBUG."""
    with gunicorn(setup_env) as base:
        yield base


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


def test_it_serves_the_login_page(server):
    response = fetch(server + "/accounts/login/")
    assert response.status == 200
    assert 'type="password"' in response.read().decode()


def test_the_demo_serves_pages_and_styles_without_debug(demo_server):
    html = urllib.request.urlopen(demo_server + "/", timeout=5).read().decode()
    css = re.search(r'href="(/static/css/samverka\.[0-9a-f]+\.css)"', html)
    assert css, "static URLs are not fingerprinted by the manifest storage"
    response = urllib.request.urlopen(demo_server + css.group(1), timeout=5)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")


def test_the_demo_answers_a_missing_page_with_the_friendly_404(demo_server):
    request = urllib.request.Request(
        demo_server + "/no-such-page/", headers={"Accept-Language": "sv"}
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)

    assert error.value.code == 404
    html = error.value.read().decode()
    assert "Sidan hittades inte" in html
    assert "URLconf" not in html  # Django's debug 404, which lists every URL pattern
