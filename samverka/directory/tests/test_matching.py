# SPDX-License-Identifier: AGPL-3.0-or-later
"""Find partners: themes from text, the explained parts, ranking, scale."""

from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samverka.directory import matching
from samverka.directory.matching import MatchRequest, find_partners, themes_in
from samverka.directory.models import Organisation, Place, PlaceKind
from samverka.directory.places import add_sub_place, load_municipalities
from samverka.directory.services import create_organisation


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("fritidsjob og praktikpladser til unge", ["jobs", "culture_leisure", "children_youth"]),
        ("Praktik och sommarjobb för ungdomar", ["jobs", "children_youth"]),
        ("Aktiviteter för unga på helgerna", ["culture_leisure", "children_youth"]),
        ("Ungdom i weekenden", ["culture_leisure", "children_youth"]),
        ("Läxhjälp och trygghet i Hammarkullen", ["education", "safety"]),
        ("Leksehjelp for barn", ["education", "children_youth"]),
        ("Internships for young people", ["jobs", "children_youth"]),
        ("ungefär nittio", []),  # "unge" is a whole word only
        ("Helga Wallin Moen", []),  # a name, not the weekend
        ("xyzzy plugh", []),
        ("", []),
    ],
)
def test_it_reads_themes_from_text_in_four_languages(text, themes):
    assert themes_in(text) == themes


def test_every_keyword_file_theme_is_a_theme():
    matching._keywords.cache_clear()
    assert matching._keywords().themes  # loads and validates the data file


@dataclass
class World:
    places: dict[str, Place]
    orgs: dict[str, Organisation] = field(default_factory=dict)

    def org(self, name, country, sector, places=(), themes=(), capabilities=None, **extra):
        self.orgs[name] = create_organisation(
            by=None,
            name=name,
            country=country,
            sector=sector,
            places=[self.places[p].pk for p in places],
            themes=list(themes),
            capabilities=capabilities or {},
            **extra,
        )
        return self.orgs[name]


@pytest.fixture
def world(db):
    load_municipalities()
    municipality = {p.name: p for p in Place.objects.filter(kind=PlaceKind.MUNICIPALITY)}
    places = {name: municipality[name] for name in ("Esbjerg", "Göteborg", "Stenungsund")}
    places["Østerbyen"] = add_sub_place(
        parent=places["Esbjerg"], name="Østerbyen", kind=PlaceKind.DISTRICT, code="osterbyen"
    )
    places["Vestbyen"] = add_sub_place(
        parent=places["Esbjerg"], name="Vestbyen", kind=PlaceKind.DISTRICT, code="vestbyen"
    )
    places["Hammarkullen"] = add_sub_place(
        parent=places["Göteborg"], name="Hammarkullen", kind=PlaceKind.DISTRICT, code="hammarkullen"
    )
    places["Denmark"] = Place.objects.get(path="DK/")
    w = World(places)
    # Esbjerg (seed 004)
    w.org(
        "Business Esbjerg",
        "DK",
        "business_association",
        ["Esbjerg"],
        ["jobs", "children_youth"],
        {"jobs_internships": "Fritidsjob og praktikpladser til unge i Østerbyen"},
    )
    w.org(
        "Jensen Byg ApS",
        "DK",
        "business",
        ["Østerbyen"],
        ["jobs"],
        {"jobs_internships": "To praktikpladser om året"},
    )
    w.org(
        "Røde Kors Esbjerg",
        "DK",
        "civil_society",
        ["Esbjerg"],
        ["health", "integration"],
        {"volunteers": "Frivillige via den lokale afdeling"},
    )
    w.org("Esbjerg Kommune", "DK", "municipality", ["Esbjerg"], ["democracy"])
    w.org("Vestbyen Boldklub", "DK", "civil_society", ["Vestbyen"], ["sport"])
    w.org("Aalborg Bageri", "DK", "business", [], ["jobs"], {"jobs_internships": "Lærlinge"})
    w.org("Danske Ungdomsjob", "DK", "business", ["Denmark"], ["jobs", "children_youth"])
    # Stenungsund (seed 002)
    w.org(
        "Stenungsunds IF",
        "SE",
        "civil_society",
        ["Stenungsund"],
        ["sport", "children_youth"],
        {"volunteers": "Ledare för helgaktiviteter"},
    )
    w.org(
        "Fritidsgården Stenungsund",
        "SE",
        "civil_society",
        ["Stenungsund"],
        ["culture_leisure", "children_youth"],
    )
    w.org("Stenungsundshem", "SE", "public_housing", ["Stenungsund"], ["housing"])
    w.org("Stenungsunds kommun", "SE", "municipality", ["Stenungsund"], ["housing"])
    # Göteborg (seeds 000, 001)
    w.org("Bostadsbolaget Hammarkullen", "SE", "public_housing", ["Hammarkullen"], ["housing"])
    w.org("Polisen Angered", "SE", "police", ["Göteborg"], ["safety"])
    w.org(
        "Hyresgästföreningen Hammarkullen",
        "SE",
        "residents_association",
        ["Hammarkullen"],
        ["safety", "housing", "democracy"],
        {"local_knowledge": "Trygghetsvandringar med boende"},
    )
    w.org(
        "Läxhjälpen Hammarkullen",
        "SE",
        "civil_society",
        ["Hammarkullen"],
        description="Läxhjälp och trygga mötesplatser för barn.",
    )
    return w


