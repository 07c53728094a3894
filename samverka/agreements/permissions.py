# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may see, edit and approve an agreement. Registered with the core layer.

Drafts are read by the partnership's members; an approved agreement is as visible
as its partnership. The parties (lead, partners, funders) edit it while it is
negotiated, each party's coordinators or administrators approve for it, and the
lead decides when it is sent for review, comes into force or ends.
"""

from typing import Any

from samverka.agreements.models import Agreement, AgreementStatus
from samverka.agreements.services import PARTY_ROLES
from samverka.core.permissions import rule
from samverka.partnerships.models import MemberRole, MemberStatus, Partnership
from samverka.partnerships.permissions import (
    acting_organisation_ids,
    can_view,
    member_organisations,
    runs_partnership,
)

NEGOTIATING = (AgreementStatus.DRAFT, AgreementStatus.IN_REVIEW)


@rule(Partnership, "draft_agreement")
def may_draft(user: Any, partnership: Partnership) -> bool:
    return runs_partnership(user, partnership)


@rule(Agreement, "view")
def may_view(user: Any, agreement: Agreement) -> bool:
    partnership = agreement.partnership
    if agreement.status not in NEGOTIATING:
        return can_view(user, partnership)
    if not user.is_authenticated:
        return False
    members = member_organisations(partnership, MemberStatus.ACTIVE, MemberStatus.INVITED)
    return bool(set(user.roles()) & set(members))


def _party_orgs(user: Any, agreement: Agreement) -> set[int]:
    members = member_organisations(agreement.partnership, MemberStatus.ACTIVE)
    parties = {org for org, role in members.items() if role in PARTY_ROLES}
    return acting_organisation_ids(user) & parties


@rule(Agreement, "edit")
def may_edit(user: Any, agreement: Agreement) -> bool:
    return agreement.editable and bool(_party_orgs(user, agreement))


@rule(Agreement, "approve")
def may_approve(user: Any, agreement: Agreement) -> bool:
    return agreement.status == AgreementStatus.IN_REVIEW and bool(_party_orgs(user, agreement))


@rule(Agreement, "manage")
def may_manage(user: Any, agreement: Agreement) -> bool:
    members = member_organisations(agreement.partnership, MemberStatus.ACTIVE)
    leads = {org for org, role in members.items() if role == MemberRole.LEAD}
    return bool(acting_organisation_ids(user) & leads)


def approving_organisations(user: Any, agreement: Agreement) -> set[int]:
    """The parties the user may approve for."""
    return _party_orgs(user, agreement)
