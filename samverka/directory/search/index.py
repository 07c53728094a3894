# SPDX-License-Identifier: AGPL-3.0-or-later
"""The search index: one row per organisation in a table the app maintains
(no triggers), written in batches.

PostgreSQL: ``directory_search`` (organisation_id, sortname (the name
lower-cased), document tsvector, facets) with a GIN index on the document and
a trigram index on the name.
SQLite: FTS5 tables ``directory_search`` (rowid = organisation id) and
``directory_search_names`` (trigram tokenizer, for misspelled names), and the
plain table ``directory_search_rows`` with what a search reads per match.

Edits reindex their organisation in their own transaction. An import instead
lists what it changed in ``directory_search_pending`` (see ``queue``) and a
background task writes those rows (``index_pending``), a batch per
transaction.

Every filter value is a token of the document: ``s_<sector>``,
``t_<theme>``, ``c_<capability>``, ``n_<country>`` and ``p_<place id>`` for
every place served and each of its ancestors, so every filter is an index
match. User words never contain "_", so they cannot match these tokens.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import psycopg
from django.db import connection, transaction
from django.utils import translation

from samverka.core.bulk import large_cache
from samverka.directory.models import CapabilityKind, Organisation, Place, path_prefixes
from samverka.directory.search import text

BATCH = 2000
TABLE = "directory_search"
NAMES = "directory_search_names"
ROWS = "directory_search_rows"
PENDING = "directory_search_pending"
# Names per in-word trigram (PostgreSQL: a materialized view; SQLite: a table),
# counted by refresh_statistics.
TRIGRAMS = "directory_search_trigrams"
# Re-indexing this many organisations refreshes the statistics afterwards.
TRIGRAMS_REFRESH_AT = 1000


def _capability_labels() -> dict[str, str]:
    """Each capability's label in all four languages, as searchable text."""
    labels: dict[str, list[str]] = defaultdict(list)
    for language in text.LANGUAGES:
        with translation.override(language):
            for kind in CapabilityKind:
                labels[kind.value].append(str(kind.label))
    return {kind: " ".join(dict.fromkeys(names)) for kind, names in labels.items()}


def filter_token(kind: str, value: object) -> str:
    return f"{kind}_{str(value).lower()}"


@dataclass(slots=True)
class Source:
    """What one organisation's index row is made of."""

    id: int
    name: str
    description: str
    language: str
    sector: str
    country: str
    themes: Sequence[str]
    capabilities: Sequence[tuple[str, str]]  # (kind, detail)
    doors: Sequence[tuple[str, str]]  # (topic, who)
    places: Iterable[int]  # the places served; their ancestors are added here


def _ancestors() -> dict[int, tuple[int, ...]]:
    """Each place's id with its ancestors' ids ("SE/1480/3/" → "SE/", "SE/1480/", itself)."""
    rows = list(Place.objects.order_by().values_list("id", "path"))
    by_path = {path: pk for pk, path in rows}
    ancestors = {}
    for pk, path in rows:
        ancestors[pk] = tuple(by_path[p] for p in path_prefixes(path) if p in by_path)
    return ancestors


