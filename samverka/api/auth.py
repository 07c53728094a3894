# SPDX-License-Identifier: AGPL-3.0-or-later
"""How API callers authenticate: a personal token or the browser session."""

from functools import partial
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from samverka.accounts.models import ApiToken
from samverka.accounts.twofactor import has_two_factor


class TokenAuth(HttpBearer):
    """Authorization: Bearer <personal API token>."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.user_for_key(token)
        if user is not None:
            # A token carries its owner's platform powers only while the owner
            # has two-factor on (core.permissions.is_platform_admin).
            user.is_verified = partial(has_two_factor, user)
            request.user = user
        return user


def anonymous(request: HttpRequest) -> Any:
    """Lets public endpoints answer without credentials, as the pages do."""
    request.user = AnonymousUser()
    return request.user


class LoggedInSession(SessionAuth):
    """The browser session. Without a logged-in user it does not apply at all,
    so an anonymous write gets 401, not a confusing CSRF failure."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTHENTICATED = [TokenAuth(), LoggedInSession()]
PUBLIC = [*AUTHENTICATED, anonymous]
