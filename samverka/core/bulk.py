# SPDX-License-Identifier: AGPL-3.0-or-later
"""Settings for writing many rows at once."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# SQLite's default page cache is 2 MB. Inserting 100,000 organisations
# updates seven B-trees with keys in no order (names, numbers, uuids), which
# keeps evicting and re-reading pages: 5.7 s with the default, 3.6 s with
# 256 MB (the rows alone, from empty). Memory is only taken as pages are
# read, and shrinking the cache afterwards gives it back.
SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def large_cache() -> Iterator[None]:
    """On SQLite, a large page cache for this connection while bulk writing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
