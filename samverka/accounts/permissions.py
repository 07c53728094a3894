# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.db.models import QuerySet

from samverka.accounts.models import ApiToken, Membership
from samverka.core.permissions import rule, visible


@rule(ApiToken, "view", "delete")
def owns_token(user: Any, token: ApiToken) -> bool:
    return user.is_authenticated and token.user_id == user.pk


@visible(ApiToken)
def own_tokens(user: Any, tokens: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    return tokens.filter(user_id=user.pk) if user.is_authenticated else tokens.none()


@rule(Membership, "view")
def sees_membership(user: Any, membership: Membership) -> bool:
    return user.is_authenticated and membership.organisation_id in user.roles()


@visible(Membership)
def seen_memberships(user: Any, memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return memberships.none()
    return memberships.filter(organisation_id__in=list(user.roles()))
