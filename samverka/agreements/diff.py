# SPDX-License-Identifier: AGPL-3.0-or-later
"""An agreement's content as labelled blocks of text, and a word-level diff of two
contents that a reader can follow section by section."""

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    PilotRoute,
    PublicPayment,
    decimal_or_none,
    format_amount,
)
from samverka.agreements.present import contribution_cells
from samverka.core.choices import labels
from samverka.partnerships.models import MemberRole


@dataclass(frozen=True)
class Block:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    old: str
    new: str
    # ("same" | "removed" | "added", text) pieces, in reading order.
    parts: list[tuple[str, str]]


def blocks(content: dict[str, Any], sections: list[dict[str, Any]]) -> list[Block]:
    """The content in document order; every block is plain text."""
    roles = labels(MemberRole)
    result = [Block("title", _("Title"), content.get("title", ""))]
    texts = content.get("sections", {})
    for section in sections:
        code, kind = section["code"], section["kind"]
        label = in_language(section["title"])
        if kind == "text":
            result.append(Block(f"section:{code}", label, texts.get(code, "")))
        elif kind == "parties":
            lines = [
                " · ".join(
                    filter(
                        None,
                        [p["name"], p.get("organisation_number", ""), roles.get(p["role"], "")],
                    )
                )
                for p in content.get("parties", [])
            ]
            result.append(Block("parties", label, "\n".join(lines)))
        elif kind == "contributions":
            lines = [" · ".join(filter(None, cells)) for cells in contribution_cells(content)]
            payment = content.get("public_payment", "")
            if payment:
                lines.append(labels(PublicPayment).get(payment, payment))
            result.append(Block("contributions", label, "\n".join(lines)))
        elif kind == "principles":
            lines = [
                f"{p['name']}: {p.get('meaning', '')}".strip(": ")
                for p in content.get("principles", [])
            ]
            result.append(Block("principles", label, "\n".join(lines)))
        elif kind == "after_pilot":
            after = content.get("after_pilot", {})
            budget = decimal_or_none(after.get("budget"))
            lines = [
                f"{_('Decision date')}: {after.get('decision_on', '')}",
                f"{_('Criteria for success')}: {after.get('criteria', '')}",
                f"{_('Route after success')}: "
                + labels(PilotRoute).get(after.get("route", ""), after.get("route", "")),
                after.get("detail", ""),
                f"{_('Budget')}: {format_amount(budget, after.get('currency', ''))}"
                if budget is not None
                else "",
            ]
            result.append(Block("after_pilot", label, "\n".join(filter(None, lines))))
        elif kind == "duration":
            dates = content.get("dates", {})
            lines = [
                f"{_('Starts')}: {dates.get('starts_on') or '–'}",
                f"{_('Ends')}: {dates.get('ends_on') or '–'}",
                f"{_('Notice period in months')}: {dates.get('notice_months') or '–'}",
                f"{_('Review dates')}: {', '.join(dates.get('review_dates', [])) or '–'}",
                texts.get(code, ""),
            ]
            result.append(Block("duration", label, "\n".join(filter(None, lines))))
        elif kind == "signatures":
            names_ = "\n".join(p["name"] for p in content.get("parties", []))
            result.append(Block("signatures", label, names_))
    return result


TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(b[j1:j2])))
    return parts


def compare(
    old: dict[str, Any], new: dict[str, Any], sections: list[dict[str, Any]]
) -> list[Change]:
    """The blocks that differ, each with its word-level changes."""
    before = {block.key: block for block in blocks(old, sections)}
    changes = []
    for block in blocks(new, sections):
        previous = before.get(block.key)
        old_text = previous.text if previous else ""
        if old_text != block.text:
            changes.append(
                Change(
                    block.key, block.label, old_text, block.text, word_diff(old_text, block.text)
                )
            )
    return changes
