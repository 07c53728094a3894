# SPDX-License-Identifier: AGPL-3.0-or-later
"""Demo agreements for the demo partnerships, built through the services
(idempotent): an IOP being drafted in Hammarkullen, and a Danish
partnerskabsaftale for Østerbyen in review, already approved by one party."""

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
            "contributions": [
                {
                    "party": organisations[name].pk,
                    "year": 2027,
                    "kind": kind,
                    "amount": amount,
                    "currency": currency,
                    "description": text,
                }
                for name, kind, amount, currency, text in rows
            ],
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
            "contributions": [
                {
                    "party": organisations[name].pk,
                    "year": year,
                    "kind": kind,
                    "amount": amount,
                    "currency": currency,
                    "description": text,
                }
                for year in (2027, 2028)
                for name, kind, amount, currency, text in rows
            ],
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
