# SPDX-License-Identifier: AGPL-3.0-or-later
"""/healthz: 200 when the database answers a query, 503 when it does not, also
on a kept connection the server has dropped."""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse


def test_it_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_answers_503_when_the_database_fails(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    connection.ensure_connection()  # the kept connection of a running server
    with monkeypatch.context() as patch:  # undone before the test database is cleaned
        patch.setattr(connection, "cursor", unreachable)
        response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server to cut off")
def test_it_answers_503_when_postgresql_drops_the_kept_connection(client, transactional_db):
    assert client.get(reverse("core:healthz")).status_code == 200
    name = connection.settings_dict["NAME"]
    db = connection.settings_dict
    admin = {key.lower(): db[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if db[key]}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as other:
        # The server ends our kept connection and refuses new ones: the database is gone.
        other.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        try:
            other.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            response = client.get(reverse("core:healthz"))
        finally:
            other.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
    connection.close()  # what the end of a request does with a broken connection

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert client.get(reverse("core:healthz")).status_code == 200
