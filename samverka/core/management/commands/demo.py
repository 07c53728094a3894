# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load the demo dataset: the actors the seed articles name, a few hundred
generated local organisations, and demo users for every role. Deterministic
(--seed) and idempotent: a second run changes nothing."""

import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from samverka.accounts.models import User
from samverka.accounts.services import add_member
from samverka.core.demo.actors import (
    DEMO_PASSWORD,
    DEMO_USERS,
    DESCRIPTIONS,
    DISTRICTS,
    ENTRY_DOORS,
    LANGUAGE,
    NAMED_ORGANISATIONS,
    PATTERNS,
    PLACES,
    SURNAMES,
)
from samverka.directory.models import Organisation
from samverka.directory.orgnumbers import make_valid
from samverka.directory.services import add_entry_door, create_organisation

# First digit of a Swedish organisation number tells the legal form.
SE_FIRST_DIGIT = {
    "municipality": "2",
    "region": "2",
    "state_agency": "2",
    "police": "2",
    "business": "5",
    "public_housing": "5",
    "cooperative": "7",
}


def organisation_number(rng: random.Random, country: str, sector: str) -> str:
    for _attempt in range(20):
        if country == "SE":
            body = SE_FIRST_DIGIT.get(sector, "8") + "".join(rng.choices("0123456789", k=8))
            body = body[:2] + str(rng.randint(2, 9)) + body[3:]  # third digit >= 2: not a person
        elif country == "NO":
            body = rng.choice("89") + "".join(rng.choices("0123456789", k=7))
        else:
            body = str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=6))
        number = make_valid(country, body)
        if number:
            return number
    raise RuntimeError("no valid organisation number found")


def generated_organisations(seed: int, count: int) -> list[dict[str, Any]]:
    """The same `count` organisations for the same seed, every time."""
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    result: list[dict[str, Any]] = []
    countries = ["SE", "SE", "NO", "DK"]
    misses = 0
    while len(result) < count:
        country = rng.choice(countries)
        kind = rng.choice(sorted(PATTERNS[country]))
        place = rng.choice(PLACES[country])
        district = rng.choice(DISTRICTS[country])
        name = rng.choice(PATTERNS[country][kind]).format(
            place=place, district=district, surname=rng.choice(SURNAMES[country])
        )
        sector = "civil_society" if kind == "sport" else kind
        number = organisation_number(rng, country, sector) if rng.random() < 0.8 else ""
        if (country, name) in seen:
            misses += 1
            if misses < 1000:
                continue
            # The patterns make only some hundred names; number the rest
            # instead of drawing for ever.
            name = f"{name} {len(result) + 1}"
            if (country, name) in seen:
                continue
        elif misses < 1000:
            misses = 0
        seen.add((country, name))
        result.append(
            {
                "country": country,
                "name": name,
                "sector": sector,
                "municipality": place,
                "organisation_number": number,
                "description": DESCRIPTIONS[country].format(place=place, district=district),
                "description_language": LANGUAGE[country],
            }
        )
    return result


class Command(BaseCommand):
    help = "Load the Nordic demo dataset (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--generated", type=int, default=300)

    @transaction.atomic
    def handle(self, *args: Any, seed: int, generated: int, **options: Any) -> None:
        rng = random.Random(seed)
        created = 0
        existing = set(Organisation.objects.values_list("country", "name"))
        for country, sector, municipality, name, language, description in NAMED_ORGANISATIONS:
            number = organisation_number(rng, country, sector)
            if (country, name) in existing:
                continue
            create_organisation(
                by=None,
                country=country,
                sector=sector,
                municipality=municipality,
                name=name,
                description=description,
                description_language=language,
                organisation_number=number,
            )
            created += 1
        taken = set(Organisation.objects.values_list("country", "organisation_number"))
        for fields in generated_organisations(seed, generated):
            if (fields["country"], fields["name"]) in existing:
                continue
            if fields["organisation_number"] and (
                (fields["country"], fields["organisation_number"]) in taken
            ):
                fields["organisation_number"] = ""
            create_organisation(by=None, **fields)
            taken.add((fields["country"], fields["organisation_number"]))
            created += 1

        by_name = {
            o.name: o
            for o in Organisation.objects.filter(
                name__in=[n for _c, _s, _m, n, _l, _d in NAMED_ORGANISATIONS]
            )
        }
        for email, first, last, language, roles, platform_admin, _what in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    language=language,
                    is_staff=platform_admin,
                    is_superuser=platform_admin,
                )
            for organisation_name, role in roles:
                add_member(organisation=by_name[organisation_name], user=user, role=role, by=None)

        for name, topic, who, email, phone, form_url, when in ENTRY_DOORS:
            organisation = by_name[name]
            if not organisation.entry_doors.filter(topic=topic).exists():
                add_entry_door(
                    organisation=organisation,
                    by=None,
                    data={
                        "topic": topic,
                        "who": who,
                        "email": email,
                        "phone": phone,
                        "form_url": form_url,
                        "opening_hours": when,
                    },
                )

        self.stdout.write(
            f"Demo data: {created} organisations created, {Organisation.objects.count()} in total."
        )
        self.stdout.write(f"Demo users (password: {DEMO_PASSWORD}):")
        for email, *_rest, what in DEMO_USERS:
            self.stdout.write(f"  {email:42} {what}")
