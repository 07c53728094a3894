# SPDX-License-Identifier: AGPL-3.0-or-later
"""Exporting the directory in the import's own layout, so that an export
imported again changes nothing.

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return) get a leading apostrophe; the import strips it again
only where the rest would still be such a cell, so round trips are exact.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet

from samverka.directory.models import Organisation
from samverka.directory.services import capabilities_and_places
from samverka.directory.transfer.columns import COLUMNS, EXAMPLE_ROW, escape_formula
from samverka.directory.transfer.importing import FIELDS, join_list, place_labels

CHUNK = 2_000


def rows(queryset: QuerySet[Organisation]) -> Iterator[list[str]]:
    """The header, then one list of cells per organisation, fetched in keyset
    chunks (no OFFSET) with their capabilities and places."""
    yield list(COLUMNS)
    labels = place_labels()
    fields = ("pk", "uuid", *FIELDS)
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*fields)[:CHUNK])
        if not chunk:
            return
        ids = [row[0] for row in chunk]
        last = ids[-1]
        capabilities, places = capabilities_and_places(ids)
        for (
            pk,
            stable,
            name,
            country,
            number,
            sector,
            themes,
            description,
            language,
            website,
            email,
            phone,
            commitment,
        ) in chunk:
            yield [
                str(stable),
                name,
                country,
                number,
                sector,
                ";".join(themes or []),
                join_list([f"{kind}:{detail}" for kind, detail in capabilities[pk].items()]),
                join_list(sorted(labels[place] for place in places[pk])),
                description,
                language,
                website,
                email,
                phone,
                commitment,
            ]


class _Line:
    """A file-like object csv.writer writes one line into."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value += text


def csv_stream(cells: Iterator[list[str]], *, delimiter: str = ",") -> Iterator[bytes]:
    """UTF-8 with a BOM, so Excel opens it with the right characters."""
    line = _Line()
    writer = csv.writer(line, delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff".encode()
    buffer: list[str] = []
    for index, row in enumerate(cells):
        writer.writerow([escape_formula(c) for c in row] if index else row)
        buffer.append(line.value)
        line.value = ""
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def xlsx_file(cells: Iterator[list[str]]) -> IO[bytes]:
    """A workbook in a temporary file (openpyxl's write-only mode keeps memory flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    for index, row in enumerate(cells):
        if index == 0:
            sheet.append(row)
            continue
        out: list[Any] = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=escape_formula(value))
            # Text, never a formula or a number: "0114" stays "0114".
            cell.data_type = "s"
            out.append(cell)
        sheet.append(out)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the response, which closes it)
    workbook.save(file)
    file.seek(0)
    return file


def template_rows() -> list[list[str]]:
    return [list(COLUMNS), [EXAMPLE_ROW[c] for c in COLUMNS]]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(template_rows())
    return ("\ufeff" + out.getvalue()).encode()
