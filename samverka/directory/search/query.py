# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a search: one index query for the bounded candidate set, an
optional name-similarity query when the words find little, then the page of
organisations (one query). The number of queries does not depend on the
number of hits.

At 400,000 organisations an exact count and a full ranking of a common word
cost 150-250 ms, so both are bounded: at most ``CAP`` matches are read; the
count then shows as "1,000+" and facets count "at least".

PostgreSQL counts the facets and orders the matches itself, and returns the
count, the facets and one page of ids in one row. SQLite returns the
candidates (id, sort name, facets, score) and Python does the same.
"""

import heapq
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.backends.utils import CursorWrapper

from samverka.directory.models import Organisation, Place
from samverka.directory.search import text, vocabulary
from samverka.directory.search.index import NAMES, ROWS, TABLE, TRIGRAMS, filter_token

CAP = 1000
PAGE_SIZE = 20
# Name similarity fills in when the words find fewer than this.
FUZZY_BELOW = 5
FUZZY_LIMIT = 20
FUZZY_THRESHOLD = 0.3
# Names read per fuzzy search, via the query's rarest trigrams (both
# databases); SQLite scores the FUZZY_SCORED that hold most of the query's
# trigrams in Python.
FUZZY_CANDIDATES = 1000
FUZZY_SCORED = 100
SORTS = ("relevance", "name")


@dataclass(frozen=True)
class Filters:
    sector: str = ""
    theme: str = ""
    capability: str = ""
    country: str = ""
    place: int | None = None

    def tokens(self) -> list[str]:
        tokens = []
        for kind, value in (
            ("s", self.sector),
            ("t", self.theme),
            ("c", self.capability),
            ("n", self.country),
            ("p", self.place),
        ):
            if value not in ("", None):
                tokens.append(filter_token(kind, value))
        return tokens


@dataclass(frozen=True)
class PlaceRef:
    pk: int
    name: str


@dataclass
class Found:
    """What a hit shows of an organisation: read as plain values, since
    model instances and prefetching cost more than the search itself."""

    pk: int
    name: str
    country: str
    sector: str
    description: str
    description_language: str
    places: list[PlaceRef] = field(default_factory=list)


@dataclass
class Hit:
    organisation: Found
    snippet: list[tuple[str, bool]]  # (text, matched)
    similar_name: bool = False


@dataclass
class Results:
    query: str
    hits: list[Hit]
    count: int
    capped: bool
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    searched: bool = True
    # Searched as well: words of the typed words' groups, and their themes.
    related: list[tuple[str, str]] = field(default_factory=list)  # (language, word)
    themes: list[str] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# -- match expressions --------------------------------------------------------


def _fts5(query: list[text.QueryWord], filters: list[str]) -> str:
    def term(lexemes: frozenset[str]) -> str:
        return "(" + " OR ".join(f'"{lexeme}"' for lexeme in sorted(lexemes)) + ")"

    parts = []
    for word in query:
        alternatives = ["(" + " AND ".join(term(t) for t in alt) + ")" for alt in word]
        parts.append("(" + " OR ".join(alternatives) + ")")
    parts += [f'"{token}"' for token in filters]
    return " AND ".join(parts)


def _tsquery(query: list[text.QueryWord], filters: list[str]) -> str:
    def term(lexemes: frozenset[str]) -> str:
        return "(" + " | ".join(f"'{lexeme}'" for lexeme in sorted(lexemes)) + ")"

    parts = []
    for word in query:
        alternatives = ["(" + " & ".join(term(t) for t in alt) + ")" for alt in word]
        parts.append("(" + " | ".join(alternatives) + ")")
    parts += [f"'{token}'" for token in filters]
    return " & ".join(parts)


# -- candidates ---------------------------------------------------------------


Row = tuple[int, str, str, float]  # id, sort name, facets, score (higher is better)


@lru_cache(maxsize=100_000)
def _name_word_forms(word: str) -> frozenset[str]:
    """A word of a name as the query may meet it: itself, its stem in each
    language and the stems of its compound parts."""
    forms = {word}
    for language in text.LANGUAGES:
        forms.update(text.index_terms(word, language).split())
    return frozenset(forms)


def _name_scorer(query: list[text.QueryWord]):
    """How many of the query's words a name contains (SQLite's ranking)."""
    # One regular expression instead of a test per head: related words bring
    # dozens of heads, and a thousand names are scored per search.
    heads = re.compile(
        "|".join(re.escape(head) for head in sorted(text.heads(text.query_lexemes(query))))
    )

    def score(name: str) -> float:
        if not heads.search(name):
            return 0.0
        forms: set[str] = set()
        for word in text.words(name):
            forms |= _name_word_forms(word)
        return float(
            sum(
                any(all(not term.isdisjoint(forms) for term in alt) for alt in word)
                for word in query
            )
        )

    return score


# PostgreSQL, with a sector filter: a first look at that sector's rows (and
# country's) in index order, when the statistics say the words are common
# enough there to fill CAP + 1 within this many rows.
PROBE_MAX_ROWS = 4000


@dataclass
class Ranked:
    """The matches of a search, counted and put in order: what its page shows."""

    count: int  # at most CAP
    capped: bool
    page: int
    pages: int
    ids: list[int]  # this page's, in order
    facets: str  # the counted matches' facets, joined by "|"
    similar: set[int] = field(default_factory=set)  # found by name similarity
    # PostgreSQL: the first FUZZY_BELOW matches in order, for the name look-up.
    first: list[Row] = field(default_factory=list)


# A tier's matches rank above the next tier's whatever their names hold.
TIER_WEIGHT = 100.0


def _candidates(parsed: vocabulary.Parsed, filters: list[str]) -> list[Row]:
    """SQLite: up to CAP + 1 matches as (id, sort name, facets, score).

    bm25 is not used: it counts every match of every term to weigh the terms,
    which costs 8-18 ms for a common word or a filter whatever the LIMIT; the
    candidates are ranked instead by their tier (the typed words first, see
    ``vocabulary``) and then by how many typed words their name holds. Each
    tier reads only what the one before did not find, and only while fewer
    than CAP + 1 have matched.
    """
    matches = [_fts5(tier, filters) for tier in parsed.tiers]
    if len(matches) == 1:
        sql = f"""SELECT r.id, r.sortname, r.facets, 0 FROM {TABLE} s
                  JOIN {ROWS} r ON r.id = s.rowid WHERE {TABLE} MATCH %s LIMIT %s"""
        params: list[object] = [matches[0], CAP + 1]
    else:
        branches, params = [], []
        for i, match in enumerate(matches):
            branches.append(
                f"SELECT * FROM (SELECT rowid AS id, {i} AS tier FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s LIMIT %s)"
            )
            params += [match if i == 0 else f"({match}) NOT ({matches[i - 1]})", CAP + 1]
        sql = f"""SELECT r.id, r.sortname, r.facets, m.tier
                  FROM ({" UNION ALL ".join(branches)} LIMIT %s) AS m
                  JOIN {ROWS} r ON r.id = m.id"""
        params.append(CAP + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not parsed.query:
        return [(pk, name, facets, 0.0) for pk, name, facets, _tier in rows]
    score = _name_scorer(parsed.tiers[0])
    return [(pk, name, facets, score(name) - TIER_WEIGHT * tier) for pk, name, facets, tier in rows]


_ORDER = {"relevance": "score DESC, sortname, organisation_id", "name": "sortname, organisation_id"}


def _ranked_sql(source: str, sort: str, *, by_words: bool, looked: str = "NULL") -> str:
    """PostgreSQL: the count, facets and one page of ids of ``source`` (up to
    CAP + 1 rows of the index), ranked with ts_rank by the words alone (name
    words weigh most; every candidate holds the filter tokens).

    One row comes back instead of CAP + 1: reading those and counting and
    ordering them in Python took twice as long. The aggregates read the
    matches in the order of the sorted subquery (PostgreSQL keeps it; one
    sort for all of them). The CAP + 1st match, read only to know that there
    are more, is the last in that order and is left out (``_ranked``).
    ``looked`` is an extra column, asked for only when no more than CAP
    matched (a subquery in a CASE runs only when its branch is taken).
    ``source`` has a ``tier`` column (see ``vocabulary``): a tier's matches
    rank above the next one's.
    """
    score, rank = "0::real", ""
    if by_words:
        score = f"ts_rank(document, q) - {TIER_WEIGHT} * tier"
        rank = ", CAST(%(words)s AS tsquery) AS q"
    return f"""
        SELECT total, facets, ids[(pg - 1) * %(size)s + 1 : LEAST(pg * %(size)s, %(cap)s)], pg,
               ids[1:%(few)s], first_names, first_scores,
               CASE WHEN total <= %(cap)s THEN {looked} END
        FROM (SELECT *, LEAST(GREATEST(%(page)s, 1),
                              GREATEST(1, (LEAST(total, %(cap)s) + %(size)s - 1) / %(size)s)) AS pg
              FROM (SELECT count(*) AS total, string_agg(facets, '|') AS facets,
                           array_agg(organisation_id) AS ids,
                           (array_agg(sortname))[1:%(few)s] AS first_names,
                           (array_agg(score))[1:%(few)s] AS first_scores
                    FROM (SELECT organisation_id, facets, sortname COLLATE "C" AS sortname,
                                 {score} AS score
                          FROM ({source}) AS c{rank}
                          ORDER BY {_ORDER[sort]}) AS r) AS a) AS b"""


def _ranked(row: tuple, page_size: int) -> Ranked:
    """The row of ``_ranked_sql`` as a Ranked."""
    total, facets, ids, page, first_ids, names, scores, _looked = row
    count = min(total, CAP)
    facets = facets or ""
    first: list[Row] = []
    if 0 < total < FUZZY_BELOW:
        parts = facets.split("|")
        first = [
            (pk, name, "|".join(parts[4 * i : 4 * i + 4]), score)
            for i, (pk, name, score) in enumerate(zip(first_ids, names, scores, strict=True))
        ]
    if total > CAP:
        facets = facets.rsplit("|", 4)[0]  # the CAP + 1st match's four parts
    return Ranked(
        count=count,
        capped=total > CAP,
        page=page,
        pages=max(1, -(-count // page_size)),
        ids=ids or [],
        facets=facets,
        first=first,
    )


def _ranked_postgresql(
    parsed: vocabulary.Parsed,
    tokens: list[str],
    filters: Filters,
    sort: str,
    page: int,
    page_size: int,
) -> Ranked:
    query = parsed.query
    params: dict[str, object] = {
        "tsquery": _tsquery(query, tokens),
        # Ranked by the typed words: the tiers put their matches first, and
        # ts_rank with every related word cost 5 ms more per search.
        "words": _tsquery(parsed.tiers[0], []),
        "limit": CAP + 1,
        "cap": CAP,
        "few": FUZZY_BELOW,
        "page": page,
        "size": page_size,
    }
    if filters.sector:
        ranked = _probe(parsed, tokens, params, filters.sector, filters.country, sort, page_size)
        if ranked is not None:
            return ranked
    if len(parsed.tiers) == 1:
        source = f"""SELECT organisation_id, sortname, facets, document, 0 AS tier
                     FROM {TABLE}, CAST(%(tsquery)s AS tsquery) AS q0
                     WHERE document @@ q0 LIMIT %(limit)s"""
    else:
        # Each tier reads what the one before did not find; Append runs them
        # in order and stops at the LIMIT.
        branches = []
        for i, tier in enumerate(parsed.tiers):
            params[f"tier{i}"] = _tsquery(tier, tokens)
            unless = f"AND NOT document @@ CAST(%(tier{i - 1})s AS tsquery)" if i else ""
            branches.append(
                f"""(SELECT organisation_id, sortname, facets, document, {i} AS tier
                     FROM {TABLE} WHERE document @@ CAST(%(tier{i})s AS tsquery) {unless}
                     LIMIT %(limit)s)"""
            )
        source = f"SELECT * FROM ({' UNION ALL '.join(branches)}) AS u LIMIT %(limit)s"
    with connection.cursor() as cursor:
        cursor.execute(_ranked_sql(source, sort, by_words=bool(query)), params)
        return _ranked(cursor.fetchone(), page_size)


def _share(query: list[text.QueryWord], tokens: list[str], frequencies: dict[str, float]) -> float:
    """The estimated share of documents matching the words and tokens, from
    the lexeme frequencies, taking them as independent (as the planner does).
    A lexeme missing from the statistics counts as rare."""

    def of(lexemes: frozenset[str]) -> float:
        return min(1.0, sum(frequencies.get(lexeme, 0.0) for lexeme in lexemes))

    share = 1.0
    for word in query:
        alternatives = 0.0
        for alternative in word:
            part = 1.0
            for term in alternative:
                part *= of(term)
            alternatives += part
        share *= min(1.0, alternatives)
    for token in tokens:
        share *= of(frozenset([token]))
    return share


# The probe's planner settings, local to the statements sent with it and put
# back after it (inside a caller's transaction they would outlast it).
_SCANS_OFF = (
    "SELECT set_config('samverka.scans', current_setting('enable_seqscan') || ',' "
    "|| current_setting('enable_bitmapscan'), true), "
    "set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)"
)
_SCANS_BACK = (
    "SELECT set_config('enable_seqscan', split_part(current_setting('samverka.scans'), ',', 1), "
    "true), set_config('enable_bitmapscan', "
    "split_part(current_setting('samverka.scans'), ',', 2), true)"
)


def _probe(
    parsed: vocabulary.Parsed,
    tokens: list[str],
    params: dict[str, object],
    sector: str,
    country: str,
    sort: str,
    page_size: int,
) -> Ranked | None:
    """The matches among the first rows of a sector (and country), read by
    the index of migration 0009, or None when the caller should run the full
    query.

    A common word with sector and country (at 400,000 organisations: 22,000
    matches, 5 % of the table) makes the full query scan the table until
    CAP + 1 rows match (18,800 rows, 13 ms on a quiet machine) or build the
    GIN bitmap of every long posting list (35 ms). Among the sector's own rows
    half match, so 2,000 rows read by index do (3.6 ms). For a rare word the
    same look would read its whole budget for nothing (13 ms for 3,000
    rows), so it is only taken when PostgreSQL's statistics of the lexemes
    (pg_stats, the most common ones) say that enough rows will match. The
    planner would still choose a table scan (it knows no correlation between
    the sector and where rows lie), so this one statement runs with scans
    other than by index switched off.
    """
    query = parsed.query
    own = {filter_token("s", sector)} | ({filter_token("n", country)} if country else set())
    # The typed words' share: the related words' lexemes often occur together,
    # so adding up their frequencies promised matches the look did not find.
    share = _share(parsed.tiers[0], [t for t in tokens if t not in own], _lexeme_frequencies())
    if share <= 0:
        return None
    budget = int(1.5 * (CAP + 1) / share) + 1
    if budget > PROBE_MAX_ROWS:
        return None
    # The sector's and country's own tokens hold for every row read.
    rest = _tsquery(query, [t for t in tokens if t not in own])
    params = {**params, "sector": sector, "country": country, "budget": budget, "rest": rest}
    where = "split_part(facets, '|', 1) = %(sector)s"
    if country:
        where += " AND split_part(facets, '|', 2) = %(country)s"
    matching = "WHERE document @@ CAST(%(rest)s AS tsquery)" if rest else ""
    # Every row read holds the filter tokens: the tier is the first whose words it holds.
    tier = "0"
    if len(parsed.tiers) > 1:
        cases = []
        for i, words in enumerate(parsed.tiers[:-1]):
            params[f"words{i}"] = _tsquery(words, [])
            cases.append(f"WHEN document @@ CAST(%(words{i})s AS tsquery) THEN {i}")
        tier = f"CASE {' '.join(cases)} ELSE {len(parsed.tiers) - 1} END"
    source = f"""SELECT organisation_id, sortname, facets, document, {tier} AS tier
                 FROM (SELECT organisation_id, sortname, facets, document FROM {TABLE}
                       WHERE {where} LIMIT %(budget)s) AS p
                 {matching} LIMIT %(limit)s"""
    # Fewer than hoped: exact if the look covered the whole sector.
    looked = f"(SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} LIMIT %(budget)s) AS l)"
    ranked = _ranked_sql(source, sort, by_words=bool(query), looked=looked)
    # One round trip and no transaction of its own: PostgreSQL runs statements
    # sent together as one (or in the caller's transaction). BEGIN, the
    # settings and COMMIT apart cost 0.5 ms of Python per search. Only a
    # client-side binding cursor can send several statements at once.
    with _client_side_cursor() as cursor:
        cursor.execute(f"{_SCANS_OFF}; {ranked}; {_SCANS_BACK}", params)
        cursor.nextset()
        row = cursor.fetchone()
    if row[-1] is not None and row[-1] >= budget:
        return None
    return _ranked(row, page_size)


@contextmanager
def _client_side_cursor() -> Iterator[CursorWrapper]:
    """A cursor of this connection (logged like any other) that binds
    parameters in the SQL text, as Django does without server-side binding."""
    from django.db.backends.postgresql.base import Cursor

    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = Cursor(connection.connection)
    if connection.queries_logged:
        wrapped = connection.make_debug_cursor(raw)
    else:
        wrapped = connection.make_cursor(raw)
    with wrapped as cursor:
        yield cursor


class _Kept:
    """Counts read from the database, kept per process for ten minutes (read
    again sooner while empty): they only steer how a search runs, so they may
    lag behind the data."""

    SECONDS = 600

    def __init__(self) -> None:
        self.value: dict[str, float] = {}
        self.at = 0.0

    def get(self, load: Callable[[], dict[str, float]]) -> dict[str, float]:
        now = time.monotonic()
        if not self.value or now - self.at > self.SECONDS:
            self.value, self.at = load(), now
        return self.value

    def forget(self) -> None:
        self.value = {}


_FREQUENCIES = _Kept()
_TRIGRAMS = _Kept()


def _lexeme_frequencies() -> dict[str, float]:
    """PostgreSQL's statistics of the index's most common lexemes (and
    filter tokens): the share of documents holding each. ANALYZE refreshes
    them (refresh_statistics, autovacuum)."""

    def load() -> dict[str, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats
                   WHERE schemaname = current_schema() AND tablename = %s
                     AND attname = 'document'""",
                [TABLE],
            )
            row = cursor.fetchone()
        # The frequencies end with three summary values; zip stops before them.
        return dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}

    return _FREQUENCIES.get(load)


