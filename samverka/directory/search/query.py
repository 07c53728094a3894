# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a search: one index query for the bounded candidate set (with its
rank and facet values), an optional name-similarity query when the words find
little, then the page of organisations (two queries). The number of queries
does not depend on the number of hits.

At 400,000 organisations an exact count and a full ranking of a common word
cost 150-250 ms, so both are bounded: at most ``CAP`` matches are read; the
count then shows as "1,000+" and facets count "at least".
"""

import heapq
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection

from samverka.directory.models import Organisation, Place
from samverka.directory.search import text
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
    heads = text.heads(text.query_lexemes(query))

    def score(name: str) -> float:
        if not any(head in name for head in heads):
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


def _candidates(query: list[text.QueryWord], filters: list[str]) -> list[Row]:
    """Up to CAP + 1 matches as (id, sort name, facets, score); higher is better.

    PostgreSQL ranks them with ts_rank (name words weigh most). SQLite's bm25
    is not used: it counts every match of every term to weigh the terms, which
    costs 8-18 ms for a common word or a filter whatever the LIMIT; the
    candidates are ranked instead by how many query words their name holds.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT organisation_id, lower(name), facets, ts_rank(document, q)
                    FROM (SELECT organisation_id, name, facets, document
                          FROM {TABLE}, CAST(%s AS tsquery) AS q0
                          WHERE document @@ q0 LIMIT %s) AS c, CAST(%s AS tsquery) AS q""",
                [_tsquery(query, filters), CAP + 1, _tsquery(query, filters)],
            )
            return cursor.fetchall()
        cursor.execute(
            f"""SELECT r.id, r.sortname, r.facets FROM {TABLE} s JOIN {ROWS} r ON r.id = s.rowid
                WHERE {TABLE} MATCH %s LIMIT %s""",
            [_fts5(query, filters), CAP + 1],
        )
        rows = cursor.fetchall()
    if not query:
        return [(pk, name, facets, 0.0) for pk, name, facets in rows]
    score = _name_scorer(query)
    return [(pk, name, facets, score(name)) for pk, name, facets in rows]


_TRIGRAMS: dict[str, object] = {"at": 0.0, "counts": {}}
TRIGRAM_COUNTS_SECONDS = 600


def _trigram_counts(cursor) -> dict[str, int]:
    """Names per in-word trigram (a few thousand trigrams), kept per process
    for ten minutes. SQLite: fts5vocab, which reads whole posting lists to
    count (~0.5 s at 400,000 names); PostgreSQL: a materialized view."""
    now = time.monotonic()
    stale = now - float(_TRIGRAMS["at"]) > TRIGRAM_COUNTS_SECONDS  # type: ignore[arg-type]
    if not _TRIGRAMS["counts"] or stale:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT trigram, docs FROM {TRIGRAMS}")
        else:
            cursor.execute(f"SELECT term, doc FROM {NAMES}_vocab")
        _TRIGRAMS.update(counts=dict(cursor.fetchall()), at=now)
    return _TRIGRAMS["counts"]  # type: ignore[return-value]


def _rarest_trigrams(raw: str, counts: dict[str, int]) -> list[str]:
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
            likes = " OR ".join(["name ILIKE %s"] * len(chosen))
            cursor.execute(
                f"""SELECT organisation_id, lower(name), facets, s
                    FROM (SELECT organisation_id, name, facets, similarity(name, %s) AS s
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


def _facets(rows: list[Row]) -> dict[str, list[tuple[str, int]]]:
    # "sector|country|theme,theme|capability,capability"; Counter over joined
    # lists counts in C (1,000 rows: 1.0 ms instead of 1.5).
    split = [facets.split("|") for _pk, _name, facets, _score in rows]
    split = [parts for parts in split if len(parts) == 4]
    counts = {
        "sector": Counter(parts[0] for parts in split),
        "theme": Counter(",".join([parts[2] for parts in split]).split(",")),
        "capability": Counter(",".join([parts[3] for parts in split]).split(",")),
        "country": Counter(parts[1] for parts in split),
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
    heads = text.heads(lexemes)
    for match in text.WORD.finditer(description):
        if matches and match.start() >= end:
            break  # the window is full: later words are not shown
        word = match.group().lower()
        if not any(head in word for head in heads):
            continue
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
    query = text.parse_query(q or "")
    tokens = filters.tokens()
    if not query and not tokens:
        return Results(q, [], 0, False, 1, 1, searched=False)
    rows = _candidates(query, tokens)
    capped = len(rows) > CAP
    rows = rows[:CAP]
    similar: set[int] = set()
    if query and len(rows) < FUZZY_BELOW:
        extra = _similar_names(q, tokens, {row[0] for row in rows})
        similar = {row[0] for row in extra}
        rows += extra
    count = len(rows)
    pages = max(1, -(-count // page_size))
    page = min(max(1, page), pages)
    # Only the rows up to this page need ordering.
    if sort == "name":
        key = lambda row: (row[1], row[0])  # noqa: E731
    else:
        key = lambda row: (row[0] in similar, -row[3], row[1], row[0])  # noqa: E731
    ordered = heapq.nsmallest(page * page_size, rows, key=key)
    ids = [row[0] for row in ordered[(page - 1) * page_size :]]
    lexemes = text.query_lexemes(query)
    hits = [
        Hit(
            found,
            snippet(found.description, lexemes, found.description_language),
            found.pk in similar,
        )
        for found in _page(ids)
    ]
    return Results(q, hits, count, capped, page, pages, _facets(rows))


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
