# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one permission layer. Deny by default.

Each app's permissions.py registers predicates with @rule(Model, "action").
Views, templates ({% can %}) and the API ask `can()` or `get_object_for()`;
an action without a registered rule is refused for everyone but platform
admins.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

Predicate = Callable[[Any, Any], bool]

_RULES: dict[tuple[type[models.Model], str], Predicate] = {}


def rule(model: type[models.Model], *actions: str) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        for action in actions:
            key = (model, action)
            if key in _RULES:
                raise RuntimeError(f"two rules for {model.__name__}.{action}")
            _RULES[key] = predicate
        return predicate

    return register


def is_platform_admin(user: Any) -> bool:
    """A superuser who, on a request, passed a second factor. A request's user
    carries is_verified() (django-otp's OTPMiddleware, or the API's token
    auth); a user handed to a service by code (commands, tasks) is vouched
    for by its caller."""
    if not (user.is_active and user.is_superuser):
        return False
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or bool(is_verified())


def can(user: Any, action: str, obj: models.Model) -> bool:
    if user is None or (user.is_authenticated and not user.is_active):
        return False
    if is_platform_admin(user):
        return True
    predicate = _RULES.get((obj._meta.model, action))
    return bool(predicate and predicate(user, obj))


def require(user: Any, action: str, obj: models.Model) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def get_object_for[M: models.Model](
    user: Any,
    model_or_queryset: type[M] | models.QuerySet[M],
    action: str = "view",
    **lookup: Any,
) -> M:
    """The object, or 404 if it is missing or the user may not see it, or 403
    if the user may see it but not do `action` to it."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        # OverflowError: a number too large for the database names no record.
        raise Http404 from exc
    if not can(user, "view", obj):
        raise Http404
    if action != "view":
        require(user, action, obj)
    return obj