def _trigram_counts(cursor) -> dict[str, float]:
    """Names per in-word trigram (a few thousand trigrams), as counted by
    ``refresh_statistics`` (a materialized view on PostgreSQL, a table on
    SQLite). Before a first count SQLite counts through fts5vocab, which reads
    whole posting lists (0.2-1.2 s at 400,000 names)."""

    def load() -> dict[str, float]:
        cursor.execute(f"SELECT trigram, docs FROM {TRIGRAMS}")
        counts = dict(cursor.fetchall())
        if not counts and connection.vendor != "postgresql":
            cursor.execute(f"SELECT term, doc FROM {NAMES}_vocab")
            counts = dict(cursor.fetchall())
        return counts

    return _TRIGRAMS.get(load)


def _rarest_trigrams(raw: str, counts: dict[str, float]) -> list[str]:
    """The query's in-word trigrams that together occur in at most
    FUZZY_CANDIDATES names, rarest first (at least one, at most eight).
    A trigram the counts do not know is new since, or absent: tried first."""
    chosen, total = [], 0
    for gram in sorted(text.in_word_trigrams(raw), key=lambda g: counts.get(g, 0)):
        docs = counts.get(gram, 0)
        if chosen and (total + docs > FUZZY_CANDIDATES or len(chosen) >= 8):
            break
        chosen.append(gram)
        total += docs
    return chosen