def names(result):
    return [m.organisation.name for m in result.matches]


def part(match, key):
    return next(p for p in match.parts if p.key == key)


# (case, request builder, expected at the top in any order, expected absent)
SEED_CASES = [
    (
        "Østerbyen needs leisure jobs and internships for young people",
        lambda w: MatchRequest(
            text="Fritidsjob og praktikpladser til unge i Østerbyen",
            place=w.places["Østerbyen"],
            capabilities=("jobs_internships",),
        ),
        ["Jensen Byg ApS", "Business Esbjerg"],
        [],
    ),
    (
        "Østerbyen, business sector wanted, no text",
        lambda w: MatchRequest(place=w.places["Østerbyen"], sectors=("business_association",)),
        ["Business Esbjerg"],
        ["Stenungsunds IF"],
    ),
    (
        "Stenungsund housing area needs weekend activities for young people",
        lambda w: MatchRequest(
            text="Aktiviteter för unga på helgerna i bostadsområdet",
            place=w.places["Stenungsund"],
        ),
        ["Fritidsgården Stenungsund", "Stenungsunds IF"],
        ["Business Esbjerg"],
    ),
    (
        "Göteborg safety case: housing company and police are in already",
        lambda w: MatchRequest(
            text="Trygghet och läxhjälp i Hammarkullen",
            place=w.places["Hammarkullen"],
            present_sectors=("public_housing", "police"),
        ),
        ["Hyresgästföreningen Hammarkullen", "Läxhjälpen Hammarkullen"],
        ["Stenungsunds IF"],
    ),
]


@pytest.mark.parametrize(
    ("build", "top", "absent"),
    [case[1:] for case in SEED_CASES],
    ids=[case[0] for case in SEED_CASES],
)
def test_it_ranks_the_seed_cases(world, build, top, absent):
    result = find_partners(build(world))

    assert set(names(result)[: len(top)]) == set(top)
    assert not set(absent) & set(names(result))
    for match in result.matches:
        assert match.points == sum(p.points for p in match.parts)
        assert 0 < match.score <= 100
        assert all(0 <= p.points <= p.weight and p.reason for p in match.parts)