def read_sources(ids: list[int], *, lock: bool = False) -> list[Source]:
    """The sources of these organisations, read with four queries. With
    ``lock`` (PostgreSQL), an edit of one of them waits until the caller's
    transaction ends, so the caller cannot write an index row older than the
    edit's own."""
    from samverka.directory.models import Capability, EntryDoor

    organisations = Organisation.objects.filter(pk__any=ids)
    if lock and connection.vendor == "postgresql":
        # FOR NO KEY UPDATE in id order: conflicts with an edit's UPDATE, not
        # with foreign keys being checked against these rows.
        organisations = organisations.select_for_update(no_key=True).order_by("pk")
    else:
        organisations = organisations.order_by()
    orgs = list(
        organisations.values_list(
            "id", "name", "description", "description_language", "sector", "country", "themes"
        )
    )
    present = [row[0] for row in orgs]
    capabilities: dict[int, list[tuple[str, str]]] = defaultdict(list)
    doors: dict[int, list[tuple[str, str]]] = defaultdict(list)
    places: dict[int, list[int]] = defaultdict(list)
    if present:
        for org, kind, detail in (
            Capability.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "kind", "detail")
        ):
            capabilities[org].append((kind, detail))
        for org, topic, who in (
            EntryDoor.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "topic", "who")
        ):
            doors[org].append((topic, who))
        for org, place in (
            Organisation.places.through.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "place_id")
        ):
            places[org].append(place)
    return [
        Source(
            pk,
            name,
            description,
            language,
            sector,
            country,
            [t for t in (themes or []) if isinstance(t, str)],
            capabilities.get(pk, ()),
            doors.get(pk, ()),
            places.get(pk, ()),
        )
        for pk, name, description, language, sector, country, themes in orgs
    ]


class Indexer:
    """Writes index rows; made once per reindex or import (it reads the
    places and the capability labels)."""

    def __init__(self) -> None:
        self.labels = _capability_labels()
        self.ancestors = _ancestors()
        self.postgres = connection.vendor == "postgresql"

    def write(self, cursor, ids: list[int], sources: Iterable[Source]) -> None:
        """Replace the rows of ``ids`` by the sources' (ids without a source
        lose their row)."""
        docs = list(self._documents(sources))
        if self.postgres:
            _write_postgresql(cursor, ids, docs)
        else:
            _write_sqlite(cursor, ids, docs)

    def _documents(self, sources: Iterable[Source]) -> Iterator[dict[str, object]]:
        labels, ancestors = self.labels, self.ancestors
        for source in sources:
            themes, capabilities = source.themes, source.capabilities
            body_parts = [source.description]
            for kind, detail in capabilities:
                body_parts += [labels.get(kind, kind), detail]
            for topic, who in source.doors:
                body_parts += [topic, who]
            places = sorted({a for pid in source.places for a in ancestors.get(pid, ())})
            filters = [
                filter_token("s", source.sector),
                filter_token("n", source.country),
                *(filter_token("t", theme) for theme in themes),
                *(filter_token("c", kind) for kind, _detail in capabilities),
                *(filter_token("p", pid) for pid in places),
            ]
            facets = "|".join(
                [
                    source.sector,
                    source.country,
                    ",".join(themes),
                    ",".join(k for k, _d in capabilities),
                ]
            )
            yield {
                "id": source.id,
                "name": source.name,
                "body": "\n".join(body_parts),
                "language": source.language if source.language in text.PG_CONFIG else "en",
                "filters": filters,
                "facets": facets,
            }


def _write_sqlite(cursor, ids: list[int], docs: list[dict[str, object]]) -> None:
    rows, names, found = [], [], []
    for doc in docs:
        language = str(doc["language"])
        name_words = text.words(str(doc["name"]))
        body = " ".join(
            text.index_terms(word, language)
            for word in [*name_words, *text.words(str(doc["body"]))]
        )
        filters = " ".join(doc["filters"])  # type: ignore[arg-type]
        rows.append((doc["id"], " ".join(name_words), body, filters))
        found.append((doc["id"], str(doc["name"]).lower(), doc["facets"], filters))
        names.append((doc["id"], doc["name"]))
    marks = ",".join(["%s"] * len(ids))
    for table, key in ((TABLE, "rowid"), (NAMES, "rowid"), (ROWS, "id")):
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", ids)
    cursor.executemany(
        f"INSERT INTO {TABLE} (rowid, name, body, filters) VALUES (%s, %s, %s, %s)", rows
    )
    cursor.executemany(
        f"INSERT INTO {ROWS} (id, sortname, facets, filters) VALUES (%s, %s, %s, %s)", found
    )
    cursor.executemany(f"INSERT INTO {NAMES} (rowid, name) VALUES (%s, %s)", names)


