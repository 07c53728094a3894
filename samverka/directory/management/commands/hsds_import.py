# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import Open Referral HSDS 3.0 organizations: all or nothing."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from samverka.directory import hsds


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import one HSDS 3.0 organization or a JSON array of them. Matched by id "
        "(uuid) or organisation number; new organisations are unclaimed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="JSON file; - reads stdin.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing."
        )

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        try:
            with transaction.atomic():
                result = hsds.import_organisations(hsds.load(text), by=None)
                if dry_run:
                    raise DryRun
        except hsds.HsdsError as error:
            raise CommandError(
                "Nothing imported:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        except DryRun:
            self.stdout.write("Dry run: nothing was changed.")
        for note in result.notes:
            self.stdout.write(f"note {note}")
        self.stdout.write(
            f"{len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