def test_it_explains_each_part_in_words(world):
    with translation.override("en"):
        result = find_partners(
            MatchRequest(
                text="Fritidsjob og praktikpladser til unge",
                place=world.places["Østerbyen"],
                capabilities=("jobs_internships",),
                present_sectors=("municipality", "civil_society"),
            )
        )
    by_name = {m.organisation.name: m for m in result.matches}
    jensen, business = by_name["Jensen Byg ApS"], by_name["Business Esbjerg"]

    assert part(jensen, "place").reason == "Works in Østerbyen, Esbjerg"
    assert part(jensen, "place").points == 30
    assert part(business, "place").reason == "Works across Esbjerg, which includes Østerbyen"
    assert part(business, "place").points == 18
    assert part(business, "capabilities").reason == (
        "Offers jobs and internships: Fritidsjob og praktikpladser til unge i Østerbyen"
    )
    assert part(business, "adds_sector").reason == (
        "Adds business association / BID, which the partnership lacks"
    )
    assert part(business, "new_voice").reason == "Not in any partnership yet"
    # "fritidsjob" in its offer: culture and leisure too
    assert part(business, "themes").reason == (
        "Themes from your text: jobs, culture and leisure, children and youth"
    )
    assert part(jensen, "themes").reason == "Themes from your text: jobs"
    assert part(jensen, "themes").points == 13  # one of three themes of 40 (issue 20: was 20)
    assert part(by_name["Esbjerg Kommune"], "adds_sector").points == 0
    assert part(by_name["Vestbyen Boldklub"], "place").reason == "Works nearby: Vestbyen, Esbjerg"
    assert part(by_name["Danske Ungdomsjob"], "place").reason == "Works across Denmark"
    assert result.text_themes == ["jobs", "culture_leisure", "children_youth"]
    assert result.max_points == 40 + 30 + 30 + 10 + 5


def test_it_speaks_the_users_language(world):
    with translation.override("da"):
        result = find_partners(MatchRequest(place=world.places["Østerbyen"]))
    assert result.matches  # texts come from the catalogs; untranslated ones fall back


def test_the_new_voice_boost_uses_the_pluggable_partnership_counter(world):
    jensen = world.orgs["Jensen Byg ApS"]
    calls = []

    def counter(ids):
        calls.append(sorted(ids))
        return {jensen.pk: 3}

    request = MatchRequest(place=world.places["Østerbyen"], capabilities=("jobs_internships",))
    before = find_partners(request)
    after = find_partners(request, partnership_counts=counter)

    assert len(calls) == 1 and jensen.pk in calls[0]
    assert part(before.matches[0], "new_voice").points == 5
    jensen_after = next(m for m in after.matches if m.organisation == jensen)
    assert part(jensen_after, "new_voice").points == 0
    assert part(jensen_after, "new_voice").reason == "In 3 partnerships so far"
    assert (
        jensen_after.points
        == next(m for m in before.matches if m.organisation == jensen).points - 5
    )


def test_a_registered_counter_applies_until_replaced(world):
    request = MatchRequest(place=world.places["Østerbyen"])
    registered = matching._partnership_counter  # the partnerships app's real counter
    try:
        matching.set_partnership_counter(lambda ids: dict.fromkeys(ids, 1))
        result = find_partners(request)
        assert all(part(m, "new_voice").points == 3 for m in result.matches)
    finally:
        matching.set_partnership_counter(registered)
    assert all(part(m, "new_voice").points == 5 for m in find_partners(request).matches)


def test_it_returns_nothing_for_an_empty_request(world):
    result = find_partners(MatchRequest())
    assert result.matches == [] and result.text_themes == []


def test_unknown_words_find_nothing_without_a_place(world):
    result = find_partners(MatchRequest(text="xyzzy plugh", country="DK"))
    assert result.matches == []


def test_a_place_without_organisations_still_finds_nearby_ones(world):
    empty = add_sub_place(
        parent=world.places["Esbjerg"], name="Tarp", kind=PlaceKind.DISTRICT, code="tarp"
    )
    result = find_partners(MatchRequest(place=empty))
    assert result.matches
    assert {part(m, "place").points for m in result.matches} <= {18, 12, 6}


