# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand

from samverka.directory.search import index


class Command(BaseCommand):
    help = (
        "Tidy the search index (PostgreSQL: merge the GIN pending lists, recount the "
        "name trigrams); with --rebuild, index every organisation again first; with "
        "--pending, write the rows imports listed and no task has written yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="re-create the whole index")
        parser.add_argument(
            "--pending", action="store_true", help="write the rows imports listed for the index"
        )

    def handle(self, *args, rebuild: bool = False, pending: bool = False, **options) -> None:
        if pending:
            count = index.index_pending()
            self.stdout.write(f"Indexed {count} listed organisations.")
        if rebuild:
            index.rebuild()  # ends with refresh_statistics()
        else:
            index.refresh_statistics()
        self.stdout.write("Search index ready.")
