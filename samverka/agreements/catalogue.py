# SPDX-License-Identifier: AGPL-3.0-or-later
"""Agreement templates as data (data/templates.json), loaded into AgreementTemplate
where administrators can adapt them, and the six principles of the Göteborg compact
(data/principles.json) that every template proposes."""

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from samverka.partnerships.checklist import in_language

DATA = Path(__file__).resolve().parent / "data" / "templates.json"
PRINCIPLES = Path(__file__).resolve().parent / "data" / "principles.json"
LANGUAGES = ("sv", "nb", "da", "en")

__all__ = [
    "DATA",
    "LANGUAGES",
    "PRINCIPLES",
    "in_language",
    "load_templates",
    "principles",
    "read_data",
    "template_rows",
]


@cache
def read_data() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as file:
        return json.load(file)


@cache
def _read_principles() -> tuple[dict[str, Any], ...]:
    with PRINCIPLES.open(encoding="utf-8") as file:
        return tuple(json.load(file))


def principles() -> list[dict[str, Any]]:
    """The six principles, each {code, name: {lang: text}, guidance: {lang: text}}:
    the one list templates, agreements and health checks read. A deep copy, so a
    caller's change stays its own."""
    return copy.deepcopy(list(_read_principles()))


def template_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each template with its sections resolved against the catalogue, ready to store."""
    catalogue = data["sections"]
    rows = []
    for template in data["templates"]:
        sections = []
        for section in template["sections"]:
            base = catalogue.get(section["code"], {})
            sections.append(
                {
                    "code": section["code"],
                    "kind": section.get("kind") or base.get("kind", "text"),
                    "mandatory": bool(section.get("mandatory", False)),
                    "title": section.get("title") or base["title"],
                    "guidance": section.get("guidance") or base.get("guidance", {}),
                }
            )
        rows.append(
            {
                "code": template["code"],
                "form": template["form"],
                "country": template.get("country", ""),
                "language": template.get("language", "en"),
                "name": template["name"],
                "description": template.get("description", {}),
                "sections": sections,
                "principles": principles(),
                "requires_post_pilot": bool(template.get("requires_post_pilot", False)),
                "sources": template.get("sources", []),
            }
        )
    return rows


def load_templates(model: Any = None) -> int:
    """Create the templates that are missing; never overwrite what an administrator
    changed. `model` lets a migration pass its historical model."""
    if model is None:
        from samverka.agreements.models import AgreementTemplate as model
    with transaction.atomic():
        existing = set(model.objects.values_list("code", flat=True))
        new = [model(**row) for row in template_rows(read_data()) if row["code"] not in existing]
        model.objects.bulk_create(new)
    return len(new)
