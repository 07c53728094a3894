# SPDX-License-Identifier: AGPL-3.0-or-later
"""SQLite: what a search reads per match (sort name, facets, filters) moves
out of the FTS5 table into a plain table keyed by organisation id.

FTS5 stores its UNINDEXED columns after the long body text, so reading them for
1,000 matches followed overflow pages (2.9 ms for a common word); a narrow
table beside it takes 1.1 ms.

PostgreSQL: how many names hold each in-word trigram, so that a misspelled
name is looked up by its rarest trigrams (as SQLite does with fts5vocab)
instead of rechecking every name that shares a common one (150 ms).
"""

from django.db import migrations

SQLITE = [
    "DROP TABLE IF EXISTS directory_search",
    # rowid = organisation id. Words arrive stemmed from Python; "_" joins
    # the filter tokens (s_civil_society, p_123).
    """CREATE VIRTUAL TABLE directory_search USING fts5(
        name, body, filters,
        tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    )""",
    """CREATE TABLE directory_search_rows (
        id integer PRIMARY KEY,
        sortname text NOT NULL,
        facets text NOT NULL,
        filters text NOT NULL
    )""",
]
POSTGRESQL = [
    """CREATE MATERIALIZED VIEW directory_search_trigrams AS
       SELECT substr(w.word, i, 3) AS trigram, count(*)::int AS docs
       FROM directory_search s,
            regexp_split_to_table(lower(s.name), '[^[:alnum:]]+') AS w(word),
            generate_series(1, length(w.word) - 2) AS i
       GROUP BY 1""",
]
SQLITE_BACK = [
    "DROP TABLE IF EXISTS directory_search_rows",
    "DROP TABLE IF EXISTS directory_search",
    """CREATE VIRTUAL TABLE directory_search USING fts5(
        name, body, filters, facets UNINDEXED, sortname UNINDEXED,
        tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    )""",
]


def forwards(apps, schema_editor):
    from samverka.directory.search import rebuild

    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)
        # Filled by 0011, in the shape the indexing code now writes.
        return
    else:
        for statement in SQLITE:
            schema_editor.execute(statement)
    rebuild()


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP MATERIALIZED VIEW IF EXISTS directory_search_trigrams")
        return
    for statement in SQLITE_BACK:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
