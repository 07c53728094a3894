# SPDX-License-Identifier: AGPL-3.0-or-later
"""PostgreSQL: the search rows keep the name lower-cased, as ``sortname``
(SQLite's ``directory_search_rows`` already does). Every search ordered its
up to 1,001 matches by ``lower(name)``, about 1 ms of a filtered search;
trigram similarity and ILIKE ignore case, so the name search is unchanged.

At 400,000 organisations the update rewrites each row once and the indexes are
rebuilt (about a minute; the table is locked meanwhile). Going back only
renames the column.

A directory indexed before 0006 existed is indexed here on PostgreSQL
(0007 used to do it, in the earlier shape)."""

from django.db import migrations


def forwards(apps, schema_editor) -> None:
    from samverka.directory.search import rebuild

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE directory_search RENAME COLUMN name TO sortname")
    schema_editor.execute(
        "UPDATE directory_search SET sortname = lower(sortname) WHERE sortname <> lower(sortname)"
    )
    # Every row got a new version, and each index an entry for it: the text
    # index grew from 28 to 71 MB and a word with a place filter took 2-3
    # times as long until rebuilt (12 s at 400,000).
    schema_editor.execute("REINDEX TABLE directory_search")
    with connection.cursor() as cursor:
        # A directory older than the search index (0006) is indexed here.
        cursor.execute("SELECT EXISTS (SELECT 1 FROM directory_search)")
        if not cursor.fetchone()[0]:
            rebuild()


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE directory_search RENAME COLUMN sortname TO name")


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_search_trigram_counts_sqlite")]

    operations = [migrations.RunPython(forwards, backwards)]