PG_UPSERT = f"""
INSERT INTO {TABLE} (organisation_id, sortname, document, facets)
SELECT d.id, lower(d.name),
       setweight(to_tsvector('simple', d.name), 'A')
       || setweight(to_tsvector(d.config::regconfig, d.name), 'A')
       || to_tsvector(d.config::regconfig, d.body)
       || array_to_tsvector(string_to_array(d.filters, ' ')),
       d.facets
FROM unnest({{P}}::int[], {{P}}::text[], {{P}}::text[], {{P}}::text[], {{P}}::text[], {{P}}::text[])
     AS d(id, name, body, config, filters, facets)
ON CONFLICT (organisation_id) DO UPDATE
SET sortname = EXCLUDED.sortname, document = EXCLUDED.document, facets = EXCLUDED.facets
"""


def _write_postgresql(cursor, ids: list[int], docs: list[dict[str, object]]) -> None:
    present = {doc["id"] for doc in docs}
    gone = [pk for pk in ids if pk not in present]
    if gone:
        cursor.execute(f"DELETE FROM {TABLE} WHERE organisation_id = ANY(%s)", [gone])
    if not docs:
        return
    columns: list[list[object]] = [[], [], [], [], [], []]
    for doc in docs:
        language = str(doc["language"])
        body = str(doc["body"])
        # PostgreSQL stems the text; the compound parts are added as words.
        parts = " ".join(
            p
            for p in (
                text.extra_parts(word, language) for word in text.words(f"{doc['name']} {body}")
            )
            if p
        )
        columns[0].append(doc["id"])
        columns[1].append(doc["name"])
        columns[2].append(f"{body}\n{parts}")
        columns[3].append(text.PG_CONFIG[language])
        columns[4].append(" ".join(doc["filters"]))  # type: ignore[arg-type]
        columns[5].append(doc["facets"])
    # Binary parameters: PostgreSQL parses six text arrays of 2,000 elements
    # in 23 ms, their binary form in 7 ms (a third of the whole upsert).
    binary = not isinstance(cursor.cursor, psycopg.ClientCursor)
    cursor.execute(PG_UPSERT.replace("{P}", "%b" if binary else "%s"), columns)


def _index_batch(ids: list[int], indexer: Indexer) -> None:
    with connection.cursor() as cursor:
        indexer.write(cursor, ids, read_sources(ids))


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for pk in ids:
        chunk.append(int(pk))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def reindex(organisation_ids: Iterable[int]) -> None:
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    indexer = Indexer()
    with transaction.atomic():
        for chunk in _chunks(ids, BATCH):
            _index_batch(chunk, indexer)
    wrote_many(len(ids))


def queue(cursor, ids: list[int]) -> None:
    """List organisations whose search rows ``index_pending`` is to write;
    in the caller's transaction, so only what commits gets indexed."""
    if not ids:
        return
    if connection.vendor == "postgresql":
        binary = not isinstance(cursor.cursor, psycopg.ClientCursor)
        cursor.execute(
            f"INSERT INTO {PENDING} SELECT unnest({'%b' if binary else '%s'}::int[]) "
            "ON CONFLICT DO NOTHING",
            [ids],
        )
    else:
        cursor.executemany(f"INSERT OR IGNORE INTO {PENDING} VALUES (%s)", [(pk,) for pk in ids])


def queue_new(cursor, runs: list[tuple[int, int]]) -> None:
    """PostgreSQL: list organisations just numbered by the sequence, as runs
    of consecutive ids. A sequence never hands out an id twice, so none can be
    listed already and the insert needs no ON CONFLICT (which cost 0.1 s per
    100,000)."""
    assert connection.vendor == "postgresql"
    if runs:
        cursor.executemany(f"INSERT INTO {PENDING} SELECT generate_series(%s::int, %s::int)", runs)


