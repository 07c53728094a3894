# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write organisations as Open Referral HSDS 3.0 organizations (a JSON array)."""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from samverka.directory import hsds
from samverka.directory.models import Country, Organisation, Sector


class Command(BaseCommand):
    help = "Export organisations as HSDS 3.0 organizations (JSON array, fully nested)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("uuids", nargs="*", help="Only these organisations (stable ids).")
        parser.add_argument("--output", "-o", default="-", help="File to write; - is stdout.")
        parser.add_argument("--country", choices=Country.values)
        parser.add_argument("--sector", choices=Sector.values)
        parser.add_argument(
            "--validate", action="store_true", help="Check each document against the schemas."
        )

    def handle(self, *args: Any, uuids: list[str], output: str, **options: Any) -> None:
        queryset = Organisation.objects.all()
        if uuids:
            queryset = queryset.filter(uuid__in=uuids)
        for name in ("country", "sector"):
            if options[name]:
                queryset = queryset.filter(**{name: options[name]})
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        count = 0
        try:
            out.write("[")
            for document in hsds.iter_documents(queryset):
                if options["validate"] and (problems := hsds.validate(document)):
                    raise CommandError("; ".join(map(str, problems)))
                out.write(("," if count else "") + "\n" + json.dumps(document, ensure_ascii=False))
                count += 1
            out.write("\n]\n")
        finally:
            if out is not sys.stdout:
                out.close()
        self.stderr.write(f"{count} organisations exported.")
