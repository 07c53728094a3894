# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL: the search rows by sector and country, for a bounded first
look at a filtered search (see ``search.query._candidates``). SQLite's FTS5
table needs no such index: its posting lists are merged in order."""

from django.db import migrations

INDEX = "directory_search_sector_country"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON directory_search "
            "(split_part(facets, '|', 1), split_part(facets, '|', 2), organisation_id)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_search_pending")]

    operations = [migrations.RunPython(create, drop)]
