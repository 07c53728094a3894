# SPDX-License-Identifier: AGPL-3.0-or-later
from django.core.management.base import BaseCommand

from samverka.directory.search import index


class Command(BaseCommand):
    help = (
        "Tidy the search index (PostgreSQL: merge the GIN pending lists, recount the "
        "name trigrams); with --rebuild, index every organisation again first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="re-create the whole index")

    def handle(self, *args, rebuild: bool = False, **options) -> None:
        if rebuild:
            index.rebuild()  # ends with refresh_statistics()
        else:
            index.refresh_statistics()
        self.stdout.write("Search index ready.")
