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
    decimal_or_none,
    format_amount,
    public_payment_label,
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
                lines.append(public_payment_label(content))
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
LINE = re.compile(r"[^\n]*\n|[^\n]+")
# difflib's matching grows faster than the square of the length: two sections of
# 50,000 characters took seconds each, by words. So the changed middle (after the
# common start and end are set aside) is compared by words only up to a size (the
# product of the two lengths in words), and then by lines, each changed line by
# words while a budget for the whole comparison lasts; past the second size the
# middle is shown removed and added whole. Measured on text of few distinct
# words (the worst case): a diff at the word limit takes about 0.02 s.
WORD_DIFF_LIMIT = 400_000  # about 2,000 characters against 2,000
LINE_DIFF_LIMIT = 250_000  # 500 lines against 500
WORD_DIFF_BUDGET = 2_000_000  # for all blocks of one comparison

Parts = list[tuple[str, str]]


class Budget:
    """Word-level work left for one comparison, in pairs of words."""

    def __init__(self, pairs: int = WORD_DIFF_BUDGET) -> None:
        self.pairs = pairs

    def spend(self, a: list[str], b: list[str]) -> bool:
        """Whether a word diff of `a` and `b` is affordable; if so it is spent."""
        cost = len(a) * len(b)
        if cost > min(self.pairs, WORD_DIFF_LIMIT):
            return False
        self.pairs -= cost
        return True


def _add(parts: Parts, kind: str, text: str) -> None:
    """Append, joining a piece to the previous one of the same kind."""
    if not text:
        return
    if parts and parts[-1][0] == kind:
        parts[-1] = (kind, parts[-1][1] + text)
    else:
        parts.append((kind, text))


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many tokens the two lists share at the start, and then at the end."""
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _diff(a: list[str], b: list[str], parts: Parts) -> None:
    # Spaces never start a match (they are everywhere, and made it slow); they
    # still join the words matched on either side.
    matcher = difflib.SequenceMatcher(str.isspace, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(parts, "same", "".join(a[i1:i2]))
            continue
        _add(parts, "removed", "".join(a[i1:i2]))
        _add(parts, "added", "".join(b[j1:j2]))


def word_diff(old: str, new: str, budget: Budget | None = None) -> Parts:
    """("same" | "removed" | "added", text) pieces: by words, or by lines when the
    texts are long and differ throughout, so the work stays bounded."""
    budget = budget or Budget()
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    start, end = _common_ends(a, b)
    parts: Parts = []
    _add(parts, "same", "".join(a[:start]))
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if budget.spend(middle_a, middle_b):
        _diff(middle_a, middle_b, parts)
    else:
        _line_diff("".join(middle_a), "".join(middle_b), parts, budget)
    _add(parts, "same", "".join(a[len(a) - end :]))
    return parts


def _line_diff(old: str, new: str, parts: Parts, budget: Budget) -> None:
    a, b = LINE.findall(old), LINE.findall(new)
    if len(a) * len(b) > LINE_DIFF_LIMIT:
        _add(parts, "removed", old)
        _add(parts, "added", new)
        return
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            _add(parts, "same", "".join(a[i1:i2]))
            continue
        old_lines, new_lines = "".join(a[i1:i2]), "".join(b[j1:j2])
        words_a, words_b = TOKEN.findall(old_lines), TOKEN.findall(new_lines)
        if op == "replace" and budget.spend(words_a, words_b):
            _diff(words_a, words_b, parts)
        else:
            _add(parts, "removed", old_lines)
            _add(parts, "added", new_lines)


def compare(
    old: dict[str, Any], new: dict[str, Any], sections: list[dict[str, Any]]
) -> list[Change]:
    """The blocks that differ, each with its word-level changes."""
    before = {block.key: block for block in blocks(old, sections)}
    budget = Budget()
    changes = []
    for block in blocks(new, sections):
        previous = before.get(block.key)
        old_text = previous.text if previous else ""
        if old_text != block.text:
            changes.append(
                Change(
                    block.key,
                    block.label,
                    old_text,
                    block.text,
                    word_diff(old_text, block.text, budget),
                )
            )
    return changes
