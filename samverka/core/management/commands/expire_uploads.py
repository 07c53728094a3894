# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.core.management.base import BaseCommand

from samverka.core.tasks import expire_uploads


class Command(BaseCommand):
    help = (
        "Hourly: mark jobs whose worker stopped as failed, delete uploads of imports "
        "never committed after SAMVERKA_UPLOAD_RETENTION_HOURS, and temporary upload "
        "files of interrupted requests in FILE_UPLOAD_TEMP_DIR. --queue hands it to the "
        "task worker instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="store_true", help="enqueue for the worker")

    def handle(self, *args: Any, queue: bool = False, **options: Any) -> None:
        if queue:
            result = expire_uploads.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        counts = expire_uploads.call()
        self.stdout.write(
            f"stopped jobs failed: {counts['stopped_jobs']}, uploads deleted: "
            f"{counts['uploads']}, temporary files deleted: {counts['temporary_files']}"
        )
