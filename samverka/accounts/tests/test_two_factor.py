# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two-factor authentication through the real pages: setting it up, the code
step after the password, recovery codes, throttling, and what platform
administrators may do without it."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import ApiToken, User
from samverka.accounts.services import create_api_token

LOGIN = reverse("accounts:login")
CODE_STEP = reverse("accounts:two_factor_login")
SETUP = reverse("accounts:two_factor")


def code_for(device, steps_ahead=0):
    """What the person's app shows (steps_ahead=1: the next code, which the
    server also accepts; a code once used is not accepted again)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_step(client, user, password, next_url=""):
    data = {"username": user.email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def new_admin(db):
    """A platform administrator who has not set up two-factor yet."""
    from conftest import Cast

    return User.objects.create_user(
        "ny.admin@test.example", Cast.PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def member_with_app(cast):
    device = TOTPDevice.objects.create(user=cast.member, name="app", confirmed=True)
    return cast.member, device


def set_up(client, user):
    """Set up two-factor through the page; returns the device and the recovery codes."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 302
    page = client.get(SETUP)
    codes = page.context["codes"]
    device.refresh_from_db()
    return device, codes


# Platform administrators


def test_an_admin_without_two_factor_is_sent_to_set_it_up(cast, new_admin):
    client = Client()

    response = password_step(client, new_admin, cast.PASSWORD)

    assert response.status_code == 302 and response.url == SETUP
    assert logged_in_user_id(client) == str(new_admin.pk)
    page = client.get(SETUP)
    assert "Platform administrators must use two-factor authentication." in page.text
    # No admin site, no platform powers, until a second factor is verified.
    admin = client.get("/admin/", follow=True)
    assert admin.redirect_chain[-1][0] == SETUP
    assert client.get("/admin/directory/organisation/").status_code == 302
    assert client.get(reverse("directory:import")).status_code == 403
    assert client.get(reverse("directory:claims")).status_code == 403


def test_an_admin_who_sets_it_up_reaches_the_admin(cast, new_admin):
    client = Client()
    password_step(client, new_admin, cast.PASSWORD)

    device, codes = set_up(client, new_admin)

    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("directory:import")).status_code == 200


def test_an_unverified_session_of_an_admin_with_an_app_is_sent_to_the_code_step(cast):
    client = Client()
    client.force_login(cast.platform_admin)
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]  # e.g. a session from before two-factor was set up
    session.save()

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(CODE_STEP)
    device = TOTPDevice.objects.get(user=cast.platform_admin)
    done = client.post(CODE_STEP, {"code": code_for(device), "next": "/admin/"})
    assert done.status_code == 302 and done.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_is_the_two_step_login(cast):
    client = Client()

    response = client.post(
        reverse("admin:login"),
        {"username": cast.platform_admin.email, "password": cast.PASSWORD},
    )

    assert response.status_code == 302 and response.url == CODE_STEP
    assert logged_in_user_id(client) is None
    device = TOTPDevice.objects.get(user=cast.platform_admin)
    done = client.post(CODE_STEP, {"code": code_for(device)})
    assert done.url == reverse("admin:index")
    assert client.get(done.url).status_code == 200


def test_an_admins_api_token_has_no_platform_powers_without_two_factor(cast, new_admin):
    from samverka.core.models import Job

    job = Job.objects.create(
        kind="directory.import", created_by=cast.platform_admin, status="done", options={}
    )
    _token, raw = create_api_token(user=new_admin, name="script")
    headers = {"authorization": f"Bearer {raw}"}

    refused = Client().get(f"/api/imports/{job.pk}", headers=headers)
    TOTPDevice.objects.create(user=new_admin, name="app", confirmed=True)
    allowed = Client().get(f"/api/imports/{job.pk}", headers=headers)

    assert refused.status_code == 404  # not visible to anyone but platform admins
    assert allowed.status_code == 200
    assert ApiToken.objects.count() == 1


# Setting it up


def test_a_wrong_code_does_not_turn_it_on(cast):
    client = Client()
    client.force_login(cast.member)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.member, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert page.context["qr_code"].startswith("data:image/svg+xml")
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert "The code is not correct." in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.exists()


