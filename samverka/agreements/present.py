# SPDX-License-Identifier: AGPL-3.0-or-later
"""A version's content prepared for reading: section titles in the current
language, party names instead of ids, amounts formatted, totals per unit."""

from typing import Any

from django.utils.translation import gettext as _

from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    ContributionKind,
    PilotRoute,
    contribution_totals,
    date_or_none,
    decimal_or_none,
    format_amount,
    formatted_totals,
    public_payment_label,
    row_amount,
)
from samverka.core.choices import labels
from samverka.partnerships.models import MemberRole


def contribution_cells(content: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(party, year, kind, amount, description) per contribution, as read on the
    page, in the documents and in the diff."""
    names = {party["organisation"]: party["name"] for party in content.get("parties", [])}
    kinds = labels(ContributionKind)
    return [
        (
            names.get(row.get("party")) or _("Former party"),
            str(row.get("year", "")),
            kinds.get(row.get("kind", ""), row.get("kind", "")),
            row_amount(row),
            row.get("description", ""),
        )
        for row in content.get("contributions", [])
    ]


def presented(content: dict[str, Any], sections: list[dict[str, Any]]) -> dict[str, Any]:
    names = {party["organisation"]: party["name"] for party in content.get("parties", [])}
    kinds = labels(ContributionKind)
    roles = labels(MemberRole)
    rows = [
        dict(zip(("party", "year", "kind", "amount", "description"), cells, strict=True))
        for cells in contribution_cells(content)
    ]
    totals = contribution_totals(content.get("contributions", []))
    texts = content.get("sections", {})
    after = content.get("after_pilot", {})
    budget = decimal_or_none(after.get("budget"))
    dates = content.get("dates", {})
    return {
        "title": content.get("title", ""),
        "parties": [
            {**party, "role_label": roles.get(party["role"], party["role"])}
            for party in content.get("parties", [])
        ],
        "sections": [
            {
                "code": section["code"],
                "kind": section["kind"],
                "mandatory": section["mandatory"],
                "title": in_language(section["title"]),
                "text": texts.get(section["code"], ""),
            }
            for section in sections
        ],
        "contributions": rows,
        "totals_by_party": [
            (
                names.get(party) or _("Former party"),
                [
                    (kinds.get(kind, kind), formatted_totals(units))
                    for kind, units in by_kind.items()
                ],
            )
            for party, by_kind in totals.by_party.items()
        ],
        "totals_by_kind": [
            (kinds.get(kind, kind), formatted_totals(units))
            for kind, units in totals.by_kind.items()
        ],
        "mixed_currencies": totals.mixed_currencies,
        "public_payment": public_payment_label(content),
        "principles": content.get("principles", []),
        "after_pilot": {
            "decision_on": date_or_none(after.get("decision_on")),
            "criteria": after.get("criteria", ""),
            "route": labels(PilotRoute).get(after.get("route", ""), ""),
            "detail": after.get("detail", ""),
            "budget": format_amount(budget, after.get("currency", ""))
            if budget is not None
            else "",
        },
        "dates": {
            "starts_on": date_or_none(dates.get("starts_on")),
            "ends_on": date_or_none(dates.get("ends_on")),
            "notice_months": dates.get("notice_months"),
            "review_dates": [d for d in map(date_or_none, dates.get("review_dates", [])) if d],
        },
    }
