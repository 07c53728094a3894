# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisations and people the seed articles name, as demo data.

Organisation numbers are generated (valid check digits, not the real ones).
"""

# (country, sector, municipality, name, language, description)
NAMED_ORGANISATIONS = [
    (
        "SE",
        "municipality",
        "Göteborg",
        "Göteborgs Stad",
        "sv",
        "Kommunen har sedan 2012 en överenskommelse om samverkan med den sociala ekonomin, "
        "byggd på sex principer och utvärderad externt vart fjärde år.",
    ),
    (
        "SE",
        "municipality",
        "Stenungsund",
        "Stenungsunds kommun",
        "sv",
        "Satsar tillsammans med det kommunala bostadsbolaget: boendeintervjuer blev en "
        "handlingsplan med grillplatser, lekparker och en kickboardramp.",
    ),
    (
        "SE",
        "municipality",
        "Alingsås",
        "Alingsås kommun",
        "sv",
        "Socialtjänsten och samhällsbyggnad samarbetar med bostadsbolaget genom ägardirektiv "
        "om social hållbarhet.",
    ),
    (
        "SE",
        "municipality",
        "Kungälv",
        "Kungälvs kommun",
        "sv",
        "Ett samhällskontrakt med föreningar, företagare och myndigheter för att halvera "
        "utsattheten i tre områden.",
    ),
    (
        "SE",
        "municipality",
        "Lerum",
        "Lerums kommun",
        "sv",
        "Har prototypat ett dialogverktyg i ett lokalt innovationslabb.",
    ),
    (
        "SE",
        "region",
        "Göteborg",
        "Göteborgsregionen (GR)",
        "sv",
        "Kommunalförbund som håller i nätverk, seminarier och innovationslabb om social "
        "hållbarhet i samhällsplaneringen.",
    ),
    (
        "SE",
        "public_housing",
        "Alingsås",
        "Alingsåshem",
        "sv",
        "Kommunalt bostadsbolag som renoverar varsamt så att hyresgäster har råd att bo kvar.",
    ),
    (
        "SE",
        "public_housing",
        "Stenungsund",
        "Stenungsundshem",
        "sv",
        "Kommunalt bostadsbolag som tillsammans med kommunen intervjuat boende om trivsel.",
    ),
    (
        "SE",
        "residents_association",
        "Göteborg",
        "Hyresgästföreningen Region Västra Sverige",
        "sv",
        "Organiserar hyresgäster och driver trygghetsvandringar och läxhjälp i bostadsområden.",
    ),
    (
        "SE",
        "civil_society",
        "Göteborg",
        "Röda Korset Göteborg",
        "sv",
        "Frivilliga med lokal kännedom: språkcaféer, läxhjälp och mötesplatser.",
    ),
    (
        "SE",
        "business_association",
        "Göteborg",
        "Business Region Göteborg",
        "sv",
        "Stödjer företagsutveckling inom social ekonomi och öppnar dörrar till näringslivet.",
    ),
    (
        "SE",
        "cooperative",
        "Göteborg",
        "Mikrofonden Väst",
        "sv",
        "Finansierar sociala företag och idéburna organisationer med lån och borgen.",
    ),
    (
        "SE",
        "police",
        "Göteborg",
        "Polisen lokalpolisområde Angered",
        "sv",
        "Samverkar med kommun och bostadsbolag i effektiv samordning för trygghet (EST).",
    ),
    (
        "SE",
        "business_association",
        "Göteborg",
        "Fastighetsägare i Gamlestaden",
        "sv",
        "Sveriges första BID (2001): fastighetsägare med gemensamma mål och handlingsplan.",
    ),
    (
        "SE",
        "business",
        "Göteborg",
        "Nordic Impact AB",
        "sv",
        "Utvärderar samverkan och socialt kapital; utvärderade Överenskommelsen i Göteborg.",
    ),
    (
        "SE",
        "state_agency",
        "Göteborg",
        "RISE",
        "sv",
        "Kunskaps- och metodstöd i projektet Social innovation i samhällsplaneringen.",
    ),
    (
        "SE",
        "other",
        "Göteborg",
        "Älvstranden Utveckling",
        "sv",
        "Kommunalt bolag som utvecklar Frihamnen, en testarena för socialt blandat boende.",
    ),
    (
        "NO",
        "municipality",
        "Bærum",
        "Bærum kommune",
        "nb",
        "Har en samarbeidsavtale med Ferd om utprøving av tre til fem konsepter for sosialt "
        "entreprenørskap over to år.",
    ),
    (
        "NO",
        "foundation",
        "Oslo",
        "Ferd Sosiale Entreprenører",
        "nb",
        "Støtter sosiale entreprenører med kapital og kompetanse, og har laget en juridisk "
        "veileder for kjøp fra sosiale entreprenører.",
    ),
    (
        "NO",
        "civil_society",
        "Bærum",
        "Frivilligsentralen i Bærum",
        "nb",
        "Møteplass for frivillige: leksehjelp, språkkafé og turgrupper.",
    ),
    (
        "NO",
        "civil_society",
        "Bærum",
        "Røde Kors Bærum",
        "nb",
        "Frivillige i besøkstjeneste, leksehjelp og Fri-tid for barn og unge.",
    ),
    (
        "DK",
        "municipality",
        "Gladsaxe",
        "Gladsaxe Kommune",
        "da",
        "Stedsspecifikke, forpligtende og langvarige partnerskaber med boligselskaber og "
        "andre aktører i Høje Gladsaxe.",
    ),
    (
        "DK",
        "municipality",
        "Esbjerg",
        "Esbjerg Kommune",
        "da",
        "Står bag alliancen Medvind i Østerbyen sammen med Lauritzen Fonden.",
    ),
    (
        "DK",
        "municipality",
        "Aalborg",
        "Aalborg Kommune",
        "da",
        "Samarbejder med de almene boligorganisationer om de boligsociale indsatser.",
    ),
    (
        "DK",
        "public_housing",
        "Aalborg",
        "Hasseris Boligselskab",
        "da",
        "Almen boligorganisation der efterlyser færre siloer og mere tværsektorielt samarbejde.",
    ),
    (
        "DK",
        "business_association",
        "Esbjerg",
        "Business Esbjerg",
        "da",
        "Brobygger og indgang til virksomhederne i Esbjerg: fritidsjob og praktikpladser til "
        "unge i Østerbyen.",
    ),
    (
        "DK",
        "civil_society",
        "Esbjerg",
        "Røde Kors Esbjerg",
        "da",
        "Lokal frivillig afdeling med vedvarende tilstedeværelse; samarbejder gerne om det "
        "lange seje træk, ikke kun om fondsprojekter.",
    ),
    (
        "DK",
        "foundation",
        "København",
        "Lauritzen Fonden",
        "da",
        "Medstifter af Medvind i Østerbyen og dens backbone-sekretariat.",
    ),
    (
        "DK",
        "other",
        "Esbjerg",
        "Medvind i Østerbyen",
        "da",
        "Tværsektoriel alliance med partnergruppe, klynger og løbende dataindsamling.",
    ),
    (
        "DK",
        "state_agency",
        "København",
        "Center for Boligsocial Udvikling",
        "da",
        "Videnscenter for boligsociale indsatser; holdt webinaret om samarbejde i udsatte bydele.",
    ),
    (
        "DK",
        "other",
        "Gladsaxe",
        "Vores HG",
        "da",
        "Fælles team for kommunen, fem boligorganisationer og politiet i Høje Gladsaxe.",
    ),
]

DEMO_PASSWORD = "samverka-demo"

# (email, first, last, language, [(organisation name, role)], platform admin, what they show)
DEMO_USERS = [
    (
        "admin@samverka.example",
        "Platform",
        "Admin",
        "en",
        [],
        True,
        "platform administrator (Django admin)",
    ),
    (
        "anna.lindqvist@goteborg.example",
        "Anna",
        "Lindqvist",
        "sv",
        [("Göteborgs Stad", "coordinator")],
        False,
        "coordinator, Göteborgs Stad",
    ),
    (
        "erik.berg@goteborg.example",
        "Erik",
        "Berg",
        "sv",
        [("Göteborgs Stad", "admin")],
        False,
        "organisation admin, Göteborgs Stad",
    ),
    (
        "sara.nilsson@alingsashem.example",
        "Sara",
        "Nilsson",
        "sv",
        [("Alingsåshem", "admin"), ("Göteborgsregionen (GR)", "member")],
        False,
        "organisation admin, Alingsåshem",
    ),
    (
        "mette.jensen@rodekors-esbjerg.example",
        "Mette",
        "Jensen",
        "da",
        [("Røde Kors Esbjerg", "admin")],
        False,
        "NGO partner (admin), Røde Kors Esbjerg",
    ),
    (
        "lars.hansen@businessesbjerg.example",
        "Lars",
        "Hansen",
        "da",
        [("Business Esbjerg", "member")],
        False,
        "member, Business Esbjerg",
    ),
    (
        "ingrid.moen@baerum.example",
        "Ingrid",
        "Moen",
        "nb",
        [("Bærum kommune", "coordinator"), ("Frivilligsentralen i Bærum", "admin")],
        False,
        "coordinator, Bærum kommune",
    ),
    (
        "ola.nordmann@samverka.example",
        "Ola",
        "Nordmann",
        "nb",
        [],
        False,
        "logged in, no organisation",
    ),
]

# For generated organisations: places per country and name patterns per sector.
PLACES = {
    "SE": [
        "Göteborg",
        "Stenungsund",
        "Alingsås",
        "Kungälv",
        "Lerum",
        "Partille",
        "Lilla Edet",
        "Mölndal",
        "Borås",
        "Uddevalla",
        "Trollhättan",
        "Örebro",
        "Malmö",
        "Uppsala",
    ],
    "NO": [
        "Bærum",
        "Oslo",
        "Asker",
        "Drammen",
        "Lindesnes",
        "Trondheim",
        "Steinkjer",
        "Bergen",
        "Stavanger",
        "Kristiansand",
    ],
    "DK": [
        "Esbjerg",
        "Aalborg",
        "Gladsaxe",
        "Albertslund",
        "Aarhus",
        "Odense",
        "Vejle",
        "Kolding",
        "Horsens",
        "Randers",
    ],
}
DISTRICTS = {
    "SE": [
        "Hjällbo",
        "Hammarkullen",
        "Bergsjön",
        "Lövgärdet",
        "Norra Hisingen",
        "Centrum",
        "Östra",
        "Norr",
        "Söder",
        "Stenungsön",
    ],
    "NO": ["Fornebu", "Rud", "Sentrum", "Øst", "Vest", "Haslum", "Bekkestua"],
    "DK": ["Østerbyen", "Høje Gladsaxe", "Hasseris", "Vestbyen", "Centrum", "Nord", "Syd"],
}
SURNAMES = {
    "SE": ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson"],
    "NO": ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen"],
    "DK": ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen"],
}
# sector -> name patterns, per country; {place}, {district}, {surname}
PATTERNS = {
    "SE": {
        "civil_society": [
            "Läxhjälpen {district}",
            "Språkcafé {place}",
            "Kulturföreningen {district}",
            "Föreningen Trygga {district}",
        ],
        "residents_association": ["Hyresgästföreningen {district}", "Boendeföreningen {district}"],
        "social_enterprise": ["Kooperativet {district}", "Arbetsintegrerande {place} Ek. för."],
        "business": ["{surname}s Bygg AB", "{place} Pizzeria & Café", "{surname} Fastigheter AB"],
        "sport": ["{place} IF", "{district} Fotbollsklubb", "{place} Basket"],
        "faith_based": ["{place} församling", "Stadsmissionen {place}"],
        "education": ["{district}skolan", "Komvux {place}"],
    },
    "NO": {
        "civil_society": [
            "Leksehjelpen {district}",
            "Frivilligsentralen {place}",
            "Språkkafé {place}",
        ],
        "residents_association": ["Beboerforeningen {district}", "Velforeningen {district}"],
        "social_enterprise": ["{place} Sosiale Entreprenør AS", "Jobbverkstedet {place}"],
        "business": ["{surname} Eiendom AS", "{place} Bakeri AS", "{surname} Bygg AS"],
        "sport": ["{place} IL", "{district} Idrettslag", "{place} Fotballklubb"],
        "faith_based": ["{place} menighet", "Kirkens Bymisjon {place}"],
        "education": ["{district} skole", "Voksenopplæringen {place}"],
    },
    "DK": {
        "civil_society": [
            "Lektiecafé {district}",
            "Frivilligcenter {place}",
            "Foreningen Trygge {district}",
        ],
        "residents_association": ["Afdelingsbestyrelsen {district}", "Beboerforeningen {district}"],
        "social_enterprise": ["Socialøkonomisk Virksomhed {place}", "Café {district} ApS"],
        "business": ["{surname} Byg ApS", "{place} Bageri", "{surname} Ejendomme A/S"],
        "sport": ["{place} Boldklub", "{district} Idrætsforening", "{place} Svømmeklub"],
        "faith_based": ["{place} Sogn", "Kirkens Korshær {place}"],
        "education": ["{district}skolen", "VUC {place}"],
    },
}
DESCRIPTIONS = {
    "SE": "Verkar i {district}, {place}. Vi bidrar med frivilliga, lokal kännedom och lokaler "
    "och vill samverka långsiktigt med kommun och bostadsbolag.",
    "NO": "Holder til i {district}, {place}. Vi bidrar med frivillige, lokalkunnskap og lokaler "
    "og ønsker langsiktig samarbeid med kommunen.",
    "DK": "Arbejder i {district}, {place}. Vi bidrager med frivillige, lokalkendskab og lokaler "
    "og vil gerne indgå i langsigtede partnerskaber.",
}
LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}

# Entry doors: (organisation, topic, who, e-mail, phone, form, when). Røde Kors' is the
# one seed 004 describes: via the regional consultants or the local volunteer branch.
ENTRY_DOORS = [
    (
        "Røde Kors Esbjerg",
        "Samarbejde om udsatte boligområder og det lange seje træk",
        "De regionale Røde Kors-konsulenter",
        "samarbejde@rodekors-esbjerg.example",
        "",
        "",
        "",
    ),
    (
        "Røde Kors Esbjerg",
        "Frivillige og lokale aktiviteter",
        "Den lokale frivillige afdeling",
        "esbjerg@rodekors-esbjerg.example",
        "+45 75 00 00 00",
        "",
        "Tirsdag og torsdag 16–19",
    ),
    (
        "Business Esbjerg",
        "Fritidsjob og praktikpladser til unge i Østerbyen",
        "Erhvervskonsulent, alliancen Medvind i Østerbyen",
        "job@businessesbjerg.example",
        "",
        "",
        "",
    ),
    (
        "Göteborgs Stad",
        "Samverkan och IOP med idéburna organisationer",
        "Enheten för samverkan med civilsamhället",
        "samverkan@goteborg.example",
        "+46 31 00 00 00",
        "",
        "Vardagar 9–16",
    ),
    (
        "Alingsåshem",
        "Trygghet och trivsel i bostadsområdena",
        "Områdesvärd",
        "trivsel@alingsashem.example",
        "+46 322 00 00 00",
        "",
        "",
    ),
    (
        "Bærum kommune",
        "Sosialt entreprenørskap og utprøving av konsepter",
        "Strategi- og utviklingsenheten",
        "sosialtentreprenorskap@baerum.example",
        "",
        "",
        "",
    ),
]

# Districts and housing areas the seeds name: (country, municipality, name, kind, code,
# parent area or ""). Codes are our own short slugs, stable across runs.
SUB_PLACES = [
    ("SE", "Göteborg", "Angered", "district", "angered", ""),
    ("SE", "Göteborg", "Hammarkullen", "neighbourhood", "hammarkullen", "Angered"),
    ("SE", "Göteborg", "Hjällbo", "neighbourhood", "hjallbo", "Angered"),
    ("SE", "Göteborg", "Bergsjön", "district", "bergsjon", ""),
    ("SE", "Göteborg", "Gamlestaden", "district", "gamlestaden", ""),
    ("SE", "Göteborg", "Frihamnen", "district", "frihamnen", ""),
    ("SE", "Stenungsund", "Stenungsön", "district", "stenungson", ""),
    ("SE", "Alingsås", "Noltorp", "district", "noltorp", ""),
    ("DK", "Esbjerg", "Østerbyen", "district", "osterbyen", ""),
    ("DK", "Aalborg", "Hasseris", "district", "hasseris", ""),
    ("DK", "Gladsaxe", "Høje Gladsaxe", "district", "hoje-gladsaxe", ""),
    ("NO", "Bærum", "Fornebu", "district", "fornebu", ""),
]

# What the named organisations bring, drawn from the seeds: themes, capabilities
# ({kind: detail}), what they can commit to, and the sub-places they serve.
PROFILES: dict[str, dict[str, object]] = {
    "Göteborgs Stad": {
        "themes": ["democracy", "integration", "jobs", "safety"],
        "capabilities": {
            "funding": "IOP och föreningsbidrag enligt Överenskommelsen",
            "expertise": "Social konsekvensanalys (SKA) tidigt i processerna",
        },
        "commitment": "Långsiktig samverkan enligt Överenskommelsens sex principer; "
        "en kontaktperson per stadsdel.",
        "places": ["Angered", "Bergsjön", "Gamlestaden", "Frihamnen"],
    },
    "Stenungsunds kommun": {
        "themes": ["housing", "culture_leisure", "children_youth", "sport"],
        "capabilities": {
            "premises": "Fritidsgården, öppen även på helgerna",
            "local_knowledge": "Boendeintervjuer och en handlingsplan för området",
        },
        "commitment": "Grillplatser, lekparker och en kickboardramp; ett lopp varje vår.",
        "places": ["Stenungsön"],
    },
    "Alingsås kommun": {
        "themes": ["housing", "health"],
        "capabilities": {"expertise": "Ägardirektiv om social hållbarhet"},
        "commitment": "Socialtjänst och samhällsbyggnad arbetar tillsammans med bostadsbolaget.",
        "places": ["Noltorp"],
    },
    "Kungälvs kommun": {
        "themes": ["democracy", "safety", "jobs"],
        "capabilities": {
            "expertise": "Samhällskontrakt med föreningar, företagare och myndigheter"
        },
        "commitment": "Halvera utsattheten i tre områden.",
    },
    "Lerums kommun": {
        "themes": ["democracy"],
        "capabilities": {"expertise": "Ett prototypat dialogverktyg"},
        "commitment": "Värd för seminarier i innovationslabbet.",
    },
    "Göteborgsregionen (GR)": {
        "themes": ["housing", "democracy"],
        "capabilities": {
            "expertise": "Processledning och innovationslabb om social hållbarhet",
            "communication": "Nätverken för socialchefer och samhällsbyggnadschefer",
        },
        "commitment": "Håller i nätverk och seminarier så att kommunerna inte behöver vänta.",
    },
    "Alingsåshem": {
        "themes": ["housing", "safety"],
        "capabilities": {
            "premises": "Lokaler i bostadsområdena för föreningar",
            "local_knowledge": "Områdesvärdar som känner de boende",
        },
        "commitment": "Varsamma renoveringar så att hyresgäster har råd att bo kvar.",
        "places": ["Noltorp"],
    },
    "Stenungsundshem": {
        "themes": ["housing", "culture_leisure", "children_youth"],
        "capabilities": {
            "premises": "Lokal för fritidsgård och mötesplats",
            "local_knowledge": "Intervjuer med boende om trivsel",
        },
        "commitment": "Medfinansierar handlingsplanen i området.",
        "places": ["Stenungsön"],
    },
    "Hyresgästföreningen Region Västra Sverige": {
        "themes": ["housing", "safety", "democracy", "education"],
        "capabilities": {
            "local_knowledge": "Lokala hyresgästföreningar i bostadsområdena",
            "volunteers": "Trygghetsvandringar och läxhjälp",
        },
        "commitment": "Engagerar de boende från start.",
        "places": ["Hammarkullen", "Hjällbo", "Bergsjön"],
    },
    "Röda Korset Göteborg": {
        "themes": ["integration", "education", "health"],
        "capabilities": {
            "volunteers": "Frivilliga för språkcaféer, läxhjälp och mötesplatser",
            "local_knowledge": "Lokal kännedom genom kretsarna",
        },
        "commitment": "Frivilliga varje vecka, långsiktigt.",
        "places": ["Angered", "Bergsjön"],
    },
    "Business Region Göteborg": {
        "themes": ["jobs"],
        "capabilities": {
            "jobs_internships": "Dörröppnare till näringslivet, praktik och jobb",
            "expertise": "Företagsutveckling inom social ekonomi",
        },
        "commitment": "Stöd till sociala företag genom Mikrofonden.",
    },
    "Mikrofonden Väst": {
        "themes": ["jobs"],
        "capabilities": {"funding": "Lån och borgen till sociala företag och föreningar"},
        "commitment": "Finansiering som gör det möjligt att testa.",
    },
    "Polisen lokalpolisområde Angered": {
        "themes": ["safety", "children_youth"],
        "capabilities": {
            "expertise": "Lägesbilder och effektiv samordning för trygghet (EST)",
            "local_knowledge": "Kommunpoliser i Angered",
        },
        "commitment": "Gemensam lägesbild varje vecka med kommun och bostadsbolag.",
        "places": ["Angered", "Hammarkullen", "Hjällbo"],
    },
    "Fastighetsägare i Gamlestaden": {
        "themes": ["safety", "housing", "environment"],
        "capabilities": {
            "funding": "Gemensam BID-budget för området",
            "premises": "Lokaler i Gamlestaden",
        },
        "commitment": "Gemensamma mål och handlingsplan sedan 2001.",
        "places": ["Gamlestaden"],
    },
    "Nordic Impact AB": {
        "themes": ["democracy"],
        "capabilities": {"expertise": "Utvärdering av samverkan och socialt kapital"},
    },
    "RISE": {
        "themes": ["housing", "democracy"],
        "capabilities": {"expertise": "Kunskaps- och metodstöd för sociala innovationer"},
    },
    "Älvstranden Utveckling": {
        "themes": ["housing"],
        "capabilities": {"premises": "Testarena för socialt blandat boende i Frihamnen"},
        "places": ["Frihamnen"],
    },
    "Bærum kommune": {
        "themes": ["jobs", "health"],
        "capabilities": {
            "funding": "Midler til utprøving av konsepter for sosialt entreprenørskap",
        },
        "commitment": "Utprøving og testing av tre til fem konsepter over to år.",
        "places": ["Fornebu"],
    },
    "Ferd Sosiale Entreprenører": {
        "themes": ["jobs", "children_youth"],
        "capabilities": {
            "funding": "Kapital til sosiale entreprenører",
            "expertise": "Juridisk veileder for kjøp fra sosiale entreprenører",
        },
        "commitment": "Kompetanse og kunnskapsdeling i samarbeidsavtaler med kommuner.",
    },
    "Frivilligsentralen i Bærum": {
        "themes": ["education", "integration", "elderly"],
        "capabilities": {
            "volunteers": "Frivillige til leksehjelp, språkkafé og turgrupper",
            "premises": "Møteplass for frivillige",
        },
        "commitment": "Åpent hver ukedag.",
        "places": ["Fornebu"],
    },
    "Røde Kors Bærum": {
        "themes": ["children_youth", "education", "elderly"],
        "capabilities": {"volunteers": "Besøkstjeneste, leksehjelp og Fri-tid for barn og unge"},
    },
    "Gladsaxe Kommune": {
        "themes": ["housing", "safety", "jobs"],
        "capabilities": {
            "expertise": "Stedsspecifikke, forpligtende partnerskaber",
            "funding": "Fælles team i Høje Gladsaxe",
        },
        "commitment": "Langvarige partnerskaber med boligselskaberne.",
        "places": ["Høje Gladsaxe"],
    },
    "Esbjerg Kommune": {
        "themes": ["jobs", "education", "children_youth"],
        "capabilities": {"expertise": "Data og koordinering i Medvind i Østerbyen"},
        "commitment": "Mangeårigt samarbejde i alliancen.",
        "places": ["Østerbyen"],
    },
    "Aalborg Kommune": {
        "themes": ["housing", "health"],
        "capabilities": {"expertise": "Boligsociale indsatser"},
        "places": ["Hasseris"],
    },
    "Hasseris Boligselskab": {
        "themes": ["housing", "safety"],
        "capabilities": {
            "premises": "Fælleslokaler i afdelingerne",
            "local_knowledge": "Kendskab til beboerne i Hasseris",
        },
        "commitment": "Langsigtet strategisk samarbejde om bydelen, ikke kun projekter.",
        "places": ["Hasseris"],
    },
    "Business Esbjerg": {
        "themes": ["jobs", "children_youth"],
        "capabilities": {
            "jobs_internships": "Fritidsjob og praktikpladser til unge i Østerbyen",
            "communication": "Indgang til de relevante virksomheder i Esbjerg",
        },
        "commitment": "Oversættende brobygger mellem virksomhederne og Østerbyen i alliancen "
        "Medvind i Østerbyen.",
        "places": ["Østerbyen"],
    },
    "Røde Kors Esbjerg": {
        "themes": ["health", "integration", "children_youth"],
        "capabilities": {
            "volunteers": "Frivillige via den lokale afdeling",
            "local_knowledge": "Vedvarende tilstedeværelse i de udfordrede bydele",
        },
        "commitment": "Det lange seje træk, ikke kun fondsprojekter.",
        "places": ["Østerbyen"],
    },
    "Lauritzen Fonden": {
        "themes": ["children_youth", "education"],
        "capabilities": {"funding": "Backbone-sekretariatet for Medvind i Østerbyen"},
        "places": [],
    },
    "Medvind i Østerbyen": {
        "themes": ["jobs", "education", "children_youth", "safety"],
        "capabilities": {
            "local_knowledge": "Løbende dataindsamling i Østerbyen",
            "communication": "Partnergruppe og klynger",
        },
        "places": ["Østerbyen"],
    },
    "Center for Boligsocial Udvikling": {
        "themes": ["housing"],
        "capabilities": {"expertise": "Viden om boligsociale indsatser"},
    },
    "Vores HG": {
        "themes": ["housing", "safety"],
        "capabilities": {
            "local_knowledge": "Fælles team for kommunen, boligorganisationer og politi"
        },
        "places": ["Høje Gladsaxe"],
    },
}

# For generated organisations, per pattern kind: themes and capabilities.
GENERATED_PROFILES: dict[str, tuple[list[str], list[str]]] = {
    "civil_society": (["integration", "education"], ["volunteers", "local_knowledge"]),
    "sport": (["sport", "children_youth"], ["volunteers", "premises"]),
    "residents_association": (["housing", "safety", "democracy"], ["local_knowledge"]),
    "social_enterprise": (["jobs", "integration"], ["jobs_internships", "expertise"]),
    "business": (["jobs"], ["jobs_internships", "funding"]),
    "faith_based": (["integration", "elderly"], ["premises", "volunteers"]),
    "education": (["education", "children_youth"], ["premises", "expertise"]),
}
# Capability details in the organisation's language.
CAPABILITY_DETAILS: dict[str, dict[str, str]] = {
    "sv": {
        "volunteers": "Frivilliga kvällar och helger",
        "local_knowledge": "Känner området och de boende",
        "premises": "Lokal som kan lånas",
        "jobs_internships": "Praktikplatser och feriejobb för unga",
        "expertise": "Erfarenhet av arbetsträning",
        "funding": "Sponsring av lokala aktiviteter",
    },
    "nb": {
        "volunteers": "Frivillige på kveldstid og i helgene",
        "local_knowledge": "Kjenner området og beboerne",
        "premises": "Lokaler som kan lånes",
        "jobs_internships": "Praksisplasser og sommerjobb for unge",
        "expertise": "Erfaring med arbeidstrening",
        "funding": "Sponsing av lokale aktiviteter",
    },
    "da": {
        "volunteers": "Frivillige om aftenen og i weekenden",
        "local_knowledge": "Kender området og beboerne",
        "premises": "Lokaler der kan lånes",
        "jobs_internships": "Praktikpladser og fritidsjob til unge",
        "expertise": "Erfaring med arbejdstræning",
        "funding": "Sponsorat af lokale aktiviteter",
    },
}
