# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.models import LoginThrottle
from samverka.accounts.ratelimit import client_address

ATTACKER, HOME = "203.0.113.7", "198.51.100.20"


def attempt(client, email, password, address=HOME):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_an_attacker_cannot_lock_the_real_user_out(client, cast):
    attacker = Client()
    for _ in range(20):
        attempt(attacker, cast.member.email, "guess", address=ATTACKER)

    attempt(client, cast.member.email, cast.PASSWORD, address=HOME)

    assert logged_in_as(client) == str(cast.member.pk)


def test_the_attacking_address_is_slowed_down_with_a_message(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    for _ in range(5):
        response = attempt(client, cast.member.email, "guess", address=ATTACKER)
        assert "Too many failed attempts" not in response.content.decode()

    response = attempt(client, cast.member.email, cast.PASSWORD, address=ATTACKER)

    assert logged_in_as(client) is None, "no password is tried while the address waits"
    text = response.content.decode()
    assert "Too many failed attempts from your network" in text
    assert "wait 1 minute" in text


def test_the_wait_grows_with_each_failure_and_then_ends(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    settings.LOGIN_THROTTLE_MAX_MINUTES = 15
    attempt(client, cast.member.email, "guess", address=ATTACKER)
    waits = []
    for _ in range(5):
        attempt(client, cast.member.email, "guess", address=ATTACKER)
        text = attempt(client, cast.member.email, cast.PASSWORD, address=ATTACKER).content.decode()
        waits.append(text[text.index("wait ") :].split(" minute")[0] if "wait " in text else "")
        # Let the wait pass, as a patient attacker would.
        LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(minutes=16))
    assert waits == ["wait 1", "wait 2", "wait 4", "wait 8", "wait 15"]
    assert logged_in_as(client) is None

    LoginThrottle.objects.update(last_failure_at=timezone.now() - timedelta(hours=2))
    attempt(client, cast.member.email, cast.PASSWORD, address=ATTACKER)
    assert logged_in_as(client) == str(cast.member.pk)


def test_one_address_trying_many_accounts_is_slowed_down(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    for number in range(10):
        attempt(client, f"nobody{number}@example.org", "guess", address=ATTACKER)

    response = attempt(client, cast.coordinator.email, cast.PASSWORD, address=ATTACKER)

    assert logged_in_as(client) is None
    assert "Too many failed attempts from your network" in response.content.decode()
    attempt(client, cast.coordinator.email, cast.PASSWORD, address=HOME)
    assert logged_in_as(client) == str(cast.coordinator.pk)


def test_unknown_accounts_do_not_grow_storage(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 1000  # counted, not yet slowed down
    for number in range(200):
        attempt(client, f"nobody{number}@example.org", "guess", address=ATTACKER)

    assert LoginThrottle.objects.count() == 1, "one row for the address, none per name"
    row = LoginThrottle.objects.get()
    assert (row.user, row.failures) == (None, 200)
    assert "nobody" not in row.key


def test_the_admin_login_is_throttled_the_same_way(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    admin = cast.platform_admin.email
    for _ in range(20):
        client.post("/admin/login/", {"username": admin, "password": "x"}, REMOTE_ADDR=ATTACKER)

    response = client.post(
        "/admin/login/", {"username": admin, "password": cast.PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert logged_in_as(client) is None
    assert "Too many failed attempts from your network" in response.content.decode()

    # From elsewhere the password is accepted; the second factor comes next.
    response = Client().post(
        "/admin/login/", {"username": admin, "password": cast.PASSWORD}, REMOTE_ADDR=HOME
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_login")


def test_authenticate_itself_refuses_a_throttled_address(cast, settings, rf):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    request = rf.post("/", REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        assert authenticate(request, username=cast.member.email, password="x") is None
    assert authenticate(request, username=cast.member.email, password=cast.PASSWORD) is None
    request = rf.post("/", REMOTE_ADDR=HOME)
    assert authenticate(request, username=cast.member.email, password=cast.PASSWORD) is not None


def test_a_successful_login_clears_that_addresss_failures_for_the_account(client, cast, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        attempt(client, cast.member.email, "wrong")
    attempt(client, cast.member.email, cast.PASSWORD)
    client.logout()
    for _ in range(2):
        attempt(client, cast.member.email, "wrong")

    attempt(client, cast.member.email, cast.PASSWORD)

    assert logged_in_as(client) == str(cast.member.pk)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "10.0.0.1", "203.0.113.7", "10.0.0.1"),  # no proxy: the header is the client's
        (1, "10.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # a forged first entry
        (2, "10.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "10.0.0.1", "", "10.0.0.1"),
        (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),  # IPv6 hosts share their /64
    ],
)
def test_the_client_address(rf, settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_sessions_expire_and_passwords_use_argon2(settings):
    from django.conf import settings as real

    assert 0 < real.SESSION_COOKIE_AGE <= 30 * 24 * 3600
    assert real.SESSION_COOKIE_HTTPONLY


def test_passwords_are_hashed_with_argon2(db):
    from django.contrib.auth.hashers import make_password

    from samverka import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("correct horse battery").startswith("argon2$")
