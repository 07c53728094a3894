# SPDX-License-Identifier: AGPL-3.0-or-later
"""Consistent online backup and restore of the whole database.

SQLite: the sqlite3 backup API (safe while the site runs). PostgreSQL:
pg_dump's custom format and pg_restore, with the connection from settings.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def backup(path: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args_and_env()
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args],
            env=env,
            check=True,
        )
    else:
        raise NotImplementedError(connection.vendor)


def restore(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(path)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()  # pg_restore must be able to drop and recreate tables
        args, env = _pg_args_and_env()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(path),
            ],
            env=env,
            check=True,
        )
    else:
        raise NotImplementedError(connection.vendor)
