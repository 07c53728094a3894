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
        "johan.ek@stenungsund.example",
        "Johan",
        "Ek",
        "sv",
        [("Stenungsunds kommun", "coordinator")],
        False,
        "coordinator, Stenungsunds kommun",
    ),
    (
        "kari.solberg@ferd.example",
        "Kari",
        "Solberg",
        "nb",
        [("Ferd Sosiale Entreprenører", "coordinator")],
        False,
        "coordinator, Ferd Sosiale Entreprenører",
    ),
    (
        "sofie.holm@gladsaxe.example",
        "Sofie",
        "Holm",
        "da",
        [("Gladsaxe Kommune", "coordinator")],
        False,
        "coordinator, Gladsaxe Kommune",
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
