# SPDX-License-Identifier: AGPL-3.0-or-later
"""The one permission layer. Deny by default.

Each app's permissions.py registers predicates with @rule(Model, "action").
Views, templates ({% can %}) and the API ask `can()` or `get_object_for()`;
an action without a registered rule is refused for everyone but platform
admins.

Lists ask the same question of many rows at once: beside each "view" rule its
app registers the queryset form with @visible(Model), and every list, count,
facet, feed, export and API list goes through `visible_to()` (or
`Model.objects.visible_to(user)`). A model without a queryset form shows
nothing but to platform admins; test_visibility holds both forms equal.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

Predicate = Callable[[Any, Any], bool]
QueryRule = Callable[[Any, Any], Any]  # (user, queryset) -> the rows the user may see

_RULES: dict[tuple[type[models.Model], str], Predicate] = {}
_VISIBLE: dict[type[models.Model], QueryRule] = {}


def rule(model: type[models.Model], *actions: str) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        for action in actions:
            key = (model, action)
            if key in _RULES:
                raise RuntimeError(f"two rules for {model.__name__}.{action}")
            _RULES[key] = predicate
        return predicate

    return register


def visible(model: type[models.Model]) -> Callable[[QueryRule], QueryRule]:
    """Register the queryset form of `model`'s "view" rule: a function taking the
    user and a queryset of `model` and returning the rows that rule lets them see.
    `visible_to` has already turned away inactive users and let platform admins
    see everything, so the function sees anonymous visitors and active users."""

    def register(query_rule: QueryRule) -> QueryRule:
        if model in _VISIBLE:
            raise RuntimeError(f"two visibility rules for {model.__name__}")
        _VISIBLE[model] = query_rule
        return query_rule

    return register


def models_with_rule(action: str) -> list[type[models.Model]]:
    return [model for model, name in _RULES if name == action]


def models_with_visible() -> list[type[models.Model]]:
    return list(_VISIBLE)


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


def visible_to[M: models.Model](
    user: Any, model_or_queryset: type[M] | models.QuerySet[M]
) -> models.QuerySet[M]:
    """The rows of the model or queryset that `user` may view: the set form of
    `can(user, "view", obj)`, one query however many rows."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, models.QuerySet)
        else model_or_queryset._default_manager.all()
    )
    if user is None or (user.is_authenticated and not user.is_active):
        return queryset.none()
    if is_platform_admin(user):
        return queryset
    query_rule = _VISIBLE.get(queryset.model)
    if query_rule is None:
        return queryset.none()
    return query_rule(user, queryset)


class VisibleQuerySet[M: models.Model](models.QuerySet[M]):
    """Gives `Model.objects.visible_to(user)` to a model with a @visible rule."""

    def visible_to(self, user: Any) -> "VisibleQuerySet[M]":
        return visible_to(user, self)
