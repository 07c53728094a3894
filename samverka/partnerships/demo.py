# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo partnerships that tell the seeds' stories, built through the services
(idempotent: a partnership that exists by name is left as it is).

- Hammarkullen, Göteborg (seed 000): the city, the police and, at step four,
  civil society; an IOP being drafted.
- Noltorp, Alingsås (seed 002): the municipality and its housing company
  renovate carefully so that tenants can stay, with the tenants' association.
- Stenungsön, Stenungsund (seed 002): the municipality and its housing company
  asked residents what makes them thrive, and turned it into an action plan.
- Bærum (seed 003): the municipality tests three to five concepts of
  social entrepreneurs over two years, under an approved agreement.
- Østerbyen, Esbjerg (seed 004): an alliance with business at the table from
  the start; a partnerskabsaftale in review.
- Høje Gladsaxe, Gladsaxe (seed 004): a place-specific, binding and long-term
  partnership between the municipality and the housing organisations.
"""

import datetime
from typing import Any

from samverka.accounts.models import Membership, User
from samverka.directory.models import Organisation, Place
from samverka.partnerships import services
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import MemberStatus, Partnership, Status

Steps = dict[int, str]  # step number → what shows it is done

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
        "steps_before_rest": {
            1: "Problembeskrivningen togs fram av stadsdelen och polisen i mars 2026.",
            2: "Trygghetsvandring i centrum och samtal med unga på fritidsgården.",
            3: "Parterna listade i styrgruppen: stadsdelen, polisen, Hyresgästföreningen, "
            "Röda Korset.",
        },
        "members_later": [
            ("Hyresgästföreningen Region Västra Sverige", "partner"),
            ("Röda Korset Göteborg", "partner"),
        ],
        "involvements": [
            {
                "kind": "walk",
                "held_on": datetime.date(2026, 3, 18),
                "residents_reached": 34,
                "groups": ["young_people", "women", "tenants"],
                "summary": "Trygghetsvandring från spårvagnshållplatsen genom centrum, med "
                "Hyresgästföreningen och polisen.",
                "outcomes": [
                    "Bättre belysning vid trappan ner till spårvagnen",
                    "En mötesplats för unga som är öppen på helgerna",
                ],
            }
        ],
        "form": "",
    },
    {
        "name": "Varsam renovering i Noltorp",
        "lead": "Alingsåshem",
        "by": "sara.nilsson@alingsashem.example",
        "place": ("SE", "Noltorp"),
        "themes": ["housing", "elderly", "democracy"],
        "problem": "Husen i Noltorp ska renoveras. Många hyresgäster är äldre eller har låga "
        "inkomster och oroar sig för att inte ha råd att bo kvar, och flera hus saknar hiss.",
        "visibility": "logged_in",
        "members_first": [
            ("Alingsås kommun", "partner"),
            ("Hyresgästföreningen Region Västra Sverige", "partner"),
        ],
        "steps_before_rest": {
            1: "Problemet formulerat av Alingsåshem, socialtjänsten och "
            "samhällsbyggnadsavdelningen utifrån ägardirektivet om social hållbarhet.",
            2: "Hembesök och intervjuer med hyresgäster i de första husen.",
            3: "Alingsåshem, kommunen och Hyresgästföreningen; bygglag och sociala "
            "förvaltningen knyts till arbetsgruppen.",
            4: "Ägardirektivet (kommunfullmäktige) ger Alingsåshem uppdraget; "
            "socialnämnden avsätter en halvtidstjänst.",
        },
        "members_later": [],
        "involvements": [
            {
                "kind": "interview",
                "held_on": datetime.date(2026, 4, 22),
                "residents_reached": 118,
                "groups": ["tenants", "elderly", "families", "disabled"],
                "summary": "Hembesök i 118 hushåll om hyran efter renoveringen, behov av "
                "anpassningar och vad som ska bevaras.",
                "outcomes": [
                    "Välja mellan tre renoveringsnivåer med olika hyreshöjning",
                    "Hiss och tillgänglighetsanpassning i hus med många äldre",
                    "Evakueringslägenheter inom Noltorp",
                ],
            }
        ],
        "form": "",
    },
    {
        "name": "Trivsel på Stenungsön",
        "lead": "Stenungsunds kommun",
        "by": "johan.ek@stenungsund.example",
        "place": ("SE", "Stenungsön"),
        "themes": ["housing", "children_youth", "culture_leisure", "democracy"],
        "problem": "Många som bor på Stenungsön vill flytta därifrån, och barn och unga har "
        "få platser att vara på efter skolan och på helgerna.",
        "visibility": "public",
        "members_first": [("Stenungsundshem", "partner")],
        "steps_before_rest": {
            1: "Socialchefen och samhällsbyggnadschefen formulerade problemet tillsammans "
            "med Stenungsundshem.",
            2: "Intervjuer med boende: vad gör att du trivs, och vill du bo kvar?",
            3: "Kommunen och Stenungsundshem; föreningar bjuds in till arbetsgrupperna.",
            4: "Kommunstyrelsen beslutade om satsningen i januari 2026.",
            5: "Problembeskrivningen stämdes av på ett gemensamt möte i februari.",
        },
        "members_later": [],
        "involvements": [
            {
                "kind": "interview",
                "held_on": datetime.date(2026, 2, 10),
                "residents_reached": 86,
                "groups": ["children", "young_people", "families", "elderly", "tenants"],
                "summary": "Intervjuer vid entréer, på gårdar och på fritidsgården: vad gör "
                "att du trivs, och vill du bo kvar?",
                "outcomes": [
                    "Grillplatser och fler lekplatser",
                    "En kickbikeramp",
                    "Fritidsgården öppen på helgerna",
                    "Ett årligt motionslopp på ön",
                ],
            }
        ],
        "form": "",
    },
    {
        "name": "Sosialt entreprenørskap i Bærum",
        "lead": "Bærum kommune",
        "by": "ingrid.moen@baerum.example",
        "place": ("NO", "Bærum"),
        "themes": ["jobs", "integration", "children_youth"],
        "problem": "Kommunen har behov den ikke løser godt nok alene, og sosiale entreprenører "
        "har løsninger som sjelden blir prøvd ut eller kjøpt etter en pilot.",
        "visibility": "public",
        "horizon": "pilot",
        "members_first": [
            ("Ferd Sosiale Entreprenører", "partner"),
            ("Frivilligsentralen i Bærum", "partner"),
        ],
        "steps_before_rest": {
            1: "Kommunens behov kartlagt av tjenesteområdene i 2025.",
            2: "Innspill fra brukere og pårørende gjennom frivilligsentralen.",
            3: "Bærum kommune, Ferd og frivilligsentralen; hver pilot får en eier i kommunen.",
            4: "Rådmannen ga mandat og ressurser til tre til fem piloter over to år.",
            5: "Felles møte i november 2025 bekreftet problembeskrivelsen.",
            6: "Målet vedtatt i styringsgruppen i desember 2025.",
        },
        "goal": "Minst tre konsepter fra sosiale entreprenører er prøvd ut i kommunens "
        "tjenester innen utgangen av 2028, og kommunen har besluttet innkjøp, oppskalering "
        "eller stopp for hvert av dem.",
        "members_later": [],
        "involvements": [],
        "form": "pilot",
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
        "steps_before_rest": {},
        "members_later": [("Lauritzen Fonden", "funder")],
        "involvements": [],
        "form": "partnerskabsaftale",
    },
    {
        "name": "Partnerskab for Høje Gladsaxe",
        "lead": "Gladsaxe Kommune",
        "by": "sofie.holm@gladsaxe.example",
        "place": ("DK", "Høje Gladsaxe"),
        "themes": ["safety", "education", "jobs", "democracy"],
        "problem": "Samarbejdet i Høje Gladsaxe foregår ad hoc og i projekter, der slutter, "
        "før de virker; beboerne møder mange aktører, men ingen fælles plan.",
        "visibility": "logged_in",
        "members_first": [("Vores HG", "partner")],
        "steps_before_rest": {
            1: "Problemet formuleret af kommunaldirektøren og boligorganisationerne.",
            2: "Beboermøder i de fem afdelinger.",
            3: "Kommunen, boligorganisationerne og politiet gennem Vores HG.",
        },
        "members_later": [],
        "involvements": [
            {
                "kind": "dialogue",
                "held_on": datetime.date(2026, 9, 3),
                "residents_reached": 61,
                "groups": ["tenants", "young_people", "families"],
                "summary": "Beboermøde i fælleshuset om, hvad partnerskabet skal tage fat på "
                "først.",
                "outcomes": ["Flere fritidsjob til unge", "Tryghed ved stationen om aftenen"],
            }
        ],
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
            horizon=spec.get("horizon", "long_term"),
            places=[place.pk] if place else None,
        )
        for name, role in spec["members_first"]:
            _join(partnership, organisations[name], role, by)
        for involvement in spec["involvements"]:
            services.record_involvement(partnership=partnership, by=by, **involvement)
        for number, note in spec["steps_before_rest"].items():
            services.complete_step(partnership=partnership, number=number, by=by, note=note)
        for name, role in spec["members_later"]:
            _join(partnership, organisations[name], role, by)
        kinds = ["problem"]
        if spec.get("goal"):
            services.revise_statement(
                partnership=partnership, kind="goal", text=spec["goal"], by=by
            )
            kinds.append("goal")
        for member in partnership.members.filter(status=MemberStatus.ACTIVE).select_related(
            "organisation"
        ):
            for kind in kinds:
                services.answer_statement(
                    partnership=partnership,
                    kind=kind,
                    organisation=member.organisation,
                    agrees=True,
                    comment="",
                    by=_speaker(member.organisation, by),
                )
        if spec["form"]:
            services.choose_form(partnership=partnership, form=spec["form"], by=by)
        # Working on it together: past the first draft once others have joined.
        if partnership.members.filter(status=MemberStatus.ACTIVE).count() > 1:
            services.change_status(partnership=partnership, to=Status.FORMING, by=by)
        created += 1
    return created


def _speaker(organisation: Organisation, fallback: User) -> User:
    """A demo user who acts for the organisation, so the timeline names the
    right person; else the one who set the partnership up."""
    membership = (
        Membership.objects.filter(organisation=organisation, role__in=("admin", "coordinator"))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else fallback


def _join(partnership: Partnership, organisation: Organisation, role: str, by: User) -> None:
    member = services.invite_organisation(
        partnership=partnership, organisation=organisation, role=role, by=by
    )
    services.respond(member=member, accept=True, by=_speaker(organisation, by))
