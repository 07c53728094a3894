# SPDX-License-Identifier: AGPL-3.0-or-later
"""Running a search: one index query for the bounded candidate set (with its
rank and facet values), an optional name-similarity query when the words find
little, then the page of organisations (two queries). The number of queries
does not depend on the number of hits.

At 400,000 organisations an exact count and a full ranking of a common word
cost 150-250 ms, so both are bounded: at most ``CAP`` matches are read; the
count then shows as "1,000+" and facets count "at least".
"""

import time
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch

from samverka.directory.models import Organisation, Place
from samverka.directory.search import text
from samverka.directory.search.index import NAMES, TABLE, filter_token

CAP = 1000
PAGE_SIZE = 20
# Name similarity fills in when the words find fewer than this.
FUZZY_BELOW = 5
FUZZY_LIMIT = 20
FUZZY_THRESHOLD = 0.3
# SQLite: names scored in Python per search, read via the rarest trigrams.
FUZZY_CANDIDATES = 3000
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


@dataclass
class Hit:
    organisation: Organisation
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


def _candidates(query: list[text.QueryWord], filters: list[str]) -> list[Row]:
    """Up to CAP + 1 matches as (id, sort name, facets, score); higher is better."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT organisation_id, lower(name), facets, ts_rank(document, q)
                    FROM (SELECT organisation_id, name, facets, document
                          FROM {TABLE}, CAST(%s AS tsquery) AS q0
                          WHERE document @@ q0 LIMIT %s) AS c, CAST(%s AS tsquery) AS q""",
                [_tsquery(query, filters), CAP + 1, _tsquery(query, filters)],
            )
        else:
            cursor.execute(
                f"""SELECT rowid, sortname, facets, -bm25({TABLE}, 10.0, 1.0, 0.0)
                    FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s""",
                [_fts5(query, filters), CAP + 1],
            )
        return cursor.fetchall()


_TRIGRAMS: dict[str, object] = {"at": 0.0, "counts": {}}
TRIGRAM_COUNTS_SECONDS = 600


def _trigram_counts(cursor) -> dict[str, int]:
    """Documents per name trigram (a few thousand trigrams), kept per process
    for ten minutes: fts5vocab reads whole posting lists to count, ~0.5 s at
    400,000 names, too slow per search."""
    now = time.monotonic()
    if not _TRIGRAMS["counts"] or now - float(_TRIGRAMS["at"]) > TRIGRAM_COUNTS_SECONDS:  # type: ignore[arg-type]
        cursor.execute(f"SELECT term, doc FROM {NAMES}_vocab")
        _TRIGRAMS["counts"] = dict(cursor.fetchall())
        _TRIGRAMS["at"] = now
    return _TRIGRAMS["counts"]  # type: ignore[return-value]


