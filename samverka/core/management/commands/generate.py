# SPDX-License-Identifier: AGPL-3.0-or-later
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverka.core.generate import FULL_SCALE, Progress, generate
from samverka.directory.models import Organisation


class Command(BaseCommand):
    help = (
        "Fill an empty database with a national-scale dataset, deterministic from --seed: "
        "all municipalities of SE/NO/DK with districts and neighbourhoods, "
        f"{FULL_SCALE['organisations']:,} organisations and {FULL_SCALE['users']:,} users at "
        "--scale 1."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reuse", action="store_true", help="do nothing if organisations already exist"
        )

    def handle(self, *args: Any, scale: float, seed: int, reuse: bool, **options: Any) -> None:
        if reuse and Organisation.objects.exists():
            self.stdout.write(f"Reusing {Organisation.objects.count():,} organisations.")
            return
        progress = Progress(out=self.stderr._out)
        start = time.perf_counter()
        try:
            counts = generate(scale=scale, seed=seed, progress=progress)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for part, seconds in progress.timings.items():
            self.stdout.write(f"  {part:14} {seconds:7.1f} s")
        total = time.perf_counter() - start
        rows = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(f"Generated {rows} in {total:.1f} s.")
