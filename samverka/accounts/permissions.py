# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from samverka.accounts.models import ApiToken, Membership
from samverka.core.permissions import rule


@rule(ApiToken, "view", "delete")
def owns_token(user: Any, token: ApiToken) -> bool:
    return user.is_authenticated and token.user_id == user.pk


@rule(Membership, "view")
def sees_membership(user: Any, membership: Membership) -> bool:
    return user.is_authenticated and membership.organisation_id in user.roles()
