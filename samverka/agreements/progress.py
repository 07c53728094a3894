# SPDX-License-Identifier: AGPL-3.0-or-later
"""How far each version of an agreement got: a draft, sent for review, approved by
some or all of its parties, and whether a later version replaced it. The same
words are shown in the versions list and printed on the version's documents, so
an old version never borrows the agreement's present status."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from samverka.agreements.models import Agreement, AgreementVersion, Approval
from samverka.agreements.permissions import approved_by_all


def describe(
    *, number: int, newest: int, sent: bool, approvals: int, parties: int, by_all: bool
) -> str:
    """One version's progress in words."""
    replaced = number < newest
    after = {"number": number + 1}
    if by_all:
        if replaced:
            return _("approved by all parties, then replaced by version %(number)s") % after
        return _("approved by all parties")
    if approvals:
        counts = {"count": approvals, "total": parties}
        if replaced:
            return _(
                "approved by %(count)s of %(total)s parties, then replaced by version %(number)s"
            ) % {**counts, **after}
        return _("approved by %(count)s of %(total)s parties") % counts
    if sent:
        if replaced:
            return _("sent for review, then replaced by version %(number)s") % after
        return _("sent for review")
    if replaced:
        return _("draft, then replaced by version %(number)s") % after
    return _("draft")


def version_progress(agreement: Agreement, versions: QuerySet[AgreementVersion]) -> dict[int, str]:
    """{number: words} for the given versions of the agreement. Three queries
    however many versions; "approved by all" is `approved_by_all`'s answer."""
    versions = versions.filter(agreement=agreement).order_by()
    by_all = set(approved_by_all(versions).values_list("number", flat=True))
    approvals: dict[int, int] = dict(
        Approval.objects.filter(version__in=versions)
        .order_by()
        .values_list("version__number")
        .annotate(n=Count("pk"))
    )
    rows: list[tuple[Any, ...]] = list(
        versions.values_list("number", "sent_for_review", "content__parties")
    )
    return {
        number: describe(
            number=number,
            newest=agreement.version,
            sent=sent,
            approvals=approvals.get(number, 0),
            parties=len(parties) if isinstance(parties, list) else 0,
            by_all=number in by_all,
        )
        for number, sent, parties in rows
    }
