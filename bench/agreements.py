# SPDX-License-Identifier: AGPL-3.0-or-later
"""In-process latency of the agreement documents and pages (issue 7).

    .venv/bin/python manage.py demo          # or on another DATABASE_URL
    .venv/bin/python bench/agreements.py [--repeat 50]

Uses the demo's Danish partnerskabsaftale for Østerbyen (5 parties, 10
contributions, 3 versions) and its demo user. Prints p50/p95 in ms.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from samverka.accounts.models import User  # noqa: E402
from samverka.agreements import documents  # noqa: E402
from samverka.agreements.models import Agreement  # noqa: E402


def timed(run: Callable[[], object], repeat: int) -> str:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    return f"p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    agreement = Agreement.objects.get(partnership__name="Østerbyen – stærkere sammen")
    number = agreement.version

    def newest():  # a fresh read each time, as a download does
        return Agreement.objects.get(pk=agreement.pk).versions.get(number=number)

    print(f"PDF                 {timed(lambda: documents.render_pdf(newest()), repeat)}")
    print(f"DOCX                {timed(lambda: documents.render_docx(newest()), repeat)}")
    client = Client()
    client.force_login(User.objects.get(email="mette.jensen@rodekors-esbjerg.example"))
    pages = {
        "agreement page": f"/agreements/{agreement.pk}/",
        "edit page": f"/agreements/{agreement.pk}/edit/",
        "contributions page": f"/agreements/{agreement.pk}/contributions/",
        "compare versions": f"/agreements/{agreement.pk}/versions/?a=1&b={number}",
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        print(f"{name:20}{timed(lambda url=url: client.get(url), repeat)}")


if __name__ == "__main__":
    main()
