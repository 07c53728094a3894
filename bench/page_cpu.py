# SPDX-License-Identifier: AGPL-3.0-or-later
"""CPU time per request of the search and list pages, in process (issue 5).

    DATABASE_URL=postgres://samverka:samverka@127.0.0.1:5432/samverka_bench \
        .venv/bin/python bench/page_cpu.py

Throughput on two shared cores follows the CPU a request costs, Python and the
database server together, and CPU time varies less than wall time on a busy
machine. For each page: `--requests` requests through Django's test client,
`--rounds` interleaved rounds; prints the median per request of this process's
CPU time and (PostgreSQL) of its server process's, read from /proc (Linux).
The database must hold `./run bench`'s dataset.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench import PAGES  # noqa: E402

NAMES = [name for name in PAGES if name.startswith(("organisation list", "search"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.get("/ping")
    server = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def server_cpu() -> float:
        if server is None:
            return 0.0
        fields = server.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in NAMES}
    for _round in range(args.rounds):
        for name in NAMES:
            for _ in range(5):
                assert client.get(PAGES[name]).status_code == 200
            ours, theirs = time.process_time(), server_cpu()
            for _ in range(args.requests):
                client.get(PAGES[name])
            runs[name].append(
                (
                    (time.process_time() - ours) / args.requests * 1000,
                    (server_cpu() - theirs) / args.requests * 1000,
                )
            )
    medians = {
        name: tuple(statistics.median(run[i] for run in runs[name]) for i in (0, 1))
        for name in NAMES
    }
    listed = sum(medians["organisation list"])
    print(f"{connection.vendor}: CPU ms per request (Python + database server), medians")
    for name, (python, database) in medians.items():
        total = python + database
        print(
            f"{name:32} {python:6.2f} + {database:5.2f} = {total:6.2f}"
            f"   list page / this: {listed / total:4.0%}"
        )


if __name__ == "__main__":
    main()