def queued(count: int) -> None:
    """After ``queue``: once the transaction commits, start the indexing task."""
    if count:
        from samverka.directory.tasks import index_pending_organisations

        transaction.on_commit(index_pending_organisations.enqueue)


def pending_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {PENDING}")
        return cursor.fetchone()[0]


# Takes a batch off the list. PostgreSQL: SKIP LOCKED lets two workers share
# the list, and ARRAY() runs the inner query once (as an IN subquery, with the
# list's statistics not yet gathered, it was rerun per row: minutes at 100,000).
# SQLite has one writer at a time, and evaluates IN (SELECT ...) once.
CLAIM_POSTGRESQL = (
    f"DELETE FROM {PENDING} WHERE organisation_id = ANY(ARRAY(SELECT organisation_id "
    f"FROM {PENDING} ORDER BY organisation_id LIMIT %s FOR UPDATE SKIP LOCKED)) "
    "RETURNING organisation_id"
)
CLAIM_SQLITE = (
    f"DELETE FROM {PENDING} WHERE organisation_id IN (SELECT organisation_id FROM {PENDING} "
    "ORDER BY organisation_id LIMIT %s) RETURNING organisation_id"
)


def index_pending(*, batch: int = BATCH, progress: Callable[[int], None] | None = None) -> int:
    """Write the search rows of every listed organisation, a batch per
    transaction (a failure keeps the rest listed); returns how many."""
    postgres = connection.vendor == "postgresql"
    claim = CLAIM_POSTGRESQL if postgres else CLAIM_SQLITE
    with large_cache():
        done = _index_listed(claim, postgres, batch, progress)
    if done >= TRIGRAMS_REFRESH_AT:
        from samverka.directory.tasks import refresh_search_statistics

        refresh_search_statistics.enqueue()
    return done


def _index_listed(
    claim: str, postgres: bool, batch: int, progress: Callable[[int], None] | None
) -> int:
    indexer: Indexer | None = None
    done = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(claim, [batch])
            ids = sorted(pk for (pk,) in cursor.fetchall())
            if not ids:
                break
            indexer = indexer or Indexer()
            indexer.write(cursor, ids, read_sources(ids, lock=True))
        done += len(ids)
        if progress:
            progress(done)
    return done


def wrote_many(count: int) -> None:
    """After (re)indexing ``count`` organisations: once the transaction
    commits, queue the statistics refresh if that is many."""
    if count >= TRIGRAMS_REFRESH_AT:
        from samverka.directory.tasks import refresh_search_statistics

        transaction.on_commit(refresh_search_statistics.enqueue)


def refresh_statistics() -> None:
    """After many writes: recount the names per trigram (PostgreSQL 2.6 s,
    SQLite 0.3 s at 400,000 names); on PostgreSQL also merge the GIN indexes'
    pending lists, which every search otherwise scans (3 ms per index after a
    bulk load), and analyze the table. The counts only steer which trigrams a
    fuzzy name search reads first, so they may lag behind single edits."""
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TRIGRAMS}")
            cursor.execute(f"INSERT INTO {TRIGRAMS} SELECT term, doc FROM {NAMES}_vocab")
        return
    with connection.cursor() as cursor:
        for name in ("directory_search_document", "directory_search_name_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute(f"REFRESH MATERIALIZED VIEW {TRIGRAMS}")
        # Fresh statistics for the planner, including the expression index of
        # migration 0009 (autovacuum may take a while after a bulk load).
        cursor.execute(f"ANALYZE {TABLE}")


def rebuild() -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            # Migrations 0006-0007 rebuild before 0008 makes the list.
            if PENDING in connection.introspection.table_names(cursor):
                cursor.execute(f"DELETE FROM {PENDING}")
            if connection.vendor != "postgresql":
                cursor.execute(f"DELETE FROM {NAMES}")
                cursor.execute(f"DELETE FROM {ROWS}")
        ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        indexer = Indexer()
        for chunk in _chunks(ids, BATCH):
            _index_batch(chunk, indexer)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
        refresh_statistics()