def test_the_recovery_codes_are_shown_once(cast):
    client = Client()
    client.force_login(cast.member)
    _device, codes = set_up(client, cast.member)

    again = client.get(SETUP)

    assert len(codes) == 10
    assert again.context["codes"] is None
    assert codes[0] not in again.text
    assert "You have 10 unused recovery codes." in again.text


def test_it_turns_off_with_a_code(cast, member_with_app):
    user, device = member_with_app
    client = Client()
    client.force_login(user)
    disable = reverse("accounts:two_factor_disable")

    right = code_for(device)
    refused = client.post(disable, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    assert refused.status_code == 400
    assert "The code is not correct." in refused.text
    assert TOTPDevice.objects.filter(user=user).exists()
    # Once the throttle's second has passed:
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    done = client.post(disable, {"code": right})

    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


# Logging in


def test_a_person_without_two_factor_logs_in_with_the_password_only(cast):
    client = Client()

    response = password_step(client, cast.member, cast.PASSWORD)

    assert response.status_code == 302 and response.url == reverse("core:home")
    assert logged_in_user_id(client) == str(cast.member.pk)


def test_the_login_asks_for_the_code_after_the_password(cast, member_with_app):
    user, device = member_with_app
    client = Client()

    response = password_step(client, user, cast.PASSWORD, next_url="/accounts/profile/")

    assert response.status_code == 302 and response.url == CODE_STEP
    assert logged_in_user_id(client) is None  # the password alone does not log in
    assert client.get(reverse("accounts:profile")).status_code == 302
    wrong = client.post(CODE_STEP, {"code": "12345"})
    assert "The code is not correct." in wrong.text
    assert logged_in_user_id(client) is None

    done = client.post(CODE_STEP, {"code": code_for(device)})

    assert done.status_code == 302 and done.url == "/accounts/profile/"
    assert logged_in_user_id(client) == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_code_step_needs_the_password_step_first(cast, member_with_app):
    _user, device = member_with_app
    client = Client()

    response = client.post(CODE_STEP, {"code": code_for(device)})

    assert response.status_code == 302 and response.url == LOGIN
    assert logged_in_user_id(client) is None


def test_a_recovery_code_works_once(cast):
    client = Client()
    client.force_login(cast.member)
    _device, codes = set_up(client, cast.member)
    client.post(reverse("accounts:logout"))

    password_step(client, cast.member, cast.PASSWORD)
    first = client.post(CODE_STEP, {"code": codes[0].upper()}, follow=True)
    assert logged_in_user_id(client) == str(cast.member.pk)
    assert "You used a recovery code. 9 are left." in first.text
    client.post(reverse("accounts:logout"))

    password_step(client, cast.member, cast.PASSWORD)
    again = client.post(CODE_STEP, {"code": codes[0]})

    assert "The code is not correct." in again.text
    assert logged_in_user_id(client) is None
    assert StaticToken.objects.filter(device__user=cast.member).count() == 9


def test_wrong_codes_are_throttled(cast, member_with_app):
    user, device = member_with_app
    client = Client()
    password_step(client, user, cast.PASSWORD)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    client.post(CODE_STEP, {"code": wrong})
    throttled = client.post(CODE_STEP, {"code": right})

    assert "Too many wrong codes. Wait a few seconds and try again." in throttled.text
    assert logged_in_user_id(client) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Each wrong code doubles the wait; once it has passed, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    done = client.post(CODE_STEP, {"code": right})
    assert done.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_the_password_step_expires(cast, member_with_app, monkeypatch):
    from samverka.accounts import twofactor

    user, device = member_with_app
    client = Client()
    password_step(client, user, cast.PASSWORD)
    monkeypatch.setattr(twofactor, "PENDING_SECONDS", -1)

    response = client.post(CODE_STEP, {"code": code_for(device)})

    assert response.status_code == 302 and response.url == LOGIN
    assert logged_in_user_id(client) is None


def test_erasure_removes_the_two_factor_key_and_codes(cast):
    from samverka.accounts.privacy import erase_personal_data

    client = Client()
    client.force_login(cast.member)
    set_up(client, cast.member)

    erase_personal_data(user=cast.member, by=cast.member)

    assert not TOTPDevice.objects.filter(user=cast.member).exists()
    assert not StaticToken.objects.filter(device__user=cast.member).exists()
