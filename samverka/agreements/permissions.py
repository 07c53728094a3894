# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may see, edit and approve an agreement. Registered with the core layer.

Drafts are read by the partnership's active members (an organisation that is only
invited has not joined yet); an approved agreement is as visible as its partnership,
but only in the version(s) every party approved: the drafts before it stay with the
members. The parties (lead, partners, funders) edit it while it is negotiated, each
party's coordinators or administrators approve for it, and the lead decides when it
is sent for review, comes into force or ends.
"""

from typing import Any

from django.db.models import Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from samverka.agreements.models import Agreement, AgreementStatus, AgreementVersion, Approval
from samverka.agreements.services import PARTY_ROLES
from samverka.core.audit import entry_filter
from samverka.core.models import LogEntry
from samverka.core.permissions import can, is_platform_admin, rule
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


def reads_drafts(user: Any, partnership: Partnership) -> bool:
    """Drafts, and every version, are for the partnership's active members."""
    if not user.is_authenticated:
        return False
    members = member_organisations(partnership, MemberStatus.ACTIVE)
    return bool(set(user.roles()) & set(members))


@rule(Agreement, "view")
def may_view(user: Any, agreement: Agreement) -> bool:
    if agreement.status not in NEGOTIATING:
        return can_view(user, agreement.partnership)
    return reads_drafts(user, agreement.partnership)


class _JSONArrayLength(Func):
    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def approved_by_all(versions: QuerySet[AgreementVersion]) -> QuerySet[AgreementVersion]:
    """The versions every party named in them approved. Approvals are only made by
    those parties, one per party, so counting them is enough."""
    approvals = (
        Approval.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return versions.alias(
        _approvals=Coalesce(Subquery(approvals, output_field=IntegerField()), Value(0)),
        _parties=Coalesce(_JSONArrayLength(F("content__parties")), Value(0)),
    ).filter(_approvals__gt=0, _approvals__gte=F("_parties"))


def visible_versions(user: Any, agreement: Agreement) -> QuerySet[AgreementVersion]:
    """The agreement's versions the user may read, newest first: the list form of
    the AgreementVersion "view" rule below. Both rest on `approved_by_all`, and
    test_version_visibility checks that they agree."""
    versions = agreement.versions.all()
    if not can(user, "view", agreement):
        return versions.none()
    if is_platform_admin(user) or reads_drafts(user, agreement.partnership):
        return versions
    return approved_by_all(versions)


@rule(AgreementVersion, "view")
def may_view_version(user: Any, version: AgreementVersion) -> bool:
    agreement = version.agreement
    if not may_view(user, agreement):
        return False
    if reads_drafts(user, agreement.partnership):
        return True
    return approved_by_all(AgreementVersion.objects.filter(pk=version.pk)).exists()


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


@entry_filter("agreement")
def readable_agreement_entries(
    user: Any, partnership: Any, entries: list[LogEntry]
) -> list[LogEntry]:
    """The partnership's entries about agreements that the user may read: the
    agreement must be visible to them, and so must the version an entry names.
    A fixed number of queries however many entries there are."""
    if not isinstance(partnership, Partnership):
        return []
    ids = {entry.data.get("agreement") for entry in entries}
    agreements = {
        agreement.pk: agreement
        for agreement in Agreement.objects.filter(
            partnership=partnership, pk__in=[pk for pk in ids if isinstance(pk, int)]
        ).only("pk", "status", "partnership_id")
    }
    for agreement in agreements.values():
        # One partnership object, so the rules read its members once.
        agreement.partnership = partnership
    visible = {pk for pk, agreement in agreements.items() if can(user, "view", agreement)}
    every_version = is_platform_admin(user) or reads_drafts(user, partnership)
    approved: set[tuple[int, int]] = set()
    if visible and not every_version:
        approved = set(
            approved_by_all(AgreementVersion.objects.filter(agreement_id__in=visible)).values_list(
                "agreement_id", "number"
            )
        )

    def readable(entry: LogEntry) -> bool:
        pk, number = entry.data.get("agreement"), entry.data.get("version")
        if pk not in visible:
            return False
        return every_version or number is None or (pk, number) in approved

    return [entry for entry in entries if readable(entry)]
