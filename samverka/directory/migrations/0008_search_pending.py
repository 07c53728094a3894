# SPDX-License-Identifier: AGPL-3.0-or-later
"""Organisations whose search rows are still to be written.

An import commits the directory and lists what it changed here, in the same
transaction; a background task then writes the search rows and empties the
list. Indexing inside the import took 35-50 % of its time, and a crash
between the two leaves the list to finish from (``search_index --pending``).
"""

from django.db import migrations

CREATE = "CREATE TABLE directory_search_pending (organisation_id integer PRIMARY KEY)"
DROP = "DROP TABLE IF EXISTS directory_search_pending"


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_search_rows")]

    operations = [migrations.RunSQL(CREATE, DROP)]
