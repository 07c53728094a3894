# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import timedelta

from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.models import LoginFailure


def attempt(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_it_locks_an_account_after_repeated_failures(client, cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = attempt(client, cast.member.email, "wrong")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = attempt(client, cast.member.email, cast.PASSWORD)
    assert "_auth_user_id" not in client.session, "the right password must not unlock it"
    assert "Too many failed attempts" in response.content.decode()


def test_the_lock_also_covers_the_admin_login_and_authenticate(client, cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": cast.platform_admin.email, "password": "x"})
    client.post("/admin/login/", {"username": cast.platform_admin.email, "password": cast.PASSWORD})
    assert "_auth_user_id" not in client.session
    assert authenticate(username=cast.platform_admin.email, password=cast.PASSWORD) is None


def test_the_lock_ends_after_the_lockout_period(client, cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, cast.member.email, "wrong")
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    attempt(client, cast.member.email, cast.PASSWORD)
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_a_successful_login_clears_earlier_failures(client, cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attempt(client, cast.member.email, "wrong")
    attempt(client, cast.member.email, cast.PASSWORD)
    assert not LoginFailure.objects.filter(username=cast.member.email).exists()


def test_failures_are_counted_per_account(client, cast, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, cast.member.email, "wrong")
    attempt(client, cast.coordinator.email, cast.PASSWORD)
    assert client.session["_auth_user_id"] == str(cast.coordinator.pk)


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
