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
from samverka.accounts.twofactor import set_up_for_demo
from samverka.agreements.demo import load_demo_agreements
from samverka.core.demo.actors import (
    DEMO_PASSWORD,
    DEMO_USERS,
    ENTRY_DOORS,
    NAMED_ORGANISATIONS,
    PROFILES,
)
from samverka.core.demo.local import (
    CAPABILITY_DETAILS,
    LANGUAGE,
    LOCAL_KINDS,
    SURNAMES,
    area_code,
    areas,
    school_name,
)
from samverka.directory.models import Organisation, Place, PlaceKind
from samverka.directory.orgnumbers import make_valid
from samverka.directory.places import add_sub_place, load_municipalities
from samverka.directory.services import (
    add_entry_door,
    capabilities_of,
    create_organisation,
    place_ids_of,
    update_organisation,
)
from samverka.partnerships.demo import load_demo_partnerships

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
    """The same `count` local organisations for the same seed, every time,
    each in a real district of its own municipality."""
    rng = random.Random(seed)
    in_country = {country: [a for a in areas() if a.country == country] for country in LANGUAGE}
    seen: set[tuple[str, str]] = set()
    result: list[dict[str, Any]] = []
    countries = ["SE", "SE", "NO", "DK"]
    misses = 0
    while len(result) < count:
        country = rng.choice(countries)
        kind = rng.choice(LOCAL_KINDS[country])
        area = rng.choice(in_country[country])
        name = kind.name.format(
            area=area.name,
            municipality=area.municipality,
            surname=rng.choice(SURNAMES[country]),
            school=school_name(country, area.name),
        )
        number = organisation_number(rng, country, kind.sector) if rng.random() < 0.8 else ""
        if (country, name) in seen:
            misses += 1
            if misses < 1000:
                continue
            # The kinds and areas make only some thousand names; number the
            # rest instead of drawing for ever.
            name = f"{name} {len(result) + 1}"
            if (country, name) in seen:
                continue
        elif misses < 1000:
            misses = 0
        seen.add((country, name))
        language = LANGUAGE[country]
        details = CAPABILITY_DETAILS[language]
        result.append(
            {
                "country": country,
                "name": name,
                "sector": kind.sector,
                "municipality_name": area.municipality,
                "organisation_number": number,
                "description": kind.description.format(
                    area=area.name, municipality=area.municipality
                ),
                "description_language": language,
                "themes": list(kind.themes),
                "capabilities": {
                    k: details.get(f"{kind.sector}/{k}", details[k]) for k in kind.capabilities
                },
                "district_name": area.name,
            }
        )
    return result


def sub_places(municipality_ids: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The demo's districts and housing areas; {(country, name): place id}."""
    ids: dict[tuple[str, str], int] = {}
    for area in areas():
        parent_id = (
            ids[(area.country, area.parent)]
            if area.parent
            else municipality_ids[(area.country, area.municipality)]
        )
        ids[(area.country, area.name)] = add_sub_place(
            parent=Place.objects.get(pk=parent_id),
            name=area.name,
            kind=area.kind,
            code=area_code(area.name),
        ).pk
    return ids


def complete_profile(
    organisation: Organisation, profile: dict[str, Any], places: list[int]
) -> None:
    """Fill what is still empty and add missing places; never overwrite edits."""
    data: dict[str, Any] = {}
    if not organisation.themes and profile.get("themes"):
        data["themes"] = profile["themes"]
    if not organisation.commitment and profile.get("commitment"):
        data["commitment"] = profile["commitment"]
    if not capabilities_of(organisation) and profile.get("capabilities"):
        data["capabilities"] = profile["capabilities"]
    current = place_ids_of(organisation)
    if set(places) - set(current):
        data["places"] = sorted(set(current) | set(places))
    if data:
        update_organisation(
            organisation=organisation, data=data, by=None, version=organisation.version
        )


class Command(BaseCommand):
    help = "Load the Nordic demo dataset (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--generated", type=int, default=300)

    @transaction.atomic
    def handle(self, *args: Any, seed: int, generated: int, **options: Any) -> None:
        rng = random.Random(seed)
        created = 0
        load_municipalities()
        municipality_ids = {
            (country, name): pk
            for pk, country, name in Place.objects.filter(kind=PlaceKind.MUNICIPALITY).values_list(
                "pk", "country", "name"
            )
        }
        area_ids = sub_places(municipality_ids)
        existing = set(Organisation.objects.values_list("country", "name"))
        named_places = {}
        for country, sector, municipality, name, language, description in NAMED_ORGANISATIONS:
            number = organisation_number(rng, country, sector)
            profile = PROFILES.get(name, {})
            named_places[name] = [
                municipality_ids[(country, municipality)],
                *(area_ids[(country, area)] for area in profile.get("places", [])),
            ]
            if (country, name) in existing:
                continue
            create_organisation(
                by=None,
                country=country,
                sector=sector,
                places=named_places[name],
                name=name,
                description=description,
                description_language=language,
                organisation_number=number,
                themes=profile.get("themes", []),
                commitment=profile.get("commitment", ""),
                capabilities=profile.get("capabilities", {}),
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
            country = fields["country"]
            places = [municipality_ids[(country, fields.pop("municipality_name"))]]
            places.append(area_ids[(country, fields.pop("district_name"))])
            create_organisation(by=None, places=places, **fields)
            taken.add((fields["country"], fields["organisation_number"]))
            created += 1

        by_name = {
            o.name: o
            for o in Organisation.objects.filter(
                name__in=[n for _c, _s, _m, n, _l, _d in NAMED_ORGANISATIONS]
            )
        }
        # Profiles of an older demo database, filled in where still empty.
        for organisation in by_name.values():
            complete_profile(
                organisation, PROFILES.get(organisation.name, {}), named_places[organisation.name]
            )

        two_factor: dict[str, tuple[str, list[str]]] = {}
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
            if platform_admin:
                # Platform administrators must use two-factor authentication.
                two_factor[email] = set_up_for_demo(user)

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

        partnerships = load_demo_partnerships()
        agreements = load_demo_agreements()
        self.stdout.write(
            f"Demo data: {created} organisations created, {Organisation.objects.count()} in total;"
            f" {partnerships} partnerships and {agreements} agreements created."
        )
        self.stdout.write(f"Demo users (password: {DEMO_PASSWORD}):")
        for email, *_rest, what in DEMO_USERS:
            self.stdout.write(f"  {email:42} {what}")
        for email, (key, codes) in two_factor.items():
            self.stdout.write(
                f"Two-factor for {email}: add the key {key} to an authenticator app,"
                f" or log in with one of these single-use recovery codes: {' '.join(codes)}"
            )
