# SPDX-License-Identifier: AGPL-3.0-or-later
"""Generated local organisations for the demo: the kinds a coordinator meets
in a district (a homework club, a tenants' association, a sports club, a work-
integration café, a builder that takes apprentices), each placed in a real
district of its own municipality (``data/districts.json``) and described in
the words such organisations use, so that search and matching meet the
variety of real text ("unga", "ungdomar", "barn och unga", "tonåringar").
"""

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.text import slugify

DATA = Path(__file__).resolve().parent / "data"
LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}
SURNAMES = {
    "SE": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"],
    "NO": ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen"],
    "DK": ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen"],
}


@dataclass(frozen=True)
class Area:
    country: str
    municipality: str
    name: str
    kind: str  # "district" or "neighbourhood"
    parent: str  # the district a neighbourhood lies in; "" for a district


@cache
def areas() -> tuple[Area, ...]:
    """Every district and neighbourhood of the demo, districts before their parts."""
    raw = json.loads((DATA / "districts.json").read_text(encoding="utf-8"))
    found: list[Area] = []
    for country in ("SE", "NO", "DK"):
        for municipality, districts in raw[country].items():
            for district, neighbourhoods in districts.items():
                found.append(Area(country, municipality, district, "district", ""))
                found += [
                    Area(country, municipality, name, "neighbourhood", district)
                    for name in neighbourhoods
                ]
    return tuple(found)


def area_code(name: str) -> str:
    """A place code from a name, with the Nordic letters NFKD cannot take
    apart ("Østerbyen" → "osterbyen", "Bærums Verk" → "baerums-verk")."""
    name = name.lower().translate(str.maketrans({"ø": "o", "æ": "ae", "ð": "d", "þ": "th"}))
    return slugify(unicodedata.normalize("NFKC", name))


@dataclass(frozen=True)
class LocalKind:
    """A kind of local organisation: its sector, a name pattern ({area},
    {municipality}, {surname}, {school}), a description in the country's
    language, and what it is about and brings."""

    sector: str
    name: str
    description: str
    themes: tuple[str, ...]
    capabilities: tuple[str, ...]


def school_name(country: str, area: str) -> str:
    """Schools are named after their area: one-word areas join ("Hjällboskolan")."""
    if country == "SE":
        return f"{area}skolan" if area.isalpha() else f"Skolan i {area}"
    if country == "NO":
        return f"{area} skole"
    return f"{area} Skole"


