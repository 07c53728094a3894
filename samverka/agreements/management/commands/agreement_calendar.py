# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.core.management.base import BaseCommand

from samverka.agreements.tasks import run_agreement_calendar


class Command(BaseCommand):
    help = (
        "Daily: put approved agreements in force on their start date, expire those past "
        "their end date, and remind the parties of reviews and expiries within 30 days. "
        "Run it from cron or a systemd timer; --queue hands it to the task worker instead."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue", action="store_true", help="enqueue for the worker")

    def handle(self, *args: Any, queue: bool = False, **options: Any) -> None:
        if queue:
            result = run_agreement_calendar.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        counts = run_agreement_calendar.call()
        self.stdout.write(
            f"in force: {counts['in_force']}, expired: {counts['expired']}, "
            f"reminder e-mails: {counts['reminders']}"
        )
