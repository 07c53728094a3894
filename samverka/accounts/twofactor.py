# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two-factor authentication: a code from an authenticator app (TOTP), or a
single-use recovery code, after the password.

The cryptography, the replay guard and the throttling of wrong codes are
django-otp's (a TOTPDevice and a StaticDevice per person). Platform
administrators must use it: without a verified second factor they cannot reach
the admin site or use platform powers (core.permissions.is_platform_admin).
"""

import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverka.accounts.models import User
from samverka.core.audit import log_action

PENDING_SESSION_KEY = "samverka_two_factor_pending"
# How long the code step waits after the password was accepted.
PENDING_SECONDS = 300


@dataclass
class CodeThrottled(Exception):
    """Wrong codes came too fast: django-otp makes the device wait (1, 2, 4, … s)."""

    until: datetime


def is_required(user: Any) -> bool:
    """Platform administrators (staff or superusers) must use a second factor."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def has_two_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    """Whether this request's user passed a second factor (OTPMiddleware)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def begin_setup(user: User) -> TOTPDevice:
    """The person's unconfirmed app device, made on first use; reloading the
    setup page shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code, inline (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _clean(code: str) -> str:
    return "".join(ch for ch in code if ch not in " -").lower()


def _verify(device: Device, code: str) -> bool:
    """One attempt on one device, with django-otp's throttling. The device row
    is locked so two attempts at once cannot both escape the throttle."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise CodeThrottled(until=details["locked_until"])
        # Committed even when wrong: the failure count is the throttle.
        return bool(device.verify_token(code))


def verify_code(*, user: User, code: str) -> Device | None:
    """The device that accepts the code, or None. Six digits are an app code;
    anything else is tried as a recovery code, which is used up when it works.
    Raises CodeThrottled while wrong codes are being slowed down."""
    code = _clean(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None or not code:
        return None
    return device if _verify(device, code) else None


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_setup(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn two-factor on if the code from the app is right. Returns the new
    recovery codes (shown once), or None for a wrong code."""
    if not _verify(device, _clean(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = _new_recovery_codes(device.user)
        log_action(device.user, "account.two_factor_enabled", user=device.user)
    return codes


def set_up_for_demo(user: User) -> tuple[str, list[str]]:
    """Demo data only: two-factor on without a phone, so the demo administrator
    can log in with a printed recovery code or add the printed key to an app.
    Returns the key and the unused recovery codes (new ones when all are used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True).values_list(
            "token", flat=True
        )
    )
    return secret_text(device), codes or _new_recovery_codes(user)


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def disable(*, user: User) -> None:
    """Remove the app and the recovery codes (the caller checked a code)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    log_action(user, "account.two_factor_disabled", user=user)


# The login's second step. The password step stores who passed it in the
# session; only a right code logs the person in, so a password alone never
# gives a session to someone who has two-factor on.


def begin_login(request: HttpRequest, user: User, *, next_url: str) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "since": time.time(),
    }


def pending_login(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user else None


def finish_login(request: HttpRequest, user: User, device: Device, backend: str) -> None:
    """Log in as verified: django-otp stores the device in the session on login."""
    user.otp_device = device  # type: ignore[attr-defined]
    login(request, user, backend=backend)
    request.session.pop(PENDING_SESSION_KEY, None)
