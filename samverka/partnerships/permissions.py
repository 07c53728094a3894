# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what with a partnership. Registered with the core permission layer.

People act for their organisations: a coordinator or administrator of the lead
organisation runs the partnership; those of a member organisation answer for it.
"""

from typing import Any

from django.db.models import Q, QuerySet

from samverka.accounts.models import Role
from samverka.core.permissions import rule, visible, visible_to
from samverka.partnerships.models import (
    MemberRole,
    MemberStatus,
    Partnership,
    PartnershipMember,
    Visibility,
)

ACTING_ROLES = (Role.ADMIN, Role.COORDINATOR)


def acting_organisation_ids(user: Any) -> set[int]:
    """The organisations the user may act for: coordinator or administrator there."""
    if not user.is_authenticated:
        return set()
    return {org for org, role in user.roles().items() if role in ACTING_ROLES}


def member_organisations(partnership: Partnership, *statuses: str) -> dict[int, str]:
    """{organisation id: role} of members in the given statuses. One query per
    partnership object, however many rules ask."""
    if "_member_rows" not in partnership.__dict__:
        partnership.__dict__["_member_rows"] = list(
            partnership.members.values_list("organisation_id", "role", "status")
        )
    return {
        org: role
        for org, role, status in partnership.__dict__["_member_rows"]
        if not statuses or status in statuses
    }


@rule(Partnership, "view")
def can_view(user: Any, partnership: Partnership) -> bool:
    if partnership.visibility == Visibility.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if partnership.visibility == Visibility.LOGGED_IN:
        return True
    mine = set(user.roles())
    return bool(
        mine & set(member_organisations(partnership, MemberStatus.ACTIVE, MemberStatus.INVITED))
    )


@visible(Partnership)
def visible_partnerships(user: Any, partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """The queryset form of can_view."""
    if not user.is_authenticated:
        return partnerships.filter(visibility=Visibility.PUBLIC)
    mine = PartnershipMember.objects.filter(
        organisation__in=list(user.roles()),
        status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED],
    ).values("partnership_id")
    return partnerships.filter(
        Q(visibility__in=[Visibility.PUBLIC, Visibility.LOGGED_IN]) | Q(pk__in=mine)
    )


@rule(Partnership, "manage", "invite", "change_status", "edit_statements", "complete_steps")
def runs_partnership(user: Any, partnership: Partnership) -> bool:
    leads = {
        org
        for org, role in member_organisations(partnership, MemberStatus.ACTIVE).items()
        if role == MemberRole.LEAD
    }
    return bool(acting_organisation_ids(user) & leads)


@rule(Partnership, "contribute")
def acts_for_a_member(user: Any, partnership: Partnership) -> bool:
    return bool(
        acting_organisation_ids(user) & set(member_organisations(partnership, MemberStatus.ACTIVE))
    )


@rule(PartnershipMember, "view")
def can_view_member(user: Any, member: PartnershipMember) -> bool:
    return can_view(user, member.partnership)


@visible(PartnershipMember)
def visible_members(user: Any, members: QuerySet[PartnershipMember]) -> QuerySet[PartnershipMember]:
    """The queryset form of can_view_member."""
    return members.filter(partnership__in=visible_to(user, Partnership).values("pk"))


@rule(PartnershipMember, "respond", "leave", "answer")
def acts_for_the_organisation(user: Any, member: PartnershipMember) -> bool:
    return member.organisation_id in acting_organisation_ids(user)