def _similar_names(raw: str, filters: list[str], exclude: set[int]) -> list[Row]:
    """Organisations whose name is like the query (typos): pg_trgm on
    PostgreSQL; on SQLite, the rarest trigrams of the query find a bounded
    candidate set in the trigram index and the similarity is computed here."""
    raw = " ".join(text.words(raw[:200]))
    if len(raw) < 3:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            condition, params = "", [raw, raw]
            if filters:
                condition = "AND document @@ CAST(%s AS tsquery)"
                params.append(" & ".join(f"'{t}'" for t in filters))
            cursor.execute(
                f"""SELECT organisation_id, lower(name), facets, similarity(name, %s) AS s
                    FROM {TABLE} WHERE name %% %s {condition}
                    ORDER BY s DESC, organisation_id LIMIT {FUZZY_LIMIT + len(exclude)}""",
                params,
            )
            rows = cursor.fetchall()
        else:
            grams = sorted({g for g in text.trigrams(raw) if g.strip() and " " not in g})
            if not grams:
                return []
            counts = _trigram_counts(cursor)
            # Unknown to the (cached) counts: new since, or absent; try it first.
            frequency = sorted(((g, counts.get(g, 0)) for g in grams), key=lambda r: r[1])
            chosen, total = [], 0
            for gram, docs in frequency:
                if chosen and (total + docs > FUZZY_CANDIDATES or len(chosen) >= 8):
                    break
                chosen.append(gram)
                total += docs
            if not chosen:
                return []
            cursor.execute(
                f"SELECT rowid, name FROM {NAMES} WHERE {NAMES} MATCH %s LIMIT {FUZZY_CANDIDATES}",
                [" OR ".join(f'"{g}"' for g in chosen)],
            )
            scored = [(pk, name, text.similarity(raw, name)) for pk, name in cursor.fetchall()]
            scored = [row for row in scored if row[2] >= FUZZY_THRESHOLD]
            scored.sort(key=lambda row: (-row[2], row[0]))
            best = scored[: FUZZY_LIMIT + len(exclude) + 50]
            if not best:
                return []
            marks = ",".join(["%s"] * len(best))
            cursor.execute(
                f"SELECT rowid, sortname, facets, filters FROM {TABLE} WHERE rowid IN ({marks})",
                [pk for pk, _n, _s in best],
            )
            found = {row[0]: row for row in cursor.fetchall()}
            rows = []
            for pk, _name, score in best:
                if pk in found and set(filters) <= set(found[pk][3].split()):
                    rows.append((pk, found[pk][1], found[pk][2], score))
    return [row for row in rows if row[0] not in exclude][:FUZZY_LIMIT]


# -- facets, snippets ---------------------------------------------------------


def _facets(rows: list[Row]) -> dict[str, list[tuple[str, int]]]:
    counts: list[dict[str, int]] = [{}, {}, {}, {}]  # sector, country, themes, capabilities
    sectors, countries, themes, capabilities = counts
    for _pk, _name, facets, _score in rows:
        sector, country, theme_list, capability_list = [*facets.split("|"), "", "", ""][:4]
        sectors[sector] = sectors.get(sector, 0) + 1
        countries[country] = countries.get(country, 0) + 1
        if theme_list:
            for theme in theme_list.split(","):
                themes[theme] = themes.get(theme, 0) + 1
        if capability_list:
            for capability in capability_list.split(","):
                capabilities[capability] = capabilities.get(capability, 0) + 1

    def most_common(counter: dict[str, int]) -> list[tuple[str, int]]:
        return sorted(
            ((k, n) for k, n in counter.items() if k), key=lambda item: (-item[1], item[0])
        )

    return {
        "sector": most_common(sectors),
        "theme": most_common(themes),
        "capability": most_common(capabilities),
        "country": most_common(countries),
    }


def snippet(
    description: str, lexemes: set[str], language: str, size: int = 200
) -> list[tuple[str, bool]]:
    """A window of the description around the first matching word, as
    (text, matched) pieces for the template to mark up."""
    if not description:
        return []
    matches = []
    for match in text.WORD.finditer(description):
        word = match.group().lower()
        if (
            word in lexemes
            or text.stem(word, language) in lexemes
            or any(text.stem(part, language) in lexemes for part in text.decompound(word, language))
        ):
            matches.append(match.span())
    start = 0
    if matches and matches[0][0] > size // 2:
        start = description.rfind(" ", 0, matches[0][0] - size // 4) + 1
    end = min(len(description), start + size)
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
    if sort == "name":
        rows.sort(key=lambda row: (row[1], row[0]))
    else:
        rows.sort(key=lambda row: (row[0] in similar, -row[3], row[1], row[0]))
    count = len(rows)
    pages = max(1, -(-count // page_size))
    page = min(max(1, page), pages)
    ids = [row[0] for row in rows[(page - 1) * page_size : page * page_size]]
    organisations = Organisation.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("places", queryset=Place.objects.only("id", "name", "path"))
    )
    by_id = {o.pk: o for o in organisations}
    lexemes = text.query_lexemes(query)
    hits = [
        Hit(
            by_id[pk],
            snippet(by_id[pk].description, lexemes, by_id[pk].description_language),
            pk in similar,
        )
        for pk in ids
        if pk in by_id
    ]
    return Results(q, hits, count, capped, page, pages, _facets(rows))
