# SPDX-License-Identifier: AGPL-3.0-or-later
"""The search index: one row per organisation in a table the app maintains
(no triggers), written in batches.

PostgreSQL: ``directory_search`` (organisation_id, name, document tsvector,
facets) with a GIN index on the document and a trigram index on the name.
SQLite: FTS5 tables ``directory_search`` (rowid = organisation id) and
``directory_search_names`` (trigram tokenizer, for misspelled names), and the
plain table ``directory_search_rows`` with what a search reads per match.

Every filter value is a token of the document: ``s_<sector>``,
``t_<theme>``, ``c_<capability>``, ``n_<country>`` and ``p_<place id>`` for
every place served and each of its ancestors, so every filter is an index
match. User words never contain "_", so they cannot match these tokens.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.utils import translation

from samverka.directory.models import CapabilityKind, Organisation, Place
from samverka.directory.search import text

BATCH = 2000
TABLE = "directory_search"
NAMES = "directory_search_names"
ROWS = "directory_search_rows"
# PostgreSQL: names per in-word trigram (a materialized view, see refresh_statistics).
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


class _Batch:
    """The rows of one batch of organisations, read with four queries."""

    def __init__(self, ids: list[int], place_ids: dict[str, int]):
        self.orgs = list(
            Organisation.objects.filter(pk__any=ids)
            .order_by()
            .values_list(
                "id", "name", "description", "description_language", "sector", "country", "themes"
            )
        )
        present = [row[0] for row in self.orgs]
        self.capabilities: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.doors: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.places: dict[int, set[int]] = defaultdict(set)
        if not present:
            return
        from samverka.directory.models import Capability, EntryDoor

        for org, kind, detail in (
            Capability.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "kind", "detail")
        ):
            self.capabilities[org].append((kind, detail))
        for org, topic, who in (
            EntryDoor.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "topic", "who")
        ):
            self.doors[org].append((topic, who))
        through = Organisation.places.through
        for org, path in (
            through.objects.filter(organisation_id__any=present)
            .order_by()
            .values_list("organisation_id", "place__path")
        ):
            # "SE/1480/3/" → the place and its ancestors "SE/", "SE/1480/".
            segments = path.rstrip("/").split("/")
            for depth in range(1, len(segments) + 1):
                pid = place_ids.get("/".join(segments[:depth]) + "/")
                if pid is not None:
                    self.places[org].add(pid)


def _documents(batch: _Batch, labels: dict[str, str]) -> Iterator[dict[str, object]]:
    for org_id, name, description, language, sector, country, themes in batch.orgs:
        themes = [t for t in (themes or []) if isinstance(t, str)]
        capabilities = batch.capabilities.get(org_id, [])
        body_parts = [description]
        for kind, detail in capabilities:
            body_parts += [labels.get(kind, kind), detail]
        for topic, who in batch.doors.get(org_id, []):
            body_parts += [topic, who]
        filters = [
            filter_token("s", sector),
            filter_token("n", country),
            *(filter_token("t", theme) for theme in themes),
            *(filter_token("c", kind) for kind, _detail in capabilities),
            *(filter_token("p", pid) for pid in sorted(batch.places.get(org_id, ()))),
        ]
        facets = "|".join(
            [sector, country, ",".join(themes), ",".join(k for k, _d in capabilities)]
        )
        yield {
            "id": org_id,
            "name": name,
            "body": "\n".join(body_parts),
            "language": language if language in text.PG_CONFIG else "en",
            "filters": filters,
            "facets": facets,
        }


def _place_ids() -> dict[str, int]:
    return dict(Place.objects.order_by().values_list("path", "id"))


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
INSERT INTO {TABLE} (organisation_id, name, document, facets)
SELECT d.id, d.name,
       setweight(to_tsvector('simple', d.name), 'A')
       || setweight(to_tsvector(d.config::regconfig, d.name), 'A')
       || to_tsvector(d.config::regconfig, d.body)
       || array_to_tsvector(string_to_array(d.filters, ' ')),
       d.facets
FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
     AS d(id, name, body, config, filters, facets)
ON CONFLICT (organisation_id) DO UPDATE
SET name = EXCLUDED.name, document = EXCLUDED.document, facets = EXCLUDED.facets
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
    cursor.execute(PG_UPSERT, columns)


def _index_batch(ids: list[int], place_ids: dict[str, int], labels: dict[str, str]) -> None:
    docs = list(_documents(_Batch(ids, place_ids), labels))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _write_postgresql(cursor, ids, docs)
        else:
            _write_sqlite(cursor, ids, docs)


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
    place_ids = _place_ids()
    labels = _capability_labels()
    with transaction.atomic():
        for chunk in _chunks(ids, BATCH):
            _index_batch(chunk, place_ids, labels)
    if len(ids) >= TRIGRAMS_REFRESH_AT and connection.vendor == "postgresql":
        from samverka.directory.tasks import refresh_search_statistics

        transaction.on_commit(refresh_search_statistics.enqueue)


def refresh_statistics() -> None:
    """After many writes (PostgreSQL): merge the GIN indexes' pending lists,
    which every search otherwise scans (3 ms per index after a bulk load),
    and recount the names per trigram (2.6 s at 400,000 names). The counts
    only steer which trigrams a fuzzy name search reads first, so they may lag
    behind single edits; SQLite's fts5vocab is always current."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in ("directory_search_document", "directory_search_name_trgm"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        cursor.execute(f"REFRESH MATERIALIZED VIEW {TRIGRAMS}")


def rebuild() -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            if connection.vendor != "postgresql":
                cursor.execute(f"DELETE FROM {NAMES}")
                cursor.execute(f"DELETE FROM {ROWS}")
        ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
        place_ids = _place_ids()
        labels = _capability_labels()
        for chunk in _chunks(ids, BATCH):
            _index_batch(chunk, place_ids, labels)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
        refresh_statistics()
