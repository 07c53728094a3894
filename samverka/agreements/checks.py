# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks shown while an agreement is edited. Warnings help; errors must be fixed
before the agreement goes to review or is approved, never before it is saved."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    ContributionKind,
    PublicPayment,
    date_or_none,
    decimal_or_none,
)
from samverka.directory.models import Sector

ERROR = "error"
WARNING = "warning"

PUBLIC_SECTORS = frozenset(
    {Sector.MUNICIPALITY, Sector.REGION, Sector.STATE_AGENCY, Sector.POLICE, Sector.PUBLIC_HOUSING}
)


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str
    section: str = ""


def check_agreement(
    content: dict[str, Any], *, sections: list[dict[str, Any]], form: str, requires_post_pilot: bool
) -> list[Finding]:
    """Every finding for one content, errors first. `sections` and `form` come
    from the agreement's template."""
    findings: list[Finding] = []
    dates = content.get("dates", {})
    starts, ends = date_or_none(dates.get("starts_on")), date_or_none(dates.get("ends_on"))
    if starts and ends and ends < starts:
        findings.append(
            Finding(
                ERROR, "end_before_start", _("The end date is before the start date."), "duration"
            )
        )

    after = content.get("after_pilot", {})
    if requires_post_pilot and not (
        after.get("decision_on") and after.get("criteria", "").strip() and after.get("route")
    ):
        findings.append(
            Finding(
                ERROR,
                "no_post_pilot_path",
                _(
                    "A pilot agreement must say what happens after the pilot: the decision "
                    "date, the criteria for success and the route after success "
                    "(procurement, scale-up or stop)."
                ),
                "after_pilot",
            )
        )

    texts = content.get("sections", {})
    for section in sections:
        if (
            section["kind"] == "text"
            and section["mandatory"]
            and not texts.get(section["code"], "").strip()
        ):
            findings.append(
                Finding(
                    ERROR,
                    "mandatory_section_empty",
                    _("“%(section)s” is mandatory in this template and still empty.")
                    % {"section": _title(section)},
                    section["code"],
                )
            )

    codes = {section["code"] for section in sections}
    if "follow_up" not in codes or not texts.get("follow_up", "").strip():
        findings.append(
            Finding(
                WARNING,
                "no_follow_up",
                _(
                    "The agreement does not say how the partnership will be followed up "
                    "and evaluated."
                ),
                "follow_up",
            )
        )

    contributors = {row.get("party") for row in content.get("contributions", [])}
    for party in content.get("parties", []):
        if party["organisation"] not in contributors:
            findings.append(
                Finding(
                    WARNING,
                    "party_without_contribution",
                    _("%(party)s contributes nothing yet.") % {"party": party["name"]},
                    "contributions",
                )
            )

    if form == "iop":
        findings.extend(_iop_findings(content))
    return findings


def _iop_findings(content: dict[str, Any]) -> list[Finding]:
    findings = []
    if content.get("public_payment") == PublicPayment.PRICE:
        findings.append(
            Finding(
                WARNING,
                "looks_like_procurement",
                _(
                    "This looks like procurement: in an IOP the public party does not pay a "
                    "market price for a defined service. Kammarrätten i Göteborg judged such "
                    "an IOP in Alingsås to be a public contract (2019, case 3556-18)."
                ),
                "contributions",
            )
        )
    public = {
        party["organisation"]
        for party in content.get("parties", [])
        if party.get("sector") in PUBLIC_SECTORS
    }
    civil = {party["organisation"] for party in content.get("parties", [])} - public
    paying = {
        row.get("party")
        for row in content.get("contributions", [])
        if row.get("kind") == ContributionKind.MONEY
        and (decimal_or_none(row.get("amount")) or 0) > 0
    }
    contributing = {row.get("party") for row in content.get("contributions", [])}
    if public & paying and civil and not civil & contributing:
        findings.append(
            Finding(
                WARNING,
                "no_co_financing",
                _(
                    "Only the public side contributes. In an IOP both parties co-finance the "
                    "effort, with money or in kind."
                ),
                "contributions",
            )
        )
    return findings


def _title(section: dict[str, Any]) -> str:
    return in_language(section["title"])


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == ERROR]
