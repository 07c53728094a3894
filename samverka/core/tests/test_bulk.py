# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.db import IntegrityError, connection, connections, transaction

from samverka.core import bulk
from samverka.directory.models import Capability, Organisation

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the rebuild is for PostgreSQL's bulk loads"
)
TABLES = [Organisation._meta.db_table, Capability._meta.db_table]


def schema():
    """What the tables' indexes and constraints are, as PostgreSQL states them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1",
            [TABLES],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1",
            [TABLES],
        )
        return indexes, cursor.fetchall()


def new_organisation():
    return Organisation.objects.create(name="Fritidsgården", country="SE", sector="other")


def test_it_drops_the_indexes_and_constraints_while_loading_and_recreates_them(db):
    before = schema()
    with transaction.atomic(), bulk.rebuilt_indexes(TABLES) as rebuilt:
        assert rebuilt
        indexes, constraints = schema()
        # Only the primary keys are left while rows go in.
        assert [name for name, _ in indexes] == [
            "directory_capability_pkey",
            "directory_organisation_pkey",
        ]
        assert [name for name, *_ in constraints] == [
            "directory_capability_pkey",
            "directory_organisation_pkey",
            "directory_organisation_version_check",  # checks cost little: kept
        ]
        organisation = new_organisation()
        Capability.objects.create(organisation=organisation, kind="premises")
    assert schema() == before
    assert len(before[0]) > 2 and any("FOREIGN KEY" in c[1] for c in before[1])
    with pytest.raises(IntegrityError), transaction.atomic():  # enforced again
        Capability.objects.create(organisation=organisation, kind="premises")


def test_a_load_that_breaks_a_constraint_fails_when_it_is_recreated(db):
    organisation = new_organisation()
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.rebuilt_indexes(TABLES):
        # Nothing checks this while the constraint is down: the rebuild does.
        Capability.objects.bulk_create(
            [Capability(organisation=organisation, kind="premises") for _ in range(2)]
        )
    assert Capability.objects.count() == 0
    assert len(schema()[0]) > 2


def test_an_error_while_loading_leaves_everything_as_it_was(db):
    before = schema()
    with pytest.raises(ValueError), transaction.atomic(), bulk.rebuilt_indexes(TABLES):
        new_organisation()
        raise ValueError("a row the load cannot take")
    assert schema() == before
    assert Organisation.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_changes_nothing():
    before = schema()
    with bulk.rebuilt_indexes(TABLES) as rebuilt:
        assert not rebuilt
        assert schema() == before


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_the_rebuild_when_someone_is_reading_the_tables(monkeypatch):
    """Readers queue behind a waiting exclusive lock: it waits briefly, then
    writes through the indexes instead."""
    monkeypatch.setattr(bulk, "LOCK_WAIT", "100ms")
    before = schema()
    reader = connections.create_connection("default")
    try:
        with reader.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f'SELECT count(*) FROM "{Organisation._meta.db_table}"')
            with transaction.atomic(), bulk.rebuilt_indexes(TABLES) as rebuilt:
                assert not rebuilt
                assert schema() == before
                with connection.cursor() as ours:  # the transaction goes on, as it was
                    ours.execute("SHOW lock_timeout")
                    assert ours.fetchone()[0] == "0"
            cursor.execute("ROLLBACK")
    finally:
        reader.close()
