# SPDX-License-Identifier: AGPL-3.0-or-later
"""From an uploaded file to rows of strings: CSV (comma, semicolon or tab;
UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 as Nordic Excel
writes it) or XLSX (openpyxl in read-only mode)."""

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass
class Table:
    """The rows of a file. `rows` yields (row number as the spreadsheet shows
    it, cells); the header is row 1."""

    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    estimated_rows: int
    encoding: str = ""
    delimiter: str = ""
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in self.closers:
            closer()


def open_table(file: IO[bytes], name: str = "") -> Table:
    """Raises ValidationError with a message for the user if the file cannot be read."""
    start = file.read(8)
    file.seek(0)
    if start.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
        return _xlsx(file)
    if start.startswith(OLE_MAGIC) or name.lower().endswith(".xls"):
        raise ValidationError(
            _("Old Excel files (.xls) cannot be read. Save the file as XLSX or CSV."),
            code="xls",
        )
    return _csv(file.read())


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 tried strictly first, then Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8", errors="strict"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252", errors="strict"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is neither UTF-8 nor Windows-1252 text (byte %(position)s). "
                "Save it as “CSV UTF-8” or as XLSX."
            )
            % {"position": error.start + 1},
            code="encoding",
        ) from error


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(raw: bytes) -> Table:
    try:
        text, encoding = decode(raw)
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file's text encoding is damaged."), code="encoding") from error
    del raw
    first_line = text[: text.find("\n")] if "\n" in text else text
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    except csv.Error as error:
        raise ValidationError(
            _("The file is not readable as CSV: %(error)s") % {"error": error}, code="csv"
        ) from error

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except csv.Error as error:
            raise ValidationError(
                _("Row %(row)s is not readable as CSV: %(error)s")
                % {"row": number + 1, "error": error},
                code="csv",
            ) from error

    return Table(
        format="csv",
        header=header,
        rows=rows(),
        estimated_rows=max(0, text.count("\n") - 1),
        encoding=encoding,
        delimiter=delimiter,
    )


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx(file: IO[bytes]) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ValidationError(
            _("The file is not a readable XLSX workbook."), code="xlsx"
        ) from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [cell_text(v) for v in next(values)]
    except StopIteration:
        workbook.close()
        raise ValidationError(_("The file is empty."), code="empty") from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(values, start=2):
            yield number, [cell_text(v) for v in row]

    return Table(
        format="xlsx",
        header=header,
        rows=rows(),
        estimated_rows=max(0, (sheet.max_row or 1) - 1),
        closers=[workbook.close],
    )
