# SPDX-License-Identifier: AGPL-3.0-or-later
"""Slow down repeated failed logins from one client address; never lock an account.

Counted per address (any names, known or not) and per existing account and
address. Past a number of free failures the address waits before its next
attempt, 1 minute doubling up to LOGIN_THROTTLE_MAX_MINUTES; counts are
forgotten when the address has not failed for four times that long. An attacker
thus slows down only their own address: the real user logs in from theirs, and
a password reset clears the account's counts everywhere.

Enforced in the authentication backend, so the login page, the admin login and
anything else that calls authenticate() with the request are covered alike. The
counts are in the database so all app servers and workers share them.
"""

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.http import HttpRequest
from django.utils import timezone

from samverka.accounts.models import LoginThrottle, User

UNKNOWN_ADDRESS = "-"  # authenticate() without a request: scripts, the shell


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or the address the outermost of
    TRUSTED_PROXY_COUNT proxies saw (each appends to X-Forwarded-For, so the
    entries before theirs are the client's word and may be forged). IPv6 hosts
    get a whole /64 each, so they count as one."""
    if request is None:
        return UNKNOWN_ADDRESS
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_ADDRESS
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _account_id(username: str | None) -> int | None:
    email = (username or "").strip().lower()
    if not email:
        return None
    return User.objects.filter(email=email).values_list("pk", flat=True).first()


def _keys(address: str, user_id: int | None) -> dict[str, int | None]:
    keys: dict[str, int | None] = {f"a {address}": None}
    if user_id is not None:
        keys[f"u {user_id} {address}"] = user_id
    return keys


def _forget_before(now: datetime) -> datetime:
    return now - timedelta(minutes=4 * settings.LOGIN_THROTTLE_MAX_MINUTES)


def _wait(row: LoginThrottle) -> timedelta:
    free = (
        settings.LOGIN_FAILURES_PER_ADDRESS
        if row.user_id is None
        else settings.LOGIN_FAILURES_PER_ACCOUNT
    )
    if row.failures < free:
        return timedelta(0)
    minutes = min(2 ** min(row.failures - free, 20), settings.LOGIN_THROTTLE_MAX_MINUTES)
    return timedelta(minutes=minutes)


def retry_at(request: HttpRequest | None, username: str | None) -> datetime | None:
    """When this client may try `username` again, or None if it may now."""
    now = timezone.now()
    keys = _keys(client_address(request), _account_id(username))
    rows = LoginThrottle.objects.filter(key__in=keys, last_failure_at__gte=_forget_before(now))
    until = max((row.last_failure_at + _wait(row) for row in rows), default=None)
    return until if until is not None and until > now else None


def record_failure(request: HttpRequest | None, username: str | None) -> None:
    now = timezone.now()
    restart = _forget_before(now)
    for key, user_id in _keys(client_address(request), _account_id(username)).items():
        counted = LoginThrottle.objects.filter(key=key).update(
            failures=Case(
                When(last_failure_at__lt=restart, then=Value(1)), default=F("failures") + 1
            ),
            last_failure_at=now,
        )
        if counted:
            continue
        try:
            with transaction.atomic():
                LoginThrottle.objects.create(
                    key=key, user_id=user_id, failures=1, last_failure_at=now
                )
        except IntegrityError:  # a parallel request created it first
            LoginThrottle.objects.filter(key=key).update(
                failures=F("failures") + 1, last_failure_at=now
            )


def record_success(request: HttpRequest | None, user: Any) -> None:
    # The address's own count stays: logging in to one's own account must not
    # reset an address that is guessing at others.
    LoginThrottle.objects.filter(key=f"u {user.pk} {client_address(request)}").delete()


def clear_account(*, user: Any) -> None:
    """Forget the account's failures from every address (after a password reset)."""
    LoginThrottle.objects.filter(user=user).delete()


def claim_reset_email(*, user: Any) -> bool:
    """True if a password-reset e-mail may go to `user` now: at most one per
    PASSWORD_RESET_EMAIL_MINUTES, so the reset form cannot flood a mailbox.
    Kept as a row "r <user id>" beside the login counts (purged with them)."""
    now = timezone.now()
    key = f"r {user.pk}"
    since = now - timedelta(minutes=settings.PASSWORD_RESET_EMAIL_MINUTES)
    if LoginThrottle.objects.filter(key=key, last_failure_at__lt=since).update(
        failures=1, last_failure_at=now
    ):
        return True
    try:
        with transaction.atomic():
            LoginThrottle.objects.create(key=key, user=user, failures=1, last_failure_at=now)
    except IntegrityError:  # one was sent within the interval (or is being sent)
        return False
    return True


class RateLimitedModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        username = username or kwargs.get("email")
        if username is None or password is None:
            return None
        if retry_at(request, username) is not None:
            raise PermissionDenied  # stops authenticate(): no backend may let it in
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
        else:
            record_success(request, user)
        return user
