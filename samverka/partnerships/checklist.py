# SPDX-License-Identifier: AGPL-3.0-or-later
"""The start checklist: sixteen steps stored as data (data/checklist.json),
loaded into ChecklistStep where administrators can adapt them per form and country."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import get_language

from samverka.partnerships.models import ChecklistStep, Partnership, StepCompletion

DATA = Path(__file__).resolve().parent / "data" / "checklist.json"
LANGUAGES = ("sv", "nb", "da", "en")


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the current language, else English, else any."""
    language = (language or get_language() or "en")[:2]
    language = "nb" if language == "no" else language
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def read_data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as file:
        return json.load(file)


@transaction.atomic
def load_checklist() -> int:
    """Create the steps and their variants that are missing; never overwrite what an
    administrator has changed. Returns how many rows were added."""
    data = read_data()
    existing = set(ChecklistStep.objects.values_list("number", "form", "country"))
    base = {step["number"]: step for step in data["steps"]}
    new = []
    for step in data["steps"]:
        if (step["number"], "", "") not in existing:
            new.append(
                ChecklistStep(
                    number=step["number"],
                    code=step["code"],
                    title=step["title"],
                    guidance=step.get("guidance", {}),
                    evidence_hint=step.get("evidence_hint", {}),
                    mandatory=step.get("mandatory", False),
                )
            )
    for override in data.get("overrides", []):
        form, country = override.get("form", ""), override.get("country", "")
        number = override["number"]
        if (number, form, country) in existing:
            continue
        step = base[number]
        guidance = dict(step.get("guidance", {}))
        for language, extra in override.get("guidance_append", {}).items():
            guidance[language] = f"{guidance.get(language, '')} {extra}".strip()
        new.append(
            ChecklistStep(
                number=number,
                code=step["code"],
                title=override.get("title", step["title"]),
                guidance=guidance,
                evidence_hint=step.get("evidence_hint", {}),
                mandatory=override.get("mandatory", step.get("mandatory", False)),
                form=form,
                country=country,
            )
        )
    ChecklistStep.objects.bulk_create(new)
    return len(new)


@dataclass(frozen=True)
class Step:
    number: int
    code: str
    title: str
    guidance: str
    evidence_hint: str
    mandatory: bool
    completion: StepCompletion | None

    @property
    def done(self) -> bool:
        return self.completion is not None


def _specificity(step: ChecklistStep, form: str, country: str) -> int:
    """-1 when the variant does not apply; higher is more specific."""
    if (step.form and step.form != form) or (step.country and step.country != country):
        return -1
    return (2 if step.form else 0) + (1 if step.country else 0)


def resolve(rows: list[ChecklistStep], *, form: str, country: str) -> dict[int, ChecklistStep]:
    """For each number, the most specific variant that applies."""
    chosen: dict[int, tuple[int, ChecklistStep]] = {}
    for row in rows:
        rank = _specificity(row, form, country)
        if rank >= 0 and (row.number not in chosen or rank > chosen[row.number][0]):
            chosen[row.number] = (rank, row)
    return {number: row for number, (_rank, row) in sorted(chosen.items())}


def steps_for(partnership: Partnership, language: str | None = None) -> list[Step]:
    """The partnership's checklist (two queries), in the given or current language."""
    rows = resolve(
        list(ChecklistStep.objects.all()), form=partnership.form, country=partnership.country
    )
    done = {c.number: c for c in partnership.completions.select_related("completed_by")}
    return [
        Step(
            number=number,
            code=row.code,
            title=in_language(row.title, language),
            guidance=in_language(row.guidance, language) if row.guidance else "",
            evidence_hint=in_language(row.evidence_hint, language) if row.evidence_hint else "",
            mandatory=row.mandatory,
            completion=done.get(number),
        )
        for number, row in rows.items()
    ]


def current_step(partnership: Partnership) -> int:
    """The first step not yet done; one past the last when all are done."""
    steps = steps_for(partnership)
    return next((s.number for s in steps if not s.done), steps[-1].number + 1 if steps else 1)


@dataclass(frozen=True)
class Summary:
    done: int
    total: int
    mandatory_left: int


def summary(steps: list[Step]) -> Summary:
    """What the top of a long checklist says: how far the partnership has come
    and how many mandatory steps still stand in the way."""
    return Summary(
        done=sum(1 for s in steps if s.done),
        total=len(steps),
        mandatory_left=sum(1 for s in steps if s.mandatory and not s.done),
    )
