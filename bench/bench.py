# SPDX-License-Identifier: AGPL-3.0-or-later
"""Load benchmark of the key pages, on PostgreSQL and SQLite. Run it with `./run bench`.

For each database: generate (or reuse) the national-scale dataset, start the
production server (gunicorn, fixed workers) on 127.0.0.1, drive each page with
wrk for a bounded time after a one-second warm-up, in interleaved rounds, and
report the median requests/s,
p50/p95/p99 latency, errors, SQL queries per request, and the throughput as a
ratio of a trivial Django view on the same server.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
OUT = ROOT / "var" / "bench"

# name -> path; "trivial" is the yardstick. Later issues add their key pages here.
PAGES = {
    "trivial view": "/ping",
    "front page": "/",
    "organisation list": "/organisations/",
    "organisation list, filtered": "/organisations/?country=NO&sector=civil_society",
    "organisation page": "/organisations/{org}/",
    "API organisation list": "/api/organisations?limit=50",
    # Search (issue 5): a word in a third of all profiles, a rare one, and filters.
    "search, common word": "/organisations/search/?q=lokaler",
    "search, common word, filtered": "/organisations/search/?q=lokaler&country=SE&sector=business",
    "search, rare word": "/organisations/search/?q=Rinkeby",
    "API search, common word": "/api/search?q=lokaler",
    # Partnerships (issue 6): anonymous visitors see the public ones.
    "partnership list": "/partnerships/",
    "partnership list, joined late": "/partnerships/?late=on",
    "partnership page": "/partnerships/{partnership}/",
}


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "STATIC_ROOT": str(OUT / "static"),
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [str(PY), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout


def prepare(name: str, env: dict[str, str], scale: float) -> None:
    print(f"== {name}: migrate and generate (scale {scale})", flush=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    print(manage(env, "generate", "--scale", str(scale), "--reuse"), end="", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    env: dict[str, str], workers: int, log: Path
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log.write_text("")
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "samverka.wsgi",
            "--config",
            "samverka/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            # Production recycles a worker every ~5,000 requests; inside a run the
            # restart's cold second fell on whichever page came next.
            "--max-requests",
            "0",
            # %(D)s: microseconds the worker spent on the request (server side, no queueing).
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def server_times(log: Path, offset: int) -> tuple[dict[str, float], int]:
    """Server-side latency percentiles (ms) of the log lines written since offset."""
    with log.open() as file:
        file.seek(offset)
        lines = file.read().splitlines()
        offset = file.tell()
    times = sorted(int(line.split()[1]) / 1000 for line in lines if line.strip())
    if not times:
        return {"server_p50_ms": 0.0, "server_p95_ms": 0.0, "server_p99_ms": 0.0}, offset

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))]

    return {"server_p50_ms": pct(50), "server_p95_ms": pct(95), "server_p99_ms": pct(99)}, offset


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            url,
        ],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / result["duration_s"]
    return result


def pages_for(env: dict[str, str]) -> dict[str, str]:
    middle = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from samverka.directory.models import Organisation as O;"
        "print(O.objects.order_by('id').values_list('id', flat=True)[O.objects.count() // 2])",
    ).strip()
    public = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from samverka.partnerships.models import Partnership as P;"
        "print(P.objects.filter(visibility='public').order_by('id').values_list('id', flat=True)"
        "[P.objects.filter(visibility='public').count() // 2])",
    ).strip()
    return {name: path.format(org=middle, partnership=public) for name, path in PAGES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument(
        "--pages", help="only the pages whose name contains one of these, comma-separated"
    )
    args = parser.parse_args()
    if args.pages:
        wanted = [part.strip() for part in args.pages.split(",")]
        for page in [p for p in PAGES if p != "trivial view"]:
            if not any(part in page for part in wanted):
                del PAGES[page]
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (./run bench installs it)")

    OUT.mkdir(parents=True, exist_ok=True)
    databases = {
        "postgresql": args.postgres or "postgres://samverka:samverka@127.0.0.1:5432/samverka_bench",
        "sqlite": f"sqlite:///{OUT / f'bench-{args.scale}.sqlite3'}",
    }
    if args.only:
        databases = {args.only: databases[args.only]}
    envs = {name: environment(url) for name, url in databases.items()}
    manage(next(iter(envs.values())), "collectstatic", "--noinput", "-v", "0")
    for name, env in envs.items():
        prepare(name, env, args.scale)

    logs = {name: OUT / f"access-{name}.log" for name in envs}
    servers = {name: start_server(env, args.workers, logs[name]) for name, env in envs.items()}
    offsets = dict.fromkeys(envs, 0)
    pages = {name: pages_for(env) for name, env in envs.items()}
    queries = {
        name: json.loads(
            subprocess.run(
                [str(PY), "bench/queries.py", json.dumps(pages[name])],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
        )
        for name, env in envs.items()
    }
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        for round_number in range(1, args.rounds + 1):
            for page in PAGES:  # interleaved: every page and database in every round
                for name, (_process, base) in servers.items():
                    print(f"round {round_number}: {name:10} {page}", flush=True)
                    wrk(base + pages[name][page], 1, args.connections)  # warm-up
                    time.sleep(0.5)
                    _times, offsets[name] = server_times(logs[name], offsets[name])
                    result = wrk(base + pages[name][page], args.seconds, args.connections)
                    time.sleep(0.5)  # let the workers flush the access log
                    times, offsets[name] = server_times(logs[name], offsets[name])
                    runs.setdefault((name, page), []).append(result | times)
    finally:
        for process, _base in servers.values():
            process.terminate()
            process.wait(timeout=20)

    report(runs, queries, args)


def report(runs, queries, args) -> None:
    def median(name: str, page: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[(name, page)])

    rows = []
    databases = sorted({name for name, _page in runs})
    for page in PAGES:
        for name in databases:
            rps = median(name, page, "rps")
            rows.append(
                {
                    "page": page,
                    "database": name,
                    "rps": rps,
                    "p50_ms": median(name, page, "p50_ms"),
                    "p95_ms": median(name, page, "p95_ms"),
                    "p99_ms": median(name, page, "p99_ms"),
                    "server_p50_ms": median(name, page, "server_p50_ms"),
                    "server_p95_ms": median(name, page, "server_p95_ms"),
                    "server_p99_ms": median(name, page, "server_p99_ms"),
                    "errors": sum(r["errors"] for r in runs[(name, page)]),
                    "queries": queries[name][page]["queries"],
                    "ratio_to_trivial": rps / median(name, "trivial view", "rps"),
                }
            )
    lines = [
        f"Machine: {os.cpu_count()} cores; gunicorn {args.workers} sync workers; "
        f"wrk {args.connections} connections, {args.seconds} s x {args.rounds} interleaved "
        f"rounds (medians); scale {args.scale}.",
        "",
        "Latency: client side (wrk, includes queueing for a worker) and server side "
        "(gunicorn's time per request).",
        "",
        "| page | database | req/s | vs trivial | client p50/p95/p99 ms | "
        "server p50/p95/p99 ms | errors | queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['database']} | {r['rps']:.0f} | {r['ratio_to_trivial']:.0%} | "
            f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f} | "
            f"{r['server_p50_ms']:.1f} / {r['server_p95_ms']:.1f} / {r['server_p99_ms']:.1f} | "
            f"{r['errors']} | {r['queries']} |"
        )
    if set(databases) == {"postgresql", "sqlite"}:
        lines += ["", "PostgreSQL throughput as a share of SQLite's:"]
        for page in PAGES:
            share = median("postgresql", page, "rps") / median("sqlite", page, "rps")
            lines.append(f"- {page}: {share:.0%}")
    for name in databases:
        unfiltered = median(name, "organisation list", "p50_ms")
        filtered = median(name, "organisation list, filtered", "p50_ms")
        lines.append(f"- {name}: unfiltered list p50 is {unfiltered / filtered:.2f}x the filtered")
    text = "\n".join(lines)
    print("\n" + text)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"results-{stamp}.md").write_text(text + "\n")
    (OUT / f"results-{stamp}.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "runs": {f"{name} | {page}": values for (name, page), values in runs.items()},
            },
            indent=2,
        )
    )
    print(f"\nSaved to {OUT}/results-{stamp}.md")


if __name__ == "__main__":
    main()
