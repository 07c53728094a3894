# SPDX-License-Identifier: AGPL-3.0-or-later
"""Checks shown while an agreement is edited. Warnings help; errors must be fixed
before the agreement goes to review or is approved, never before it is saved."""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
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

# The phrases that make an IOP read like a purchase, per language, with their sources.
SIGNALS_FILE = Path(__file__).resolve().parent / "data" / "procurement_signals.json"
STRONG, SUPPORTING = "strong", "supporting"


@dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str
    section: str = ""
    # What in the agreement led to the finding, shown under the message.
    reasons: tuple[str, ...] = ()


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
        findings.extend(_iop_findings(content, sections))
    return findings


def _iop_findings(content: dict[str, Any], sections: list[dict[str, Any]]) -> list[Finding]:
    findings = []
    procurement = _procurement_finding(content, sections)
    if procurement:
        findings.append(procurement)
    public, civil, paying, contributing = _sides(content)
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


def _sides(content: dict[str, Any]) -> tuple[set, set, set, set]:
    """The public parties, the others, the parties paying money and those
    contributing anything at all."""
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
    return public, civil, paying, contributing


def _procurement_finding(content: dict[str, Any], sections: list[dict[str, Any]]) -> Finding | None:
    """An IOP that reads like a purchase: the price option, a telling phrase in the
    text, or public money with nothing of the civil-society side's own. Everyday
    words ("supporting") only count beside other evidence. A warning with its
    reasons, so people can judge it; not a legal assessment."""
    reasons: list[str] = []
    strong = False
    if content.get("public_payment") == PublicPayment.PRICE:
        strong = True
        reasons.append(_("You chose that the public party pays a price for a defined service."))

    public, civil, paying, contributing = _sides(content)
    if public & paying and civil and not civil & contributing:
        strong = True
        names = {party["organisation"]: party["name"] for party in content.get("parties", [])}
        reasons.append(
            _(
                "Contributions: %(public)s contributes money, %(civil)s contributes nothing "
                "of its own. In an IOP the idea-driven party brings its own resources."
            )
            % {
                "public": ", ".join(names[o] for o in names if o in public & paying),
                "civil": ", ".join(names[o] for o in names if o in civil),
            }
        )

    supporting: list[str] = []
    for title, text in _texts(content, sections):
        for found, strength in _phrases_in(text):
            reason = _("“%(phrase)s” in “%(section)s”") % {"phrase": found, "section": title}
            if reason in reasons or reason in supporting:
                continue
            if strength == STRONG:
                strong = True
                reasons.append(reason)
            else:
                supporting.append(reason)
    if not strong:
        return None
    return Finding(
        WARNING,
        "looks_like_procurement",
        _(
            "This looks like procurement: in an IOP the public party does not pay a "
            "market price for a defined service. Kammarrätten i Göteborg judged such "
            "an IOP in Alingsås to be a public contract (2019, case 3556-18)."
        ),
        "contributions",
        reasons=tuple(reasons + supporting),
    )


def _texts(content: dict[str, Any], sections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(section title, text) for every free text and contribution description, in
    the template's order."""
    titles = {section["code"]: _title(section) for section in sections}
    texts = content.get("sections", {})
    order = [code for code in titles if code in texts] + [c for c in texts if c not in titles]
    result = [
        (titles.get(code, code), texts[code]) for code in order if isinstance(texts[code], str)
    ]
    contributions = titles.get("contributions") or _("Contributions")
    result += [
        (contributions, row["description"])
        for row in content.get("contributions", [])
        if isinstance(row.get("description"), str)
    ]
    return result


def _phrases_in(text: str) -> list[tuple[str, str]]:
    """(the words as written, strength) for each signal phrase in the text."""
    found = []
    for pattern, strength in _signal_patterns():
        for match in pattern.finditer(text):
            found.append((" ".join(match.group(0).split()), strength))
    return found


@cache
def load_signals() -> dict[str, Any]:
    return json.loads(SIGNALS_FILE.read_text(encoding="utf-8"))


@cache
def _signal_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One pattern per distinct phrase: from the start of a word, any spacing,
    and the rest of the last word ("uppdrag" finds "uppdraget")."""
    phrases: dict[str, str] = {}
    for language in load_signals()["languages"].values():
        for phrase in language["phrases"]:
            text = phrase["text"].casefold()
            if phrases.get(text) != STRONG:
                phrases[text] = phrase["strength"]
    return tuple(
        (
            re.compile(
                r"(?<!\w)" + r"\s+".join(map(re.escape, text.split())) + r"\w*", re.IGNORECASE
            ),
            strength,
        )
        for text, strength in phrases.items()
    )


def _title(section: dict[str, Any]) -> str:
    return in_language(section["title"])


def blocking(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level == ERROR]
