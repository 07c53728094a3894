# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from samverka.core import backup


class Command(BaseCommand):
    help = "Back up the whole database to FILE (see docs/operations.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        backup.backup(file)
        self.stdout.write(f"Backed up: {file}")
