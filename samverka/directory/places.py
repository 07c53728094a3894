# SPDX-License-Identifier: AGPL-3.0-or-later
"""The place hierarchy's reference data: countries and their municipalities."""

import csv
from pathlib import Path

from django.db import transaction

from samverka.directory.models import Country, Place, PlaceKind, place_path

DATA = Path(__file__).resolve().parent / "data" / "municipalities"


def municipality_rows() -> list[dict[str, str]]:
    rows = []
    for country in ("se", "no", "dk"):
        with (DATA / f"{country}.csv").open(encoding="utf-8") as file:
            rows.extend({**row, "country": country.upper()} for row in csv.DictReader(file))
    return rows


@transaction.atomic
def load_municipalities() -> int:
    """Create the three countries and their municipalities; idempotent. Returns how
    many places were added."""
    added = 0
    countries = {}
    for code, name in Country.choices:
        countries[code], created = Place.objects.get_or_create(
            path=place_path(None, code, code),
            defaults={"kind": PlaceKind.COUNTRY, "name": str(name), "country": code, "code": code},
        )
        added += created
    existing = set(Place.objects.filter(kind=PlaceKind.MUNICIPALITY).values_list("path", flat=True))
    new = []
    for row in municipality_rows():
        parent = countries[row["country"]]
        path = place_path(parent.path, row["country"], row["code"])
        if path in existing:
            continue
        new.append(
            Place(
                kind=PlaceKind.MUNICIPALITY,
                name=row["name"],
                country=row["country"],
                code=row["code"],
                parent=parent,
                path=path,
                population=int(row["population"]) if row.get("population") else None,
            )
        )
    Place.objects.bulk_create(new, batch_size=500)
    return added + len(new)


def add_sub_place(*, parent: Place, name: str, kind: str, code: str) -> Place:
    """A district or neighbourhood under `parent`; returns the existing one if present."""
    path = place_path(parent.path, parent.country, code)
    place, _created = Place.objects.get_or_create(
        path=path,
        defaults={
            "kind": kind,
            "name": name,
            "country": parent.country,
            "code": code,
            "parent": parent,
        },
    )
    return place
