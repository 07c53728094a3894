# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-process latency of the search function at national scale (issue 5).

    DATABASE_URL=sqlite:////tmp/search-bench.sqlite3 .venv/bin/python bench/search.py
    DATABASE_URL=postgres://…/samverka_searchbench .venv/bin/python bench/search.py

The database must hold a generated dataset (`manage.py generate --scale 1`,
which builds the search index). Prints p50/p95/max in ms per case, each case
run `--repeat` times after one warm-up, with the hit count it reports.
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

from django.db import connection  # noqa: E402

from samverka.directory.models import Place  # noqa: E402
from samverka.directory.search import search  # noqa: E402
from samverka.directory.search.query import Filters  # noqa: E402


def cases() -> dict[str, tuple[str, Filters, str]]:
    stockholm = Place.objects.filter(name="Stockholm", kind="municipality").first()
    place = stockholm.pk if stockholm else None
    return {
        "common word (lokaler)": ("lokaler", Filters(), "relevance"),
        "common word, sorted by name": ("lokaler", Filters(), "name"),
        "common word + sector + country": (
            "lokaler",
            Filters(sector="civil_society", country="SE"),
            "relevance",
        ),
        "common word + place (Stockholm and within)": (
            "lokaler",
            Filters(place=place),
            "relevance",
        ),
        "compound part (vandring)": ("vandring", Filters(), "relevance"),
        "two words (hjälp med läxor)": ("hjälp med läxor", Filters(), "relevance"),
        # Words with related words and a theme (issue 20): three tiers.
        "related words + theme (ungdom)": ("ungdom", Filters(), "relevance"),
        "related words + theme (idrott)": ("idrott", Filters(), "relevance"),
        "related words, two words (young people)": ("young people", Filters(), "relevance"),
        "related words + sector + country (unga)": (
            "unga",
            Filters(sector="civil_society", country="SE"),
            "relevance",
        ),
        "related words, no theme (frivilliga)": ("frivilliga", Filters(), "relevance"),
        "related words + theme, sorted by name (ungdom)": ("ungdom", Filters(), "name"),
        "rare word (name of one place)": ("Rinkeby", Filters(), "relevance"),
        "rare word + theme": ("Rinkeby", Filters(theme="education"), "relevance"),
        "filters only (theme + capability)": (
            "",
            Filters(theme="safety", capability="premises"),
            "relevance",
        ),
        "no hits: misspelled name (fuzzy)": ("Läxhjälpen Rinkeb", Filters(), "relevance"),
        "no hits at all": ("xyzzyqwerty", Filters(), "relevance"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print(f"{connection.vendor}, {args.repeat} runs per case")
    print(f"{'case':46} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  hits")
    for name, (q, filters, sort) in cases().items():
        search(q, filters=filters, sort=sort)  # warm-up
        times = []
        for i in range(args.repeat):
            start = time.perf_counter()
            results = search(q, filters=filters, sort=sort, page=1 + i % 3)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        count = f"{results.count}{'+' if results.capped else ''}"
        print(f"{name:46} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}  {count}")


if __name__ == "__main__":
    main()