def _similar_names(raw: str, filters: list[str], exclude: set[int]) -> list[Row]:
    """Organisations whose name is like the query (typos), by pg_trgm's
    similarity. Only names holding one of the query's rarest trigrams are
    scored, so the work stays bounded however common the other trigrams are."""
    raw = " ".join(text.words(raw[:200]))
    if len(raw) < 3:
        return []
    limit = FUZZY_LIMIT + len(exclude)
    with connection.cursor() as cursor:
        chosen = _rarest_trigrams(raw, _trigram_counts(cursor))
        if not chosen:
            return []
        if connection.vendor == "postgresql":
            condition, params = "", [raw, *(f"%{g}%" for g in chosen)]
            if filters:
                condition = "AND document @@ CAST(%s AS tsquery)"
                params.append(" & ".join(f"'{t}'" for t in filters))
            params.append(FUZZY_THRESHOLD)
            # The words hold letters and digits only: nothing to escape for ILIKE.
            likes = " OR ".join(["sortname ILIKE %s"] * len(chosen))
            cursor.execute(
                f"""SELECT organisation_id, sortname, facets, s
                    FROM (SELECT organisation_id, sortname, facets, similarity(sortname, %s) AS s
                          FROM {TABLE} WHERE ({likes}) {condition}
                          LIMIT {FUZZY_CANDIDATES}) AS c
                    WHERE s >= %s ORDER BY s DESC, organisation_id LIMIT {limit}""",
                params,
            )
            rows = cursor.fetchall()
        else:
            cursor.execute(
                f"SELECT rowid, name FROM {NAMES} WHERE {NAMES} MATCH %s LIMIT {FUZZY_CANDIDATES}",
                [" OR ".join(f'"{g}"' for g in chosen)],
            )
            # Counting the query's in-word trigrams as substrings is ten times
            # cheaper than the similarity; only the best by it are scored.
            wanted = text.trigrams(raw)
            inner = text.in_word_trigrams(raw)
            names = heapq.nlargest(
                FUZZY_SCORED,
                cursor.fetchall(),
                key=lambda row: sum(g in row[1].lower() for g in inner),
            )
            scored = [(pk, text.similarity_to(wanted, name)) for pk, name in names]
            scored = [row for row in scored if row[1] >= FUZZY_THRESHOLD]
            scored.sort(key=lambda row: (-row[1], row[0]))
            best = scored[: limit + 50]
            if not best:
                return []
            marks = ",".join(["%s"] * len(best))
            cursor.execute(
                f"SELECT id, sortname, facets, filters FROM {ROWS} WHERE id IN ({marks})",
                [pk for pk, _s in best],
            )
            found = {row[0]: row for row in cursor.fetchall()}
            rows = []
            for pk, score in best:
                if pk in found and set(filters) <= set(found[pk][3].split()):
                    rows.append((pk, found[pk][1], found[pk][2], score))
    return [row for row in rows if row[0] not in exclude][:FUZZY_LIMIT]