LOCAL_KINDS: dict[str, list[LocalKind]] = {
    "SE": [
        LocalKind(
            "civil_society",
            "Läxhjälpen {area}",
            "Läxhjälp för elever i årskurs 4–9 i {area} två kvällar i veckan. Frivilliga "
            "studenter hjälper till med matte, svenska och engelska.",
            ("education", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Språkcafé {area}",
            "Språkcafé i {area}, {municipality}: nyanlända övar svenska med frivilliga över en "
            "kopp kaffe varje tisdag, och vi hjälper till med blanketter och kontakter.",
            ("integration", "education"),
            ("volunteers",),
        ),
        LocalKind(
            "civil_society",
            "Kulturföreningen {area}",
            "Kulturförening som ordnar musik, teater och dans för barn och ungdomar i {area}, "
            "och en kulturfestival varje sommar.",
            ("culture_leisure", "children_youth"),
            ("volunteers", "premises"),
        ),
        LocalKind(
            "civil_society",
            "Nattvandrarna {area}",
            "Vuxna som nattvandrar i {area} på fredags- och lördagskvällar. Vi finns där "
            "tonåringar rör sig och samarbetar med fältassistenter och polisen för ett "
            "tryggare område.",
            ("safety", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Seniorträffen {area}",
            "Pensionärsförening i {area}: promenadgrupper, studiecirklar och besök hos äldre "
            "som bor ensamma.",
            ("elderly", "health"),
            ("volunteers",),
        ),
        LocalKind(
            "civil_society",
            "Odla i {area}",
            "Stadsodling på gårdarna i {area}: boende odlar grönsaker tillsammans, "
            "komposterar och lär sig av varandra. Öppet för alla åldrar.",
            ("environment", "integration"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "residents_association",
            "Hyresgästföreningen {area}",
            "Lokal hyresgästförening i {area}, {municipality}. Vi företräder hyresgästerna vid "
            "renoveringar och boinflytande, och ordnar trygghetsvandringar och gårdsfester.",
            ("housing", "safety", "democracy"),
            ("local_knowledge",),
        ),
        LocalKind(
            "social_enterprise",
            "Kooperativet {area}",
            "Arbetsintegrerande socialt företag i {area}: café, catering och lokalvård där "
            "personer som stått länge utan arbete får arbetsträning och en väg till anställning.",
            ("jobs", "integration"),
            ("jobs_internships", "expertise"),
        ),
        LocalKind(
            "business",
            "{surname}s Bygg AB",
            "Byggföretag i {municipality} med tolv anställda. Tar emot lärlingar och "
            "praktikanter från {area} och sponsrar det lokala fotbollslaget.",
            ("jobs",),
            ("jobs_internships", "funding"),
        ),
        LocalKind(
            "business",
            "{area} Livs",
            "Livsmedelsbutik mitt i {area}. Vi erbjuder sommarjobb till unga i området och "
            "skänker frukt till fritidsgården.",
            ("jobs", "children_youth"),
            ("jobs_internships", "funding"),
        ),
        LocalKind(
            "civil_society",
            "{area} IF",
            "Idrottsförening i {area}, {municipality}, med fotboll, friidrott och innebandy för "
            "barn och ungdomar. Ideella ledare och låga avgifter så att alla kan vara med.",
            ("sport", "children_youth"),
            ("volunteers", "premises"),
        ),
        LocalKind(
            "civil_society",
            "{area} Boxningsklubb",
            "Boxning och motionsträning för tjejer och killar från tolv år i {area}. Tränarna "
            "är förebilder och håller kontakt med skolan.",
            ("sport", "children_youth", "health"),
            ("volunteers",),
        ),
        LocalKind(
            "faith_based",
            "Svenska kyrkan i {area}",
            "Församlingen i {area} har öppet hus för äldre, språkträning för nyanlända och "
            "lokaler som föreningar kan låna.",
            ("integration", "elderly"),
            ("premises", "volunteers"),
        ),
        LocalKind(
            "education",
            "{school}",
            "Grundskola F–9 i {area} med fritidshem. Vi vill öppna skolan för föreningar på "
            "kvällar och helger och samarbeta kring läxhjälp och lovaktiviteter.",
            ("education", "children_youth"),
            ("premises", "expertise"),
        ),
        LocalKind(
            "education",
            "Komvux {municipality}",
            "Kommunal vuxenutbildning i {municipality}: svenska för invandrare, "
            "yrkesutbildningar och studievägledning. Samarbetar med arbetsgivare om praktik.",
            ("education", "jobs", "integration"),
            ("expertise",),
        ),
    ],
    "NO": [
        LocalKind(
            "civil_society",
            "Leksehjelpen {area}",
            "Gratis leksehjelp for elever på mellomtrinnet og ungdomsskolen i {area}, to "
            "ettermiddager i uken, med frivillige studenter og pensjonerte lærere.",
            ("education", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Frivilligsentralen {area}",
            "Møteplass for frivillig innsats i {area}, {municipality}: besøksvenner, turgrupper "
            "og hjelp til eldre som bor alene.",
            ("elderly", "health"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Språkkafé {area}",
            "Språkkafé på biblioteket i {area}: nyankomne øver på norsk med frivillige hver "
            "onsdag, og vi hjelper med skjemaer og kontakter.",
            ("integration", "education"),
            ("volunteers",),
        ),
        LocalKind(
            "civil_society",
            "Natteravnene {area}",
            "Voksne som går natteravn i {area} fredag og lørdag kveld, der ungdommer samles, "
            "i samarbeid med utekontakten og politiet.",
            ("safety", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Parsellhagen {area}",
            "Felles parsellhage i {area} der beboere dyrker grønnsaker, komposterer og lærer "
            "av hverandre. Åpen for alle aldre.",
            ("environment", "integration"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "residents_association",
            "Velforeningen {area}",
            "Velforening i {area}, {municipality}, som tar vare på nærmiljøet: dugnader, "
            "lekeplasser, trygghetsvandringer og beboernes stemme overfor kommunen.",
            ("housing", "safety", "democracy"),
            ("local_knowledge",),
        ),
        LocalKind(
            "social_enterprise",
            "Jobbverkstedet {area}",
            "Sosialt entreprenørskap i {area}: sykkelverksted og kantine der folk som har stått "
            "lenge utenfor arbeidslivet får arbeidstrening og hjelp videre til fast jobb.",
            ("jobs", "integration"),
            ("jobs_internships", "expertise"),
        ),
        LocalKind(
            "business",
            "{surname} Bygg AS",
            "Byggfirma i {municipality} med femten ansatte. Tar inn lærlinger og "
            "praksiselever fra {area} og sponser det lokale idrettslaget.",
            ("jobs",),
            ("jobs_internships", "funding"),
        ),
        LocalKind(
            "civil_society",
            "{area} Idrettslag",
            "Idrettslag i {area}, {municipality}, med fotball, håndball og allidrett for barn og "
            "unge. Frivillige trenere og lave kontingenter, så alle kan være med.",
            ("sport", "children_youth"),
            ("volunteers", "premises"),
        ),
        LocalKind(
            "civil_society",
            "Ungdomsklubben {area}",
            "Fritidsklubb for ungdom i {area}: musikkstudio, e-sport og turer, åpen tre kvelder "
            "i uken og i helgene.",
            ("culture_leisure", "children_youth"),
            ("premises", "volunteers"),
        ),
        LocalKind(
            "faith_based",
            "{area} menighet",
            "Menigheten i {area} har middagstreff for eldre, norsktrening for nyankomne og "
            "lokaler som lag og foreninger kan låne.",
            ("integration", "elderly"),
            ("premises", "volunteers"),
        ),
        LocalKind(
            "education",
            "{school}",
            "Barneskole i {area} med SFO. Vi vil åpne skolen for lag og foreninger på "
            "kveldstid og samarbeide om leksehjelp og ferietilbud.",
            ("education", "children_youth"),
            ("premises", "expertise"),
        ),
        LocalKind(
            "education",
            "Voksenopplæringen {municipality}",
            "Norskopplæring og grunnskole for voksne i {municipality}, med praksisplasser hos "
            "lokale arbeidsgivere.",
            ("education", "jobs", "integration"),
            ("expertise",),
        ),
    ],
    "DK": [
        LocalKind(
            "civil_society",
            "Lektiecafé {area}",
            "Gratis lektiehjælp til elever i 4.–9. klasse i {area} to eftermiddage om ugen, "
            "med frivillige studerende og pensionerede lærere.",
            ("education", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Sprogcafé {area}",
            "Sprogcafé på biblioteket i {area}: nytilkomne øver dansk med frivillige hver "
            "torsdag, og vi hjælper med breve fra kommunen.",
            ("integration", "education"),
            ("volunteers",),
        ),
        LocalKind(
            "civil_society",
            "Natteravnene {area}",
            "Voksne der går natteravn i {area} fredag og lørdag aften, hvor de unge samles, i "
            "samarbejde med SSP og politiet.",
            ("safety", "children_youth"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "civil_society",
            "Seniorklubben {area}",
            "Seniorklub i {area}: gåture, motion og besøgsvenner til ældre, der bor alene.",
            ("elderly", "health"),
            ("volunteers",),
        ),
        LocalKind(
            "civil_society",
            "Byhaven {area}",
            "Fælles nyttehave i {area}, hvor beboerne dyrker grøntsager, komposterer og lærer af "
            "hinanden. Åben for alle aldre.",
            ("environment", "integration"),
            ("volunteers", "local_knowledge"),
        ),
        LocalKind(
            "residents_association",
            "Afdelingsbestyrelsen {area}",
            "Den valgte afdelingsbestyrelse for de almene boliger i {area}, {municipality}: "
            "beboerdemokrati, fællesaktiviteter og tryghedsvandringer med boligselskabet.",
            ("housing", "safety", "democracy"),
            ("local_knowledge",),
        ),
        LocalKind(
            "social_enterprise",
            "Café {area} ApS",
            "Socialøkonomisk virksomhed i {area}: café og kantine, hvor ledige får "
            "arbejdstræning og hjælp videre til job eller uddannelse.",
            ("jobs", "integration"),
            ("jobs_internships", "expertise"),
        ),
        LocalKind(
            "business",
            "{surname} Byg ApS",
            "Byggefirma i {municipality} med 14 ansatte. Tager lærlinge og praktikanter fra "
            "{area} og sponsorerer den lokale boldklub.",
            ("jobs",),
            ("jobs_internships", "funding"),
        ),
        LocalKind(
            "civil_society",
            "{area} Boldklub",
            "Boldklub i {area}, {municipality}, med fodbold for børn og unge. Frivillige "
            "trænere og lavt kontingent, så alle kan være med.",
            ("sport", "children_youth"),
            ("volunteers", "premises"),
        ),
        LocalKind(
            "civil_society",
            "Ungdomsklubben {area}",
            "Klub for unge i {area}: musik, e-sport og ture, åben tre aftener om ugen og i "
            "weekenden.",
            ("culture_leisure", "children_youth"),
            ("premises", "volunteers"),
        ),
        LocalKind(
            "faith_based",
            "{area} Kirke",
            "Sognet i {area} har spisefællesskab for ældre, danskundervisning for nytilkomne og "
            "lokaler, som foreninger kan låne.",
            ("integration", "elderly"),
            ("premises", "volunteers"),
        ),
        LocalKind(
            "education",
            "{school}",
            "Folkeskole i {area} med SFO. Vi vil åbne skolen for foreninger om aftenen og i "
            "weekenden og samarbejde om lektiehjælp og ferieaktiviteter.",
            ("education", "children_youth"),
            ("premises", "expertise"),
        ),
        LocalKind(
            "education",
            "VUC {municipality}",
            "Voksenuddannelse i {municipality}: forberedende kurser, hf og ordblindeundervisning, "
            "i samarbejde med virksomheder om praktik.",
            ("education", "jobs"),
            ("expertise",),
        ),
    ],
}

# What a capability means for a local organisation, in its language; "sector/kind"
# where a sector means something else by it.
CAPABILITY_DETAILS: dict[str, dict[str, str]] = {
    "sv": {
        "volunteers": "Frivilliga kvällar och helger",
        "local_knowledge": "Känner området och de boende",
        "premises": "Lokal som kan lånas",
        "jobs_internships": "Praktikplatser och feriejobb för unga",
        "expertise": "Erfarenhet av arbetsträning",
        "funding": "Sponsring av lokala aktiviteter",
        "education/premises": "Skolans lokaler kvällar och helger",
        "education/expertise": "Lärare och studie- och yrkesvägledare",
    },
    "nb": {
        "volunteers": "Frivillige på kveldstid og i helgene",
        "local_knowledge": "Kjenner området og beboerne",
        "premises": "Lokaler som kan lånes",
        "jobs_internships": "Praksisplasser og sommerjobb for unge",
        "expertise": "Erfaring med arbeidstrening",
        "funding": "Sponsing av lokale aktiviteter",
        "education/premises": "Skolens lokaler på kveldstid og i helgene",
        "education/expertise": "Lærere og rådgivere",
    },
    "da": {
        "volunteers": "Frivillige om aftenen og i weekenden",
        "local_knowledge": "Kender området og beboerne",
        "premises": "Lokaler der kan lånes",
        "jobs_internships": "Praktikpladser og fritidsjob til unge",
        "expertise": "Erfaring med arbejdstræning",
        "funding": "Sponsorat af lokale aktiviteter",
        "education/premises": "Skolens lokaler om aftenen og i weekenden",
        "education/expertise": "Lærere og vejledere",
    },
}
