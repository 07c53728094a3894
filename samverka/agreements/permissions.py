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

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from samverka.agreements.models import Agreement, AgreementStatus, AgreementVersion, Approval
from samverka.agreements.services import PARTY_ROLES
from samverka.core.audit import entry_filter
from samverka.core.models import LogEntry
from samverka.core.permissions import rule, visible, visible_to
from samverka.partnerships.models import MemberRole, MemberStatus, Partnership, PartnershipMember
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


def _drafts_read_by(user: Any) -> QuerySet[PartnershipMember]:
    """The partnerships (as a subquery) whose drafts the user reads: the set form
    of reads_drafts."""
    return PartnershipMember.objects.filter(
        organisation__in=list(user.roles()), status=MemberStatus.ACTIVE
    ).values("partnership_id")


@visible(Agreement)
def visible_agreements(user: Any, agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """The queryset form of may_view."""
    settled = ~Q(status__in=NEGOTIATING) & Q(
        partnership__in=visible_to(user, Partnership).values("pk")
    )
    if not user.is_authenticated:
        return agreements.filter(settled)
    return agreements.filter(
        settled | Q(status__in=NEGOTIATING, partnership__in=_drafts_read_by(user))
    )


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


@rule(AgreementVersion, "view")
def may_view_version(user: Any, version: AgreementVersion) -> bool:
    agreement = version.agreement
    if not may_view(user, agreement):
        return False
    if reads_drafts(user, agreement.partnership):
        return True
    return approved_by_all(AgreementVersion.objects.filter(pk=version.pk)).exists()


@visible(AgreementVersion)
def visible_versions(user: Any, versions: QuerySet[AgreementVersion]) -> QuerySet[AgreementVersion]:
    """The queryset form of may_view_version: every version for the partnership's
    active members, else those every party approved of an agreement the user
    may see. Both forms rest on `approved_by_all`."""
    readable = versions.filter(agreement__in=visible_to(user, Agreement).values("pk"))
    approved = Q(pk__in=approved_by_all(readable).values("pk"))
    if not user.is_authenticated:
        return versions.filter(approved)
    return versions.filter(Q(agreement__partnership__in=_drafts_read_by(user)) | approved)


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
    Two queries however many entries there are."""
    if not isinstance(partnership, Partnership):
        return []
    ids = [pk for pk in {entry.data.get("agreement") for entry in entries} if isinstance(pk, int)]
    agreements = Agreement.objects.filter(partnership=partnership, pk__in=ids)
    visible = set(visible_to(user, agreements).values_list("pk", flat=True))
    versions = AgreementVersion.objects.filter(agreement_id__in=visible)
    readable_versions: set[tuple[int, int]] = (
        set(visible_to(user, versions).values_list("agreement_id", "number")) if visible else set()
    )

    def readable(entry: LogEntry) -> bool:
        pk, number = entry.data.get("agreement"), entry.data.get("version")
        if pk not in visible:
            return False
        return number is None or (pk, number) in readable_versions

    return [entry for entry in entries if readable(entry)]