def test_a_municipality_without_organisations_finds_only_nationwide_ones(world):
    lonely = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Aalborg")
    assert names(find_partners(MatchRequest(place=lonely))) == ["Danske Ungdomsjob"]
    assert names(find_partners(MatchRequest(place=Place.objects.get(name="Kungälv")))) == []


def test_it_leaves_out_organisations_already_in_the_partnership(world):
    jensen = world.orgs["Jensen Byg ApS"]
    result = find_partners(MatchRequest(place=world.places["Østerbyen"], exclude=(jensen.pk,)))
    assert "Jensen Byg ApS" not in names(result)


def test_ties_are_broken_by_name_then_id(world):
    for name in ["Beta", "Alfa", "Beta"]:
        world.org(name, "DK", "civil_society", ["Vestbyen"])
    result = find_partners(MatchRequest(place=world.places["Vestbyen"]))
    tied = [m.organisation for m in result.matches if m.organisation.name in ("Alfa", "Beta")]

    assert [o.name for o in tied] == ["Alfa", "Beta", "Beta"]
    assert tied[1].pk < tied[2].pk
    assert names(result) == names(find_partners(MatchRequest(place=world.places["Vestbyen"])))


def test_it_respects_the_limit(world):
    result = find_partners(MatchRequest(place=world.places["Esbjerg"], limit=2))
    assert len(result.matches) == 2


def test_capabilities_anywhere_in_the_country_are_candidates(world):
    result = find_partners(
        MatchRequest(place=world.places["Østerbyen"], capabilities=("jobs_internships",))
    )
    aalborg = next(m for m in result.matches if m.organisation.name == "Aalborg Bageri")
    assert part(aalborg, "place").points == 0
    assert part(aalborg, "capabilities").points == 30


def test_it_uses_a_constant_number_of_queries(world):
    request = MatchRequest(
        text="Fritidsjob og praktikpladser til unge",
        place=world.places["Østerbyen"],
        capabilities=("jobs_internships",),
        sectors=("business",),
    )
    with CaptureQueriesContext(connection) as small:
        find_partners(request)
    for i in range(40):
        world.org(
            f"Virksomhed {i:02d}",
            "DK",
            "business",
            ["Østerbyen" if i % 2 else "Esbjerg"],
            ["jobs"],
            {"jobs_internships": "Praktik"},
        )
    with CaptureQueriesContext(connection) as large:
        result = find_partners(request)
    # +1 since issue 20: entry doors count as topical fit and show on the card.
    assert len(large) == len(small) <= 9
    assert result.candidates > 40


def test_it_caps_the_candidates(world, monkeypatch):
    monkeypatch.setattr(matching, "CANDIDATE_CAP", 3)
    result = find_partners(MatchRequest(place=world.places["Esbjerg"], sectors=("business",)))
    assert result.capped
    assert result.candidates == 3


def test_places_named_finds_exact_names_first(world):
    assert [p.name for p in matching.places_named("østerbyen")] == ["Østerbyen"]
    assert [p.name for p in matching.places_named("Stenung", "SE")] == ["Stenungsund"]
    assert matching.places_named("Nowhere") == []


# The page and the API


def test_the_page_shows_explained_results_without_javascript(client, world):
    with translation.override("en"):
        response = client.get(
            "/organisations/find-partners/",
            {
                "text": "praktikpladser til unge",
                "place": "Østerbyen",
                "capabilities": "jobs_internships",
            },
            headers={"accept-language": "en"},
        )
    assert response.status_code == 200
    html = response.text
    assert html.index("Business Esbjerg") < html.index("Røde Kors Esbjerg")
    assert "Works in Østerbyen, Esbjerg" in html
    assert '<meter min="0" max="100"' in html
    assert "of 100" in html  # the score in words, not only the bar


