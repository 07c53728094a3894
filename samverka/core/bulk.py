# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writing many rows at once: a larger SQLite page cache, and PostgreSQL indexes
rebuilt after a load rather than maintained row by row."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, connection, transaction

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


# How long a bulk load waits for the tables before it gives up the rebuild
# and writes through the indexes instead: readers queue behind a waiting
# ACCESS EXCLUSIVE lock, so the wait is kept short.
LOCK_WAIT = "2s"
# Sorting for the index rebuilds: 400,000 organisation keys fit in memory.
REBUILD_MEMORY = "256MB"


@dataclass
class _Deferred:
    table: str
    indexes: list[str]  # CREATE INDEX statements
    constraints: list[tuple[str, str]]  # (name, definition)


@contextmanager
def rebuilt_indexes(tables: Sequence[str]) -> Iterator[bool]:
    """PostgreSQL, inside a transaction: drop the tables' secondary indexes,
    unique constraints and foreign keys, yield True, and then recreate them
    exactly as they were, each index built in one sort and each foreign key
    checked in one query rather than row by row.

    For loads that at least double the tables: for 100,000 new organisations,
    maintaining their B-trees and the deferred foreign-key checks were two
    thirds of the server's work. The tables stay locked until the
    transaction ends, readers too, so this is for first loads. If the tables
    cannot be locked within LOCK_WAIT, or on SQLite, it yields False and
    changes nothing. On an error nothing is recreated here: the transaction's
    rollback restores everything.
    """
    if not tables or connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield False
        return
    if not _lock(tables):
        yield False
        return
    with connection.cursor() as cursor:
        _check_pending(cursor)
        deferred = [_defer(cursor, table) for table in tables]
    yield True
    with connection.cursor() as cursor:
        _check_pending(cursor)
        cursor.execute("SHOW maintenance_work_mem")
        memory = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [REBUILD_MEMORY])
        for item in deferred:
            for statement in item.indexes:
                cursor.execute(statement)
        # Unique constraints before the foreign keys that may need them.
        for item in deferred:
            for name, definition in sorted(item.constraints, key=lambda c: "FOREIGN" in c[1]):
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(item.table)} "
                    f"ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
                )
        cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])


def _check_pending(cursor: Any) -> None:
    """Check the transaction's deferred foreign keys now: PostgreSQL refuses
    to add or drop a constraint on a table with checks still pending. Django
    makes every foreign key deferred, so ALL DEFERRED restores its setting."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _lock(tables: Sequence[str]) -> bool:
    names = ", ".join(connection.ops.quote_name(t) for t in tables)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            waited = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_WAIT])
            cursor.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE")
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [waited])
    except OperationalError:  # lock_not_available; the savepoint's rollback undid the SET
        return False
    return True


def _defer(cursor: Any, table: str) -> _Deferred:
    # Indexes of their own (not a constraint's), other than the primary key.
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    # Foreign keys from the table, and unique constraints no foreign key uses.
    cursor.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND (c.contype = 'f' OR (c.contype = 'u' "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' "
        "AND f.conindid = c.conindid)))",
        [table],
    )
    constraints = cursor.fetchall()
    quoted = connection.ops.quote_name(table)
    for name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return _Deferred(table, [d for _n, d in indexes], constraints)
