# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.core.management.base import BaseCommand

from samverka.accounts.privacy import purge_expired_personal_data
from samverka.accounts.tasks import purge_personal_data


class Command(BaseCommand):
    help = (
        "Apply the personal-data retention setting. Run daily (cron or a systemd timer); "
        "by default it queues the work for the task worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            self.stdout.write(f"Purged: {purge_expired_personal_data()}")
        else:
            result = purge_personal_data.enqueue()
            self.stdout.write(f"Queued task {result.id}")
