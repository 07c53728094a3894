# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo agreements for the demo partnerships, built through the services
(idempotent): an IOP being drafted in Hammarkullen, a Danish
partnerskabsaftale for Østerbyen in review, already approved by one party, and
Bærum's pilot agreement with Ferd approved by all, starting next year, with
its path after the pilot (seed 003's lesson)."""

import datetime
from typing import Any

from samverka.accounts.models import User
from samverka.agreements import services
from samverka.agreements.catalogue import load_templates
from samverka.agreements.models import AgreementTemplate
from samverka.directory.models import Organisation
from samverka.partnerships.models import Partnership

IOP_SECTIONS = {
    "background": "Unga i Hammarkullen saknar meningsfulla fritidsaktiviteter på kvällar och "
    "helger, och många boende känner sig otrygga i centrum efter mörkrets inbrott. "
    "Initiativet kommer från Röda Korset och Hyresgästföreningen.",
    "purpose": "Fler unga har en trygg och meningsfull fritid, och fler boende känner sig "
    "trygga i Hammarkullens centrum 2029 än 2026.",
    "roles": "En styrgrupp med en person från varje part möts fyra gånger per år. "
    "Arbetsgruppen leds av stadsdelens samordnare. Kommunen detaljstyr inte verksamheten.",
    "activities": "Helgöppen mötesplats i centrum, nattvandringar fredag och lördag, "
    "läxhjälp två kvällar i veckan.",
    "follow_up": "Gemensam uppföljning varje halvår: antal deltagare, tryggheten i "
    "trygghetsvandringar och i Hyresgästföreningens enkät.",
    "personal_data": "Inga personuppgifter om deltagare samlas in; varje part ansvarar för "
    "sina egna register.",
}


def load_demo_agreements() -> int:
    load_templates()
    created = 0
    organisations = {o.name: o for o in Organisation.objects.only("pk", "name")}
    hammarkullen = Partnership.objects.filter(name="Trygghet och fritid i Hammarkullen").first()
    if hammarkullen is not None and not hammarkullen.agreements.exists():
        _iop(hammarkullen, organisations)
        created += 1
    osterbyen = Partnership.objects.filter(name="Østerbyen – stærkere sammen").first()
    if osterbyen is not None and not osterbyen.agreements.exists():
        _partnerskabsaftale(osterbyen, organisations)
        created += 1
    baerum = Partnership.objects.filter(name="Sosialt entreprenørskap i Bærum").first()
    if baerum is not None and not baerum.agreements.exists():
        _pilot(baerum, organisations)
        created += 1
    return created


def _save(agreement: Any, by: User, changes: dict[str, Any], note: str) -> None:
    """As the pages save: on top of the text read, so a draft stays version 1."""
    agreement.refresh_from_db()
    current = agreement.versions.get(number=agreement.version)
    services.save_agreement(
        agreement=agreement,
        changes=changes,
        by=by,
        base_version=current.number,
        base_hash=current.content_hash,
        note=note,
    )


def _contributions(
    organisations: dict[str, Organisation],
    rows: list[tuple[str, str, str, str, str]],
    years: tuple[int, ...],
) -> list[dict[str, Any]]:
    """Contribution rows as the editor saves them: (party name, kind, amount,
    currency, description), the same each year."""
    return [
        {
            "party": organisations[name].pk,
            "year": year,
            "kind": kind,
            "amount": amount,
            "currency": currency,
            "description": text,
        }
        for year in years
        for name, kind, amount, currency, text in rows
    ]


def _iop(partnership: Partnership, organisations: dict[str, Organisation]) -> None:
    anna = User.objects.get(email="anna.lindqvist@goteborg.example")
    agreement = services.create_agreement(
        partnership=partnership,
        template=AgreementTemplate.objects.get(code="iop"),
        by=anna,
        language="sv",
    )
    _save(agreement, anna, {"sections": IOP_SECTIONS}, "Första utkastet")
    rows = [
        ("Göteborgs Stad", "money", "450000", "SEK", "Lokal och samordnare"),
        ("Polisen lokalpolisområde Angered", "staff_hours", "200", "", "Områdespoliser"),
        ("Hyresgästföreningen Region Västra Sverige", "volunteers", "400", "", "Nattvandrare"),
        ("Röda Korset Göteborg", "volunteers", "600", "", "Läxhjälp"),
    ]
    _save(
        agreement,
        anna,
        {
            "contributions": _contributions(organisations, rows, (2027,)),
            "public_payment": "co_financing",
        },
        "Bidrag 2027",
    )


def _partnerskabsaftale(partnership: Partnership, organisations: dict[str, Organisation]) -> None:
    mette = User.objects.get(email="mette.jensen@rodekors-esbjerg.example")
    agreement = services.create_agreement(
        partnership=partnership,
        template=AgreementTemplate.objects.get(code="partnerskabsaftale"),
        by=mette,
        language="da",
    )
    sections = {
        section["code"]: ""
        for section in agreement.template.sections
        if section["kind"] in ("text", "duration")
    }
    sections.update(
        {
            "background": "For få unge i Østerbyen har fritidsjob og praktikpladser, og "
            "foreninger og virksomheder kommer for sent ind, når problemerne defineres.",
            "purpose": "Flere unge i Østerbyen har et fritidsjob eller en praktikplads.",
            "areas_goals_indicators": "Beskæftigelse: andelen af 15–17-årige med fritidsjob "
            "stiger fra 18 % til 30 % inden 2029.",
            "activities": "Jobbank for fritidsjob, mentorer fra virksomhederne, "
            "praktikdage hver måned.",
            "roles": "En partnergruppe med ledere fra alle parter mødes hvert kvartal; "
            "et sekretariat hos kommunen.",
            "follow_up": "Data om fritidsjob opgøres hvert halve år og drøftes i "
            "partnergruppen; en ekstern evaluering efter fire år.",
            "personal_data": "Hver part er dataansvarlig for egne oplysninger.",
            "duration": "Aftalen kan forlænges med fire år ad gangen.",
            "conflicts": "Uenighed drøftes først i partnergruppen, derefter mellem direktørerne.",
        }
    )
    _save(agreement, mette, {"sections": sections}, "Udkast")
    rows = [
        ("Esbjerg Kommune", "money", "1500000", "DKK", "Sekretariat og lokaler"),
        ("Lauritzen Fonden", "money", "1000000", "DKK", "Fondsbevilling"),
        ("Business Esbjerg", "staff_hours", "300", "", "Virksomhedsmentorer"),
        ("Røde Kors Esbjerg", "volunteers", "800", "", "Frivillige lektiehjælpere"),
        ("Medvind i Østerbyen", "staff_hours", "500", "", "Koordinering"),
    ]
    _save(
        agreement,
        mette,
        {
            "contributions": _contributions(organisations, rows, (2027, 2028)),
            "dates": {
                "starts_on": "2027-01-01",
                "ends_on": "2030-12-31",
                "notice_months": 6,
                "review_dates": ["2027-12-01", "2028-12-01"],
            },
        },
        "Bidrag og datoer",
    )
    agreement.refresh_from_db()
    services.submit_for_review(agreement=agreement, by=mette)
    version = agreement.versions.get(number=agreement.version)
    services.approve_agreement(
        agreement=agreement,
        organisation=organisations["Røde Kors Esbjerg"],
        by=mette,
        version=version.number,
        content_hash=version.content_hash,
        signatory="Mette Jensen, formand",
    )


def _pilot(partnership: Partnership, organisations: dict[str, Organisation]) -> None:
    from samverka.partnerships import lifecycle
    from samverka.partnerships import services as partnership_services
    from samverka.partnerships.models import Status

    ingrid = User.objects.get(email="ingrid.moen@baerum.example")
    kari = User.objects.get(email="kari.solberg@ferd.example")
    agreement = services.create_agreement(
        partnership=partnership,
        template=AgreementTemplate.objects.get(code="pilot"),
        by=ingrid,
        language="nb",
    )
    sections = {
        "background": "Tjenesteområdene i Bærum har meldt behov for bedre oppfølging av unge "
        "som står utenfor skole og arbeid, og for flere arbeidstreningsplasser for "
        "innvandrerkvinner. Sosiale entreprenører i Ferds nettverk har løsninger på begge.",
        "purpose": "Tre til fem konsepter fra sosiale entreprenører prøves ut i kommunens "
        "tjenester i 2027 og 2028. Hver utprøving skal vise om konseptet løser behovet bedre "
        "eller billigere enn i dag, slik at kommunen kan ta stilling til innkjøp.",
        "activities": "Første utprøving: et mentorprogram for unge på Fornebu (NAV Bærum og "
        "ungdomstjenesten). Andre: arbeidstrening i en kantine drevet av en sosial "
        "entreprenør (voksenopplæringen). Flere konsepter velges innen juni 2027.",
        "roles": "Hver utprøving har en eier i kommunen (tjenesteleder) som beslutter neste "
        "steg. Ferd er bindeledd til entreprenørene. En styringsgruppe med én leder fra hver "
        "part møtes hvert kvartal; kommunens kontaktperson er samarbeidskoordinatoren.",
        "follow_up": "Suksesskriteriene for hver utprøving avtales før den starter. Ferd og "
        "kommunen samler data hvert halvår; en felles gjennomgang i god tid før "
        "beslutningsdatoen.",
        "personal_data": "Kommunen er behandlingsansvarlig for opplysninger om brukerne av "
        "tjenestene; entreprenørene er databehandlere med egen avtale.",
        "duration": "Avtalen gjelder fra 1. januar 2027 til 31. desember 2028.",
        "conflicts": "Uenighet tas først opp i styringsgruppen, deretter mellom rådmannen og "
        "Ferds daglige leder.",
    }
    _save(agreement, ingrid, {"sections": sections}, "Første utkast")
    rows = [
        ("Bærum kommune", "money", "600000", "NOK", "Kjøp av utprøving og tid i tjenestene"),
        ("Bærum kommune", "staff_hours", "800", "", "Tjenesteledere og koordinator"),
        ("Ferd Sosiale Entreprenører", "money", "400000", "NOK", "Støtte til entreprenørene"),
        ("Ferd Sosiale Entreprenører", "staff_hours", "300", "", "Rådgivning"),
        ("Frivilligsentralen i Bærum", "volunteers", "400", "", "Frivillige mentorer"),
    ]
    _save(
        agreement,
        ingrid,
        {
            "contributions": _contributions(organisations, rows, (2027, 2028)),
            "public_payment": "co_financing",
            "after_pilot": {
                "decision_on": "2028-10-01",
                "criteria": "Tjenesteeieren bekrefter at konseptet løser behovet, og "
                "kostnaden per bruker er ikke høyere enn i dag.",
                "route": "procurement",
                "detail": "Et vellykket konsept kjøpes gjennom et innovasjonspartnerskap eller "
                "en ordinær anskaffelse; kommunen setter av midler i budsjettet for 2029.",
                "budget": "2000000",
                "currency": "NOK",
            },
            "dates": {
                "starts_on": "2027-01-01",
                "ends_on": "2028-12-31",
                "notice_months": 3,
                "review_dates": ["2027-06-15", "2028-06-15"],
            },
        },
        "Bidrag, datoer og veien etter piloten",
    )
    agreement.refresh_from_db()
    services.submit_for_review(agreement=agreement, by=ingrid)
    version = agreement.versions.get(number=agreement.version)
    for name, by, signatory in (
        ("Bærum kommune", ingrid, "Ingrid Moen, kommunalsjef"),
        ("Frivilligsentralen i Bærum", ingrid, "Ingrid Moen, styreleder"),
        ("Ferd Sosiale Entreprenører", kari, "Kari Solberg, daglig leder"),
    ):
        services.approve_agreement(
            agreement=agreement,
            organisation=organisations[name],
            by=by,
            version=version.number,
            content_hash=version.content_hash,
            signatory=signatory,
        )
    # With the agreement approved, the partnership is agreed and dated.
    for step, note in (
        (7, "Pilot med en avtalt vei etter piloten."),
        (8, "Hver utprøving har en eier i kommunen; styringsgruppe hvert kvartal."),
        (9, "Bidragene for 2027 og 2028 står i pilotavtalen."),
        (11, "Beslutning 1. oktober 2028: et vellykket konsept går videre til anskaffelse."),
        (12, "Suksesskriterier avtales før hver utprøving; data hvert halvår."),
        (16, "Pilotavtalen er godkjent av alle tre parter."),
    ):
        if not partnership.completions.filter(number=step).exists():
            partnership_services.complete_step(
                partnership=partnership, number=step, by=ingrid, note=note
            )
    partnership.refresh_from_db()
    partnership_services.update_partnership(
        partnership=partnership,
        data={"starts_on": datetime.date(2027, 1, 1), "ends_on": datetime.date(2028, 12, 31)},
        by=ingrid,
        version=partnership.version,
    )
    partnership.refresh_from_db()
    if partnership.status == Status.FORMING and not lifecycle.blockers(partnership, Status.AGREED):
        partnership_services.change_status(partnership=partnership, to=Status.AGREED, by=ingrid)
