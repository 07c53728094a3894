# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lock an account for a while after repeated failed logins.

Enforced in the authentication backend, so the login page, the admin login and
anything else that calls authenticate() are covered alike. Failures are kept in
the database so all app servers and workers share them.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from samverka.accounts.models import LoginFailure


def _window_start() -> Any:
    return timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:254]


def is_locked(username: str | None) -> bool:
    recent = LoginFailure.objects.filter(username=_key(username), created_at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str | None) -> None:
    LoginFailure.objects.create(username=_key(username))


def clear_failures(username: str | None) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


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
        if is_locked(username):
            raise PermissionDenied  # stops authenticate(): no backend may let it in
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username)
        else:
            clear_failures(username)
        return user
