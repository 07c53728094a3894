# SPDX-License-Identifier: AGPL-3.0-or-later
"""The full-text search index (issue 5), a table the app maintains itself.

Its shape differs per database, so it is created with SQL here rather than as
a model: see samverka/directory/search/index.py.
"""

from django.db import migrations

POSTGRESQL = [
    """CREATE TABLE directory_search (
        organisation_id integer PRIMARY KEY,
        name text NOT NULL,
        document tsvector NOT NULL,
        facets text NOT NULL
    )""",
    "CREATE INDEX directory_search_document ON directory_search USING gin (document)",
    "CREATE INDEX directory_search_name_trgm ON directory_search USING gin (name gin_trgm_ops)",
]
SQLITE = [
    # rowid = organisation id. Words arrive stemmed from Python; "_" joins
    # the filter tokens (s_civil_society, p_123).
    """CREATE VIRTUAL TABLE directory_search USING fts5(
        name, body, filters, facets UNINDEXED, sortname UNINDEXED,
        tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    )""",
    "CREATE VIRTUAL TABLE directory_search_names USING fts5(name, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE directory_search_names_vocab"
    " USING fts5vocab(directory_search_names, 'row')",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            if cursor.fetchone() is None:
                try:
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                except Exception as error:
                    raise RuntimeError(
                        "Search needs the PostgreSQL extension pg_trgm, and it could not be "
                        "created. Install the postgresql-contrib package, or have a superuser "
                        "run `CREATE EXTENSION pg_trgm;` in this database, then migrate "
                        f"again. ({error})"
                    ) from error
        statements = POSTGRESQL
    elif connection.vendor == "sqlite":
        statements = SQLITE
    else:
        raise RuntimeError(f"Search supports PostgreSQL and SQLite, not {connection.vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    tables = ["directory_search"]
    if schema_editor.connection.vendor == "sqlite":
        tables = ["directory_search_names_vocab", "directory_search_names", "directory_search"]
    for table in tables:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def index_existing(apps, schema_editor):
    """The index is finished and filled by 0007_search_rows."""


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_profile_capabilities_claims")]

    operations = [
        migrations.RunPython(create, drop),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