def test_the_page_asks_which_place_when_several_match(client, world):
    add_sub_place(
        parent=world.places["Göteborg"], name="Centrum", kind=PlaceKind.DISTRICT, code="c"
    )
    add_sub_place(parent=world.places["Esbjerg"], name="Centrum", kind=PlaceKind.DISTRICT, code="c")
    response = client.get("/organisations/find-partners/", {"place": "Centrum"})
    assert 'id="which-place"' in response.text
    assert response.text.count("place_id=") == 2


def test_the_page_refuses_an_empty_search(client, world):
    response = client.get("/organisations/find-partners/", {"text": " "})
    assert 'class="ds-error-summary"' in response.text
    assert 'id="results"' not in response.text


def test_the_api_returns_the_same_ranking_and_parts(client, world):
    response = client.get(
        "/api/find-partners",
        {
            "text": "Fritidsjob og praktikpladser til unge",
            "place": world.places["Østerbyen"].pk,
            "capabilities": ["jobs_internships"],
        },
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    body = response.json()
    expected = find_partners(
        MatchRequest(
            text="Fritidsjob og praktikpladser til unge",
            place=world.places["Østerbyen"],
            capabilities=("jobs_internships",),
        )
    )
    assert [m["name"] for m in body["matches"]] == names(expected)
    assert body["place"] == "Østerbyen, Esbjerg"
    assert body["text_themes"] == ["jobs", "culture_leisure", "children_youth"]
    first = body["matches"][0]
    assert {p["key"] for p in first["parts"]} == {"place", "capabilities", "themes", "new_voice"}
    assert first["points"] == sum(p["points"] for p in first["parts"])


def test_the_api_answers_404_for_an_unknown_place(client, world):
    assert client.get("/api/find-partners", {"place": 999999}).status_code == 404


@pytest.mark.parametrize(
    ("place", "request_fields", "near_top"),
    [
        ("Østerbyen", {"capabilities": ("jobs_internships",)}, "Business Esbjerg"),
        (
            "Hammarkullen",
            {"text": "Trygghet och läxhjälp", "present_sectors": ("public_housing", "police")},
            "Hyresgästföreningen Region Västra Sverige",
        ),
        ("Stenungsön", {"text": "Aktiviteter för unga på helgerna"}, "Stenungsundshem"),
    ],
)
def test_the_demo_data_gives_sensible_seed_results(db, place, request_fields, near_top):
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", generated=60, stdout=StringIO())
    result = find_partners(MatchRequest(place=Place.objects.get(name=place), **request_fields))

    assert near_top in names(result)[:3], names(result)[:5]


# Issue 20: topical fit (themes, capabilities, entry doors, description) outweighs
# place; a pizzeria ranked fourth for a youth-safety problem.

YOUTH_SAFETY = "Trygghet för unga i Hammarkullen"


def _youth_ngo_by_theme(w):
    return w.org("Unga Trygga Göteborg", "SE", "civil_society", ["Göteborg"], ["children_youth"])


def _youth_ngo_by_entry_door(w):
    from samverka.directory.services import add_entry_door

    ngo = w.org("Nattvandrarna Angered", "SE", "civil_society", ["Göteborg"])
    add_entry_door(
        organisation=ngo,
        data={
            "topic": "Trygghetsvandringar för unga",
            "who": "Samordnaren",
            "email": "n@example.org",
        },
        by=None,
    )
    return ngo


def _youth_ngo_nearby_by_description(w):
    other = add_sub_place(
        parent=w.places["Göteborg"], name="Hjällbo", kind=PlaceKind.DISTRICT, code="hjallbo"
    )
    w.places["Hjällbo"] = other
    return w.org(
        "Fritidsklubben Hjällbo",
        "SE",
        "civil_society",
        ["Hjällbo"],
        description="Ungdomsgård och trygghetsarbete.",
    )


@pytest.mark.parametrize(
    ("build_ngo", "matched"),
    [
        (_youth_ngo_by_theme, "children and youth"),
        (_youth_ngo_by_entry_door, "safety, children and youth"),
        (_youth_ngo_nearby_by_description, "safety, children and youth"),
    ],
    ids=["declared theme, same municipality", "entry door", "description, nearby district"],
)
def test_topical_fit_outranks_an_unrelated_neighbour(world, build_ngo, matched):
    pizzeria = world.org("Pizzeria Hammarkullen", "SE", "business", ["Hammarkullen"])
    ngo = build_ngo(world)
    with translation.override("en"):
        result = find_partners(MatchRequest(text=YOUTH_SAFETY, place=world.places["Hammarkullen"]))
    ranked = [m.organisation for m in result.matches]

    assert ranked.index(ngo) < ranked.index(pizzeria)
    # Every topical match in or near the place comes before the pizzeria.
    topical = [m for m in result.matches if part(m, "themes").points and part(m, "place").points]
    assert len(topical) >= 4  # the ngo, Polisen, Hyresgästföreningen, Läxhjälpen
    assert max(ranked.index(m.organisation) for m in topical) < ranked.index(pizzeria)
    match = result.matches[ranked.index(ngo)]
    # The explanation leads with the topical reason, naming the themes matched.
    assert match.parts[0].key == "themes"
    assert match.parts[0].reason == f"Themes from your text: {matched}"
    assert match.parts[0].weight > part(match, "place").weight
    assert match.score > result.matches[ranked.index(pizzeria)].score


def test_the_new_voice_boost_still_reorders_equally_topical_organisations(world):
    first_by_name = world.org("Aa Ungdom", "SE", "civil_society", ["Göteborg"], ["children_youth"])
    new_voice = world.org("Bb Ungdom", "SE", "civil_society", ["Göteborg"], ["children_youth"])
    request = MatchRequest(text=YOUTH_SAFETY, place=world.places["Hammarkullen"])

    def order(result):
        return [
            m.organisation for m in result.matches if m.organisation in (first_by_name, new_voice)
        ]

    assert order(find_partners(request)) == [first_by_name, new_voice]  # a tie: by name
    busy = find_partners(request, partnership_counts=lambda ids: {first_by_name.pk: 3})
    assert order(busy) == [new_voice, first_by_name]
    # ...but the boost is smaller than any topical reason.
    top = busy.matches[0]
    assert part(top, "new_voice").weight < part(top, "themes").points


def test_the_page_shows_result_cards_before_the_folded_filters(client, world):
    from samverka.directory.services import add_entry_door

    add_entry_door(
        organisation=world.orgs["Business Esbjerg"],
        data={"topic": "Praktikpladser", "who": "Erhvervskonsulenten", "email": "p@example.dk"},
        by=None,
    )
    response = client.get(
        "/organisations/find-partners/",
        {"text": "praktikpladser til unge", "place": "Østerbyen"},
        headers={"accept-language": "en"},
    )
    html = response.text
    # Results first, then the form to refine them; the sectors are folded away.
    form = html.index('aria-label="Find partners"')
    assert html.index('id="results"') < form < html.index("<details")
    assert '<details class="more-criteria">' in html  # closed: no sector was chosen
    assert html.index('name="sectors"') > html.index("<details")
    # A card: name, sector, place, the reasons topical first, the way in.
    card = next(c for c in html.split('<li class="ds-card match">') if "Business Esbjerg" in c)
    assert "Business association / BID · Esbjerg" in card
    assert card.index("Themes from your text") < card.index("Works across Esbjerg")
    assert "Contact about Praktikpladser" in card
    assert 'href="mailto:p@example.dk"' in card


def test_the_page_keeps_chosen_sectors_unfolded(client, world):
    response = client.get(
        "/organisations/find-partners/", {"place": "Østerbyen", "sectors": "business"}
    )
    assert '<details class="more-criteria" open>' in response.text