# -- facets, snippets ---------------------------------------------------------


def _facets(joined: str) -> dict[str, list[tuple[str, int]]]:
    """Facet counts from the matches' facets joined by "|": each match's are
    "sector|country|theme,theme|capability,capability", so every fourth
    part is one column. Counter over a column or a joined list counts in C."""
    parts = joined.split("|") if joined else []
    counts = {
        "sector": Counter(parts[0::4]),
        "theme": Counter(",".join(parts[2::4]).split(",")),
        "capability": Counter(",".join(parts[3::4]).split(",")),
        "country": Counter(parts[1::4]),
    }
    return {
        name: sorted(
            ((value, n) for value, n in counter.items() if value),
            key=lambda item: (-item[1], item[0]),
        )
        for name, counter in counts.items()
    }


def snippet(
    description: str, lexemes: set[str], language: str, size: int = 200
) -> list[tuple[str, bool]]:
    """A window of the description around the first matching word, as
    (text, matched) pieces for the template to mark up."""
    if not description:
        return []
    matches: list[tuple[int, int]] = []
    start, end = 0, min(len(description), size)
    heads = frozenset(text.heads(lexemes))
    candidates = text.words_with(heads).finditer(description) if heads else ()
    for match in candidates:
        if matches and match.start() >= end:
            break  # the window is full: later words are not shown
        word = match.group().lower()
        if (
            word in lexemes
            or text.stem(word, language) in lexemes
            or any(text.stem(part, language) in lexemes for part in text.decompound(word, language))
        ):
            if not matches and match.start() > size // 2:
                start = description.rfind(" ", 0, match.start() - size // 4) + 1
                end = min(len(description), start + size)
            matches.append(match.span())
    if end < len(description):
        end = description.rfind(" ", start, end) if " " in description[start:end] else end
    pieces: list[tuple[str, bool]] = [("… ", False)] if start else []
    cursor = start
    for a, b in matches:
        if a < start or b > end:
            continue
        if a > cursor:
            pieces.append((description[cursor:a], False))
        pieces.append((description[a:b], True))
        cursor = b
    pieces.append((description[cursor:end], False))
    if end < len(description):
        pieces.append((" …", False))
    return pieces


# -- the search ---------------------------------------------------------------


def search(
    q: str = "",
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Results:
    """Search the directory. Never raises on user input: any text is a query."""
    filters = filters or Filters()
    sort = sort if sort in SORTS else "relevance"
    parsed = vocabulary.parse(q or "")
    query = parsed.query
    tokens = filters.tokens()
    if not query and not tokens:
        return Results(q, [], 0, False, 1, 1, searched=False)
    if connection.vendor == "postgresql":
        ranked = _ranked_postgresql(parsed, tokens, filters, sort, page, page_size)
        if query and ranked.count < FUZZY_BELOW:
            ranked = _ranked_here(q, query, tokens, ranked.first, sort, page, page_size)
    else:
        rows = _candidates(parsed, tokens)
        ranked = _ranked_here(q, query, tokens, rows, sort, page, page_size)
    # Related words are marked too; theme tokens are not words.
    lexemes = text.query_lexemes(parsed.words)
    hits = [
        Hit(
            found,
            snippet(found.description, lexemes, found.description_language),
            found.pk in ranked.similar,
        )
        for found in _page(ranked.ids)
    ]
    return Results(
        q,
        hits,
        ranked.count,
        ranked.capped,
        ranked.page,
        ranked.pages,
        _facets(ranked.facets),
        related=parsed.related,
        themes=parsed.themes,
    )


def _ranked_here(
    q: str,
    query: list[text.QueryWord],
    tokens: list[str],
    rows: list[Row],
    sort: str,
    page: int,
    page_size: int,
) -> Ranked:
    """Count, order and page the candidates in Python (SQLite; PostgreSQL
    when few match), with similar names after them when the words find few."""
    capped = len(rows) > CAP
    rows = rows[:CAP]
    similar: set[int] = set()
    if query and len(rows) < FUZZY_BELOW:
        extra = _similar_names(q, tokens, {row[0] for row in rows})
        similar = {row[0] for row in extra}
        rows = rows + extra
    count = len(rows)
    pages = max(1, -(-count // page_size))
    page = min(max(1, page), pages)
    # Only the rows up to this page need ordering.
    if sort == "name":
        key = lambda row: (row[1], row[0])  # noqa: E731
    else:
        key = lambda row: (row[0] in similar, -row[3], row[1], row[0])  # noqa: E731
    ordered = heapq.nsmallest(page * page_size, rows, key=key)
    return Ranked(
        count=count,
        capped=capped,
        page=page,
        pages=pages,
        ids=[row[0] for row in ordered[(page - 1) * page_size :]],
        facets="|".join(row[2] for row in rows),
        similar=similar,
    )


def _page(ids: list[int]) -> list[Found]:
    """The organisations of one page, in this order, with their places: one
    query (the ORM's two, with prefetching, cost 3-4 ms on PostgreSQL)."""
    if not ids:
        return []
    organisations = Organisation._meta.db_table
    through = Organisation.places.through._meta.db_table
    places = Place._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    found: dict[int, Found] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT o.id, o.name, o.country, o.sector, o.description,
                       o.description_language, p.id, p.name
                FROM "{organisations}" o
                LEFT JOIN "{through}" op ON op.organisation_id = o.id
                LEFT JOIN "{places}" p ON p.id = op.place_id
                WHERE o.id IN ({marks})
                ORDER BY o.id, p.path""",
            ids,
        )
        for pk, name, country, sector, description, language, place, place_name in cursor:
            organisation = found.get(pk)
            if organisation is None:
                organisation = found[pk] = Found(pk, name, country, sector, description, language)
            if place is not None:
                organisation.places.append(PlaceRef(place, place_name))
    return [found[pk] for pk in ids if pk in found]
