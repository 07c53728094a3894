# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo partnerships drawn from the seeds, built through the services (idempotent)."""

from typing import Any

from samverka.accounts.models import User
from samverka.directory.models import Organisation, Place
from samverka.partnerships import services
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import MemberStatus, Partnership

# name, lead, coordinator e-mail, place, problem, visibility,
# steps done before the others are asked, [(organisation, role, answers?)], form
PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "name": "Trygghet och fritid i Hammarkullen",
        "lead": "Göteborgs Stad",
        "by": "anna.lindqvist@goteborg.example",
        "place": ("SE", "Hammarkullen"),
        "themes": ["safety", "children_youth", "culture_leisure"],
        "problem": "Unga i Hammarkullen saknar meningsfulla fritidsaktiviteter på kvällar "
        "och helger, och många boende känner sig otrygga i centrum efter mörkrets inbrott.",
        "visibility": "logged_in",
        "members_first": [("Polisen lokalpolisområde Angered", "partner")],
        # Seed 000: civil society came in at step two or three, after the rules were set.
        "steps_before_rest": [1, 2, 3],
        "members_later": [
            ("Hyresgästföreningen Region Västra Sverige", "partner"),
            ("Röda Korset Göteborg", "partner"),
        ],
        "form": "",
    },
    {
        "name": "Østerbyen – stærkere sammen",
        "lead": "Esbjerg Kommune",
        "by": "mette.jensen@rodekors-esbjerg.example",
        "place": ("DK", "Østerbyen"),
        "themes": ["jobs", "children_youth", "integration"],
        "problem": "For få unge i Østerbyen har fritidsjob og praktikpladser, og foreninger "
        "og virksomheder kommer for sent ind, når problemerne defineres.",
        "visibility": "public",
        "members_first": [
            ("Business Esbjerg", "partner"),
            ("Røde Kors Esbjerg", "partner"),
            ("Medvind i Østerbyen", "partner"),
        ],
        "steps_before_rest": [],
        "members_later": [("Lauritzen Fonden", "funder")],
        "form": "partnerskabsaftale",
    },
]


def load_demo_partnerships() -> int:
    load_checklist()
    created = 0
    organisations = {o.name: o for o in Organisation.objects.all().only("pk", "name", "sector")}
    for spec in PARTNERSHIPS:
        if Partnership.objects.filter(name=spec["name"]).exists():
            continue
        by = User.objects.get(email=spec["by"])
        place = Place.objects.filter(country=spec["place"][0], name=spec["place"][1]).first()
        partnership = services.create_partnership(
            by=by,
            lead=organisations[spec["lead"]],
            name=spec["name"],
            problem_statement=spec["problem"],
            themes=spec["themes"],
            visibility=spec["visibility"],
            places=[place.pk] if place else None,
        )
        for name, role in spec["members_first"]:
            _join(partnership, organisations[name], role, by)
        for number in spec["steps_before_rest"]:
            services.complete_step(
                partnership=partnership, number=number, by=by, note="Genomfört (demo)."
            )
        for name, role in spec["members_later"]:
            _join(partnership, organisations[name], role, by)
        for member in partnership.members.filter(status=MemberStatus.ACTIVE).select_related(
            "organisation"
        ):
            services.answer_statement(
                partnership=partnership,
                kind="problem",
                organisation=member.organisation,
                agrees=True,
                comment="",
                by=by,
            )
        if spec["form"]:
            services.choose_form(partnership=partnership, form=spec["form"], by=by)
        created += 1
    return created


def _join(partnership: Partnership, organisation: Organisation, role: str, by: User) -> None:
    member = services.invite_organisation(
        partnership=partnership, organisation=organisation, role=role, by=by
    )
    services.respond(member=member, accept=True, by=by)
