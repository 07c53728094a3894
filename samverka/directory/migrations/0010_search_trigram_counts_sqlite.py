# SPDX-License-Identifier: AGPL-3.0-or-later
"""SQLite: the names per trigram, kept in a table as PostgreSQL keeps them in
a materialized view (0007), refreshed by ``refresh_statistics``.

Counting them through fts5vocab reads every posting list: 0.2-1.2 s at
400,000 names, paid by the first fuzzy search of each web process and again
every ten minutes. The table is read in 2 ms."""

from django.db import migrations

TABLE = "directory_search_trigrams"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TABLE {TABLE} (trigram text PRIMARY KEY, docs integer NOT NULL) WITHOUT ROWID"
        )
        schema_editor.execute(
            f"INSERT INTO {TABLE} SELECT term, doc FROM directory_search_names_vocab"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_search_sector_probe")]

    operations = [migrations.RunPython(create, drop)]
