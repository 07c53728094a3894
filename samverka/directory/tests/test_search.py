# SPDX-License-Identifier: AGPL-3.0-or-later
"""Full-text search (issue 5). Runs on SQLite and on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from samverka.directory.models import CapabilityKind, EntryDoor, Organisation, Place
from samverka.directory.search import index, rebuild, reindex, search
from samverka.directory.search import query as search_query
from samverka.directory.search.index import refresh_statistics
from samverka.directory.search.query import Filters
from samverka.directory.services import (
    add_entry_door,
    create_organisation,
    remove_entry_door,
    update_organisation,
)

pytestmark = pytest.mark.django_db


def org(name, *, country="SE", sector="civil_society", language="sv", **fields):
    return create_organisation(
        by=None,
        name=name,
        country=country,
        sector=sector,
        description_language=language,
        **fields,
    )


def names(results):
    return [hit.organisation.name for hit in results.hits]


def place(name, country, code, parent=None, kind="municipality"):
    p = Place(name=name, country=country, code=code, parent=parent, kind=kind)
    p.clean()
    p.save()
    return p


# -- language -----------------------------------------------------------------


def test_it_finds_a_plural_from_the_singular_in_swedish():
    org("Trygga Rinkeby", description="Vi ordnar trygghetsvandringar varje vecka.")
    org("Bollklubben", description="Fotboll för alla.")
    assert names(search("trygghetsvandring")) == ["Trygga Rinkeby"]


@pytest.mark.parametrize(
    ("language", "description", "query"),
    [
        ("sv", "Vi ordnar läxhjälp för barn.", "läxhjälp"),
        ("sv", "Vi ordnar läxhjälp för barn.", "hjälp med läxor"),
        ("sv", "Vi ger hjälp med läxor till unga.", "läxhjälp"),
        ("sv", "Vi ger hjälp med läxor till unga.", "hjälp med läxorna"),
        ("nb", "Vi tilbyr leksehjelp til barn.", "leksehjelpen"),
        ("nb", "Vi har mange trygghetsvandringer.", "trygghetsvandring"),
        ("da", "Vi tilbyder lektiehjælp.", "lektiehjælpen"),
        ("da", "Vi går tryghedsvandringer.", "tryghedsvandring"),
        ("da", "Vi går tryghedsvandringer.", "vandring"),
        ("en", "We run homework clubs for teenagers.", "homework club"),
        ("en", "We run homework clubs for teenagers.", "teenager"),
    ],
)
def test_it_stems_and_splits_compounds_in_each_language(language, description, query):
    org("Hit", language=language, description=description)
    org("Miss", language=language, description="Något helt annat: fotboll.")
    assert names(search(query)) == ["Hit"]


def test_a_part_finds_its_compound():
    org("Trygga Rinkeby", description="Vi ordnar trygghetsvandringar.")
    assert names(search("vandringar")) == ["Trygga Rinkeby"]
    assert names(search("trygghet")) == ["Trygga Rinkeby"]


def test_every_word_must_match():
    org("A", description="Läxhjälp och fotboll.")
    org("B", description="Läxhjälp och teater.")
    assert names(search("läxhjälp teater")) == ["B"]


def test_it_searches_capabilities_and_entry_doors():
    a = org("Alfa", capabilities={"premises": "Stor samlingssal i källaren"})
    b = org("Beta")
    add_entry_door(
        organisation=b,
        data={"topic": "Praktikplatser för ungdomar", "who": "Personalchefen", "email": "x@y.se"},
        by=None,
    )
    assert names(search("samlingssal")) == ["Alfa"]
    assert names(search("premises")) == ["Alfa"]  # the capability's label, in English
    for language in ("sv", "nb", "da"):  # and in the other languages
        with translation.override(language):
            assert names(search(str(CapabilityKind.PREMISES.label))) == ["Alfa"]
    assert names(search("personalchef")) == ["Beta"]
    assert names(search("praktikplats")) == ["Beta"]
    assert a.pk != b.pk


# -- names ----------------------------------------------------------------------


@pytest.mark.parametrize("typo", ["Hyresgästförenngen Tensta", "hyresgastforeningen tensta"])
def test_misspelled_names_are_still_found(typo):
    org("Hyresgästföreningen Tensta", sector="residents_association")
    org("Idrottsföreningen Kista")
    results = search(typo)
    assert names(results)[0] == "Hyresgästföreningen Tensta"
    assert results.hits[0].similar_name


@pytest.mark.parametrize(
    ("query", "counts", "chosen"),
    [
        # Rarest first, while the names they hold stay within the budget.
        ("abcde", {"abc": 5000, "bcd": 10, "cde": 900}, ["bcd", "cde"]),
        ("abcde", {"abc": 5000, "bcd": 990, "cde": 900}, ["cde"]),
        # A trigram no name holds (a typo, or new since the count) costs nothing.
        ("abxde", {"bxd": 0, "xde": 7000}, ["abx", "bxd"]),
        # However common, one trigram is always read.
        ("abc", {"abc": 90_000}, ["abc"]),
        # Only in-word trigrams: "  a" or "c " cannot be looked up with LIKE.
        ("ab", {}, []),
    ],
)
def test_a_misspelled_name_is_looked_up_by_its_rarest_trigrams(query, counts, chosen):
    assert search_query._rarest_trigrams(query, counts) == chosen


def test_a_misspelled_name_is_found_when_other_names_share_its_common_trigrams(monkeypatch):
    # 30 names share the common "föreningen"; the query's rare trigrams
    # ("tns", "nst", ...) lead to the one meant, within a small budget.
    monkeypatch.setattr(search_query, "FUZZY_CANDIDATES", 5)
    for n in range(30):
        org(f"Föreningen Område {n}")
    org("Föreningen Tensta")
    refresh_statistics()
    search_query._TRIGRAMS.forget()  # counted afresh for this database
    results = search("Föreningen Tnsta")
    assert names(results)[0] == "Föreningen Tensta"


def test_a_large_reindex_refreshes_the_trigram_counts(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(index, "TRIGRAMS_REFRESH_AT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        a = org("Zyxwvu Ett")
        b = org("Zyxwvu Två")
        reindex([a.pk, b.pk])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT docs FROM {index.TRIGRAMS} WHERE trigram = 'zyx'")
        assert cursor.fetchone() == (2,)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback to fts5vocab")
def test_before_a_first_count_sqlite_counts_the_trigrams_through_fts5vocab(monkeypatch):
    # As in the test above, but no refresh_statistics yet: the table is empty.
    monkeypatch.setattr(search_query, "FUZZY_CANDIDATES", 5)
    for n in range(30):
        org(f"Föreningen Område {n}")
    org("Föreningen Tensta")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index.TRIGRAMS}")
        assert cursor.fetchone() == (0,)
    search_query._TRIGRAMS.forget()
    assert names(search("Föreningen Tnsta"))[0] == "Föreningen Tensta"


def test_a_name_is_found_by_its_words():
    org("Röda Korset Malmö")
    org("Stadsmissionen")
    assert names(search("röda korset")) == ["Röda Korset Malmö"]


# -- filters and facets ---------------------------------------------------------


@pytest.fixture
def directory():
    sweden = place("Sverige", "SE", "SE", kind="country")
    stockholm = place("Stockholm", "SE", "0180", sweden)
    rinkeby = place("Rinkeby", "SE", "1", stockholm, kind="district")
    norway = place("Norge", "NO", "NO", kind="country")
    oslo = place("Oslo", "NO", "0301", norway)
    made = {
        "club": org(
            "Läxklubben",
            description="Läxhjälp varje dag.",
            themes=["education", "children_youth"],
            capabilities={"volunteers": ""},
            places=[rinkeby.pk],
        ),
        "housing": org(
            "Bostäder AB",
            sector="public_housing",
            description="Läxhjälp i våra lokaler.",
            themes=["housing"],
            capabilities={"premises": ""},
            places=[stockholm.pk],
        ),
        "leksehjelp": org(
            "Leksehjelp Oslo",
            country="NO",
            language="nb",
            description="Leksehjelp og läxhjälp.",
            themes=["education"],
            capabilities={"volunteers": ""},
            places=[oslo.pk],
        ),
    }
    return {"stockholm": stockholm, "rinkeby": rinkeby, "oslo": oslo, **made}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["Bostäder AB", "Leksehjelp Oslo", "Läxklubben"]),
        (Filters(sector="public_housing"), ["Bostäder AB"]),
        (Filters(theme="education"), ["Leksehjelp Oslo", "Läxklubben"]),
        (Filters(capability="volunteers"), ["Leksehjelp Oslo", "Läxklubben"]),
        (Filters(country="NO"), ["Leksehjelp Oslo"]),
        (Filters(country="SE", theme="education"), ["Läxklubben"]),
    ],
)
def test_each_filter_narrows_the_hits(directory, filters, expected):
    assert names(search("läxhjälp", filters=filters, sort="name")) == expected


def test_a_place_filter_includes_its_sub_places(directory):
    # Stockholm's own organisation and the one in Rinkeby, a district of it.
    stockholm = Filters(place=directory["stockholm"].pk)
    assert names(search("läxhjälp", filters=stockholm, sort="name")) == [
        "Bostäder AB",
        "Läxklubben",
    ]
    rinkeby = Filters(place=directory["rinkeby"].pk)
    assert names(search("läxhjälp", filters=rinkeby)) == ["Läxklubben"]
    assert names(search("", filters=Filters(place=directory["oslo"].pk))) == ["Leksehjelp Oslo"]


def test_facets_count_the_hits(directory):
    facets = search("läxhjälp").facets
    assert dict(facets["sector"]) == {"civil_society": 2, "public_housing": 1}
    assert dict(facets["country"]) == {"SE": 2, "NO": 1}
    assert dict(facets["theme"]) == {"education": 2, "children_youth": 1, "housing": 1}
    assert dict(facets["capability"]) == {"volunteers": 2, "premises": 1}


def test_no_words_and_no_filters_is_not_a_search():
    org("Alfa")
    results = search("   ")
    assert not results.searched and results.hits == [] and results.count == 0


# -- counting, sorting, paging ----------------------------------------------------


def test_the_count_is_capped(monkeypatch):
    monkeypatch.setattr(search_query, "CAP", 3)
    for n in range(5):
        org(f"Klubb {n}", description="Läxhjälp.")
    results = search("läxhjälp")
    assert results.capped and results.count == 3
    monkeypatch.setattr(search_query, "CAP", 5)
    exact = search("läxhjälp")
    assert not exact.capped and exact.count == 5


def test_facets_count_only_the_counted_matches(monkeypatch):
    monkeypatch.setattr(search_query, "CAP", 3)
    for n in range(5):
        org(f"Klubb {n}", description="Läxhjälp.", themes=["education"])
    results = search("läxhjälp")
    assert results.capped and results.count == 3
    assert dict(results.facets["sector"]) == {"civil_society": 3}
    assert dict(results.facets["theme"]) == {"education": 3}


def test_sorting_by_name_ignores_case():
    for name in ("Cirkus", "bostadsbolaget", "Ängen", "Alfa"):
        org(name, description="Läxhjälp.")
    assert names(search("läxhjälp", sort="name")) == ["Alfa", "bostadsbolaget", "Cirkus", "Ängen"]


def _candidate_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "string_agg" in q["sql"] or " MATCH " in q["sql"]]


@pytest.fixture
def small_cap(monkeypatch):
    """CAP 3, no name look-up for few hits, and statistics as of now."""
    monkeypatch.setattr(search_query, "CAP", 3)
    monkeypatch.setattr(search_query, "FUZZY_BELOW", 1)
    search_query._FREQUENCIES.forget()

    def searched(q, **filters):
        from django.test.utils import CaptureQueriesContext

        refresh_statistics()  # PostgreSQL: ANALYZE, which the probe's estimate reads
        with CaptureQueriesContext(connection) as queries:
            results = search(q, filters=Filters(**filters))
        # What PostgreSQL ran: "probe" (the sector's rows by index) or "scan".
        kinds = [
            "probe" if "split_part" in sql else "scan"
            for sql in _candidate_queries(queries.captured_queries)
        ]
        return results, kinds if connection.vendor == "postgresql" else ["scan"]

    return searched


def test_a_word_common_in_the_sector_is_found_among_its_first_rows(small_cap):
    org("Annan sektor", sector="business", country="NO", description="Lokaler att låna.")
    org("Kyrkan", sector="faith_based", description="Lokaler att låna.")
    for n in range(5):
        org(f"Företag {n}", sector="business", description="Lokaler att låna.")
    results, queries = small_cap("lokaler", sector="business", country="SE")
    assert results.capped and results.count == 3
    assert {hit.organisation.name[:7] for hit in results.hits} == {"Företag"}
    # PostgreSQL answers from the sector's rows alone, without the table scan.
    assert queries == ["probe"] or connection.vendor != "postgresql"


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's planner settings")
def test_the_probe_leaves_the_planner_settings_as_they_were(small_cap):
    for n in range(5):
        org(f"Företag {n}", sector="business", description="Lokaler att låna.")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # a caller's own choice
        _results, queries = small_cap("lokaler", sector="business")
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')"
        )
        assert queries == ["probe"] and cursor.fetchone() == ("on", "off")


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's planner settings")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_probe_leaves_the_connection_as_it_was(small_cap):
    try:
        for n in range(5):
            org(f"Företag {n}", sector="business", description="Lokaler att låna.")
        results, queries = small_cap("lokaler", sector="business")
        assert queries == ["probe"] and results.capped
        assert connection.connection.info.transaction_status == 0  # idle, nothing left open
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')"
            )
            assert cursor.fetchone() == ("on", "on")
    finally:
        # The database is emptied by flushing the models' tables; the index is not one.
        Organisation.objects.all().delete()
        rebuild()


def test_when_the_sectors_first_rows_hold_too_few_the_whole_index_is_searched(small_cap):
    for n in range(6):
        org(f"Företag {n}", sector="business", description="Konsulttjänster.")
    for n in range(4):
        org(f"Sent företag {n}", sector="business", description="Vi lånar ut lokaler.")
    for n in range(12):
        org(f"Förening {n}", description="Lokaler att låna.")
    # The statistics promise 3 in 4 rows; the first nine of the sector hold 3.
    results, queries = small_cap("lokaler", sector="business")
    assert results.capped and results.count == 3
    assert {hit.organisation.name[:12] for hit in results.hits} == {"Sent företag"}
    assert queries == ["probe", "scan"] or connection.vendor != "postgresql"


def test_a_sector_alone_is_found_among_its_first_rows(small_cap):
    for n in range(4):
        org(f"Företag {n}", sector="business")
    org("Föreningen", description="Lokaler.")
    results, queries = small_cap("", sector="business")
    assert results.capped and results.count == 3
    assert {hit.organisation.name[:7] for hit in results.hits} == {"Företag"}
    assert queries == ["probe"] or connection.vendor != "postgresql"


def test_a_small_sector_read_whole_gives_the_exact_hits(small_cap):
    org("Polisen Öst", sector="police", description="Lokaler för möten.")
    org("Polisen Väst", sector="police", description="Trygghet.")
    for n in range(8):
        org(f"Förening {n}", description="Lokaler att låna.")
    results, queries = small_cap("lokaler", sector="police")
    assert names(results) == ["Polisen Öst"] and not results.capped
    assert queries == ["probe"] or connection.vendor != "postgresql"


def test_a_word_too_rare_to_fill_the_cap_skips_the_sectors_rows(small_cap, monkeypatch):
    # 1 in 7 rows: 4 hits would take 43 rows, more than the budget.
    monkeypatch.setattr(search_query, "PROBE_MAX_ROWS", 20)
    for n in range(6):
        org(f"Företag {n}", sector="business", description="Konsulttjänster.")
    org("Bageriet", sector="business", description="Surdegsbröd.")
    results, queries = small_cap("surdegsbröd", sector="business")
    assert names(results) == ["Bageriet"]
    assert queries == ["scan"]


def test_sort_by_relevance_puts_name_matches_first():
    org("Allmän förening", description="Vi har läxhjälp ibland.")
    org("Läxhjälpen", description="Hjälp med skolarbete.")
    assert names(search("läxhjälp"))[0] == "Läxhjälpen"
    assert names(search("läxhjälp", sort="name")) == ["Allmän förening", "Läxhjälpen"]


def test_pagination():
    for n in range(5):
        org(f"Klubb {n}", description="Läxhjälp.")
    first = search("läxhjälp", sort="name", page_size=2)
    assert names(first) == ["Klubb 0", "Klubb 1"] and first.pages == 3 and first.has_next
    last = search("läxhjälp", sort="name", page=3, page_size=2)
    assert names(last) == ["Klubb 4"] and not last.has_next and last.has_previous
    assert names(search("läxhjälp", sort="name", page=99, page_size=2)) == ["Klubb 4"]


# -- keeping the index current --------------------------------------------------


def test_the_index_follows_edits_through_the_services():
    club = org("Klubben", description="Fotboll.")
    assert names(search("simning")) == []
    update_organisation(
        organisation=club, data={"description": "Simning för alla."}, by=None, version=1
    )
    assert names(search("simning")) == ["Klubben"]
    assert names(search("fotboll")) == []
    update_organisation(
        organisation=club,
        data={"themes": ["sport"], "capabilities": {"premises": "Simhall"}},
        by=None,
        version=2,
    )
    assert names(search("simhall", filters=Filters(theme="sport", capability="premises"))) == [
        "Klubben"
    ]
    door = add_entry_door(
        organisation=club,
        data={"topic": "Simskola", "who": "Kansliet", "email": "k@k.se"},
        by=None,
    )
    assert names(search("simskolor")) == ["Klubben"]
    remove_entry_door(door=EntryDoor.objects.get(pk=door.pk), by=None)
    assert names(search("simskolor")) == []


def test_reindex_drops_deleted_organisations_and_rebuild_restores_all():
    a = org("Alfa", description="Läxhjälp.")
    org("Beta", description="Läxhjälp.")
    Organisation.objects.filter(pk=a.pk).delete()
    reindex([a.pk])
    assert names(search("läxhjälp")) == ["Beta"]
    rebuild()
    assert names(search("läxhjälp")) == ["Beta"]
    reindex([])


# -- hostile input ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ('"', []),
        ("'", []),
        ("läx*", ["Läxhjälpen"]),
        ("-läxhjälp", ["Läxhjälpen"]),
        ("NEAR(läx hjälp)", ["Läxhjälpen"]),
        ("läxhjälp AND OR NOT", ["Läxhjälpen"]),
        ("((((", []),
        ("a:b {name}: ^x", []),
        ("\\' OR 1=1 --", []),
        ("x" * 10_000, []),
        ("läxhjälp " * 500, ["Läxhjälpen"]),
        ("!:&|<->", []),
        ("\x00", []),
    ],
)
def test_any_input_is_a_query_not_an_error(q, found):
    # Neither an error nor syntax: "OR 1=1" and "-" must not widen the search to
    # the football club, and punctuation alone finds nothing.
    org("Läxhjälpen", description="Läxhjälp.")
    org("Fotbollsklubben", description="Fotboll.")
    results = search(q)
    assert names(results) == found
    assert results.count == len(found)


def test_operators_are_words_not_syntax():
    org("Läxhjälpen", description="Läxhjälp.")
    words_only = [h for h in search('"läxhjälp" -fotboll*').hits if not h.similar_name]
    assert words_only == []  # "-" is not NOT: "fotboll" must match too
    assert names(search("(läxhjälp)")) == ["Läxhjälpen"]


# -- page and API -------------------------------------------------------------------


def test_the_page_renders_results_and_the_htmx_partial(client, directory):
    url = reverse("directory:search")
    response = client.get(url, {"q": "läxhjälp", "sector": "public_housing"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body and "Bostäder AB" in body and "Läxklubben" not in body
    assert 'aria-live="polite"' in body
    partial = client.get(url, {"q": "läxhjälp"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    text = partial.content.decode()
    assert "<html" not in text and "Läxklubben" in text and "Leksehjelp Oslo" in text


def test_the_page_marks_matches_and_escapes_what_users_wrote(client):
    org("<b>Läxklubben</b>", description='Vi ger <script>x()</script> läxhjälp & "stöd".')
    org("Fotbollsklubben", sector="business", description="Läxhjälp efter träningen.")
    url = reverse("directory:search")
    body = client.get(url, {"q": "läxhjälp", "sector": "business"}).content.decode()
    assert "<mark>Läxhjälp</mark> efter träningen." in body
    assert '<option value="business" selected>' in body
    # The chosen facet value is the current one; the link drops the filter.
    assert 'href="?q=l%C3%A4xhj%C3%A4lp&amp;sector=" aria-current="true">' in body
    body = client.get(url, {"q": "läxhjälp"}).content.decode()
    assert "&lt;b&gt;Läxklubben&lt;/b&gt;" in body and "<b>Läxklubben" not in body
    assert (
        "Vi ger &lt;script&gt;x()&lt;/script&gt; <mark>läxhjälp</mark> &amp; &quot;stöd&quot;."
        in body
    )
    assert 'href="?q=l%C3%A4xhj%C3%A4lp&amp;sector=business">' in body
    assert ' <span class="facet-count">(1)</span>' in body


def test_facet_counts_sit_on_the_line_of_their_value(client, directory):
    # The count was a .meta span, which is a block: "(2)" fell to a line of its own.
    body = client.get(reverse("directory:search"), {"q": "läxhjälp"}).content.decode()
    assert (
        '<li><a class="ds-link" href="?q=l%C3%A4xhj%C3%A4lp&amp;sector=civil_society">'
        'Civil-society association</a> <span class="facet-count">(2)</span></li>'
    ) in body
    assert 'class="meta">(' not in body


def test_the_filters_say_how_many_are_active_and_follow_the_results(client, directory):
    body = client.get(
        reverse("directory:search"), {"q": "läxhjälp", "country": "SE", "theme": "education"}
    ).content.decode()
    assert "<summary>Filters (2 active)</summary>" in body
    # Results first in reading order: on a phone they come before the filters.
    assert body.index("Läxklubben") < body.index('class="facets"')


def test_an_empty_result_says_so_and_offers_ways_out(client, directory):
    url = reverse("directory:search")
    body = client.get(
        url, {"q": "läxhjälp", "sector": "business", "place": directory["rinkeby"].pk}
    ).content.decode()
    assert "No organisations match “läxhjälp”." in body
    # Each active filter has a link to the same search without it.
    assert (
        f'<a class="ds-link" href="?q=l%C3%A4xhj%C3%A4lp&amp;place={directory["rinkeby"].pk}">'
        "Remove the filter Sector: Business</a>"
    ) in body
    assert (
        '<a class="ds-link" href="?q=l%C3%A4xhj%C3%A4lp&amp;sector=business">'
        "Remove the filter Place: Rinkeby</a>"
    ) in body
    assert "Check the spelling." in body
    assert '<a class="ds-link" href="?theme=education">Education</a>' in body
    # The removal link really widens the search.
    widened = client.get(url, {"q": "läxhjälp", "place": directory["rinkeby"].pk})
    assert "Läxklubben" in widened.content.decode()


def test_an_empty_result_is_told_in_the_users_language_and_escapes_the_query(client):
    body = client.get(
        reverse("directory:search"),
        {"q": "<i>zzqx</i>"},
        headers={"accept-language": "sv"},
    ).content.decode()
    assert "Inga organisationer matchar ”&lt;i&gt;zzqx&lt;/i&gt;”." in body
    assert "Remove the filter" not in body and "Ta bort filtret" not in body
    assert "Kontrollera stavningen." in body


def test_the_page_without_a_query_shows_the_form(client):
    response = client.get(reverse("directory:search"))
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_the_page_shrugs_off_bad_parameters(client, directory):
    response = client.get(
        reverse("directory:search"),
        {"q": '"(NEAR*', "sector": "nope", "place": "x", "page": "-3", "sort": "evil"},
    )
    assert response.status_code == 200


def test_the_api_returns_items_count_and_facets(client, directory):
    response = client.get("/api/search", {"q": "läxhjälp", "country": "SE", "sort": "name"})
    assert response.status_code == 200
    data = response.json()
    assert [item["name"] for item in data["items"]] == ["Bostäder AB", "Läxklubben"]
    assert data["count"] == 2 and data["capped"] is False
    assert {"value": "SE", "count": 2} in data["facets"]["country"]


def test_the_api_refuses_bad_filters(client):
    assert client.get("/api/search", {"q": "x", "sector": "nope"}).status_code == 422


# -- snippets --------------------------------------------------------------------


def test_the_snippet_shows_the_first_match_in_context():
    lexemes = search_query.text.query_lexemes(search_query.text.parse_query("lokaler"))
    start = "Vi är en förening i Tensta som arbetar med barn och unga sedan många år. " * 3
    description = (
        start + "Vi har lokaler för möten. " + "Mer text om annat. " * 30 + "Lokaler igen."
    )
    pieces = search_query.snippet(description, lexemes, "sv")
    assert pieces[0] == ("… ", False)  # the window starts near the match, not at the top
    assert ("lokaler", True) in pieces
    assert pieces[-1] == (" …", False)
    assert ("Lokaler", True) not in pieces  # far outside the window
    assert len("".join(piece for piece, _ in pieces)) <= 200 + 4


def test_a_compound_in_the_description_is_marked():
    lexemes = search_query.text.query_lexemes(search_query.text.parse_query("vandring"))
    pieces = search_query.snippet("Vi ordnar trygghetsvandringar.", lexemes, "sv")
    assert ("trygghetsvandringar", True) in pieces


def test_words_are_marked_in_any_case_and_between_underscores():
    lexemes = search_query.text.query_lexemes(search_query.text.parse_query("lokaler"))
    pieces = search_query.snippet("LOKALER finns, se lokal_info och Lokalerna.", lexemes, "sv")
    marked = [piece for piece, matched in pieces if matched]
    assert marked == ["LOKALER", "lokal", "Lokalerna"]


def test_a_description_without_the_words_starts_at_the_top():
    pieces = search_query.snippet("Kort text.", {"lokal"}, "sv")
    assert pieces == [("Kort text.", False)]


def test_the_search_index_command_tidies_and_rebuilds():
    from io import StringIO

    from django.core.management import call_command

    # Written past the services (as a bulk load does): not in the index yet.
    Organisation.objects.create(name="Bulkföreningen", country="SE", sector="civil_society")
    assert names(search("bulkföreningen")) == []
    out = StringIO()
    call_command("search_index", stdout=out)
    assert names(search("bulkföreningen")) == []  # tidying alone indexes nothing new
    call_command("search_index", "--rebuild", stdout=out)
    assert names(search("bulkföreningen")) == ["Bulkföreningen"]
    assert "Search index ready." in out.getvalue()


def test_the_search_index_command_writes_what_imports_listed():
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from samverka.directory.search import index

    # An import committed, then its worker died before the index task ran.
    listed = Organisation.objects.create(name="Listföreningen", country="SE", sector="other")
    with connection.cursor() as cursor:
        index.queue(cursor, [listed.pk])
    assert (names(search("listföreningen")), index.pending_count()) == ([], 1)
    out = StringIO()
    call_command("search_index", "--pending", stdout=out)
    assert names(search("listföreningen")) == ["Listföreningen"]
    assert index.pending_count() == 0 and "Indexed 1 listed" in out.getvalue()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index table")
def test_migration_0011_lower_cases_the_names_already_indexed():
    from django.db.migrations.executor import MigrationExecutor

    club = org("Läxklubben Tensta", description="Läxhjälp.")
    executor = MigrationExecutor(connection)
    executor.migrate([("directory", "0010_search_trigram_counts_sqlite")])
    with connection.cursor() as cursor:
        # The row as the indexing code before 0011 wrote it.
        cursor.execute(
            "UPDATE directory_search SET name = 'Läxklubben Tensta' WHERE organisation_id = %s",
            [club.pk],
        )
    executor.loader.build_graph()
    executor.migrate([("directory", "0011_search_sortname")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sortname FROM directory_search WHERE organisation_id = %s", [club.pk]
        )
        assert cursor.fetchone() == ("läxklubben tensta",)
    assert names(search("Läxklubben Tensta", sort="name")) == ["Läxklubben Tensta"]
