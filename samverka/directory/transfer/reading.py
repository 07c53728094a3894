# SPDX-License-Identifier: AGPL-3.0-or-later
"""From an uploaded file to rows of strings: CSV (comma, semicolon or tab;
UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252 as Nordic Excel
writes it) or XLSX (openpyxl in read-only mode)."""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
# A workbook's parts once unzipped, all together (SAMVERKA_IMPORT_MAX_EXPANDED_BYTES).
# An export of 400,000 organisations with every column unzips to about 400 MB
# (measured at 20,000: 19.9 MB). A cell's size is bounded apart (below): a
# 400 KB file whose one cell unzipped to 400 MB took the worker to 3.3 GB.
DEFAULT_MAX_EXPANDED = 1024 * 1024 * 1024
# The most characters Excel lets a cell hold.
MAX_CELL_CHARS = 32_767
# No run of XML text between two "<" may be this long: such a cell (or tag)
# would be read whole into memory. Checked per aligned block of this size, so
# a run of 2 blocks or more is always caught and one under a block never is;
# Excel's longest cell escaped ("&quot;" per character) is 196,602 bytes.
XML_RUN_BLOCK = 256 * 1024
CHUNK = 4 * XML_RUN_BLOCK
XML_PARTS = (".xml", ".rels", ".vml")
# A document type declaration, in UTF-8 or UTF-16 (either byte order).
_DTD = re.compile(rb"<\x00?!\x00?" + rb"\x00?".join(bytes([c]) for c in b"DOCTYPE"), re.IGNORECASE)
QUOTE_CHARS = 80


def quoted(value: str, limit: int = QUOTE_CHARS) -> str:
    """A value short enough to repeat in a message: a 400 MB cell quoted in
    an error made a 419 MB job result and import page."""
    return value if len(value) <= limit else value[:limit] + "…"


def max_expanded_bytes() -> int:
    return int(getattr(settings, "SAMVERKA_IMPORT_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED))


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


def _mb(size: int) -> float:
    return round(size / 1_048_576, 1)


def _unreadable() -> ValidationError:
    return ValidationError(_("The file is not a readable XLSX workbook."), code="xlsx")


def check_workbook(file: IO[bytes]) -> None:
    """Refuse a workbook before openpyxl reads it: one that unzips to more than
    the limit (by the sizes its parts declare, and by the bytes they really
    give), one with a document type declaration, or one with a cell too long
    to hold in memory. Unzips every part once (about 1 s per 400 MB)."""
    limit = max_expanded_bytes()
    too_large = _(
        "The workbook unzips to more than %(limit)s MB, the most an import reads. "
        "Split it into smaller files or save it as CSV."
    ) % {"limit": _mb(limit)}
    try:
        with zipfile.ZipFile(file) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > limit:
                raise ValidationError(too_large, code="expanded")
            total = 0
            for member in members:
                xml = member.filename.lower().endswith(XML_PARTS)
                tail = b""
                with archive.open(member) as part:
                    while chunk := part.read(CHUNK):
                        total += len(chunk)
                        if total > limit:  # declared sizes can lie
                            raise ValidationError(too_large, code="expanded")
                        if not xml:
                            continue
                        if b"!" in chunk and _DTD.search(tail + chunk):
                            raise ValidationError(
                                _(
                                    "The workbook contains a document type declaration "
                                    "(<!DOCTYPE>) in “%(part)s”. Workbooks saved by Excel, "
                                    "LibreOffice or Numbers have none; save the file again "
                                    "from one of them, or as CSV."
                                )
                                % {"part": quoted(member.filename)},
                                code="dtd",
                            )
                        if any(
                            chunk.find(b"<", start, start + XML_RUN_BLOCK) == -1
                            for start in range(0, len(chunk) - XML_RUN_BLOCK + 1, XML_RUN_BLOCK)
                        ):
                            raise ValidationError(_cell_too_long(), code="cell")
                        tail = chunk[-32:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        # Damaged, encrypted, or a part whose bytes do not match its checksum.
        raise _unreadable() from None
    finally:
        file.seek(0)


def _cell_too_long(row: int | None = None) -> str:
    if row is None:
        return _(
            "A cell in the workbook holds more than %(limit)s characters, the most Excel "
            "allows. Nothing was imported."
        ) % {"limit": number_format(MAX_CELL_CHARS, force_grouping=True)}
    return _(
        "Row %(row)s has a cell of more than %(limit)s characters, the most Excel allows. "
        "Nothing was imported."
    ) % {"row": row, "limit": number_format(MAX_CELL_CHARS, force_grouping=True)}


def _xlsx(file: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    check_workbook(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise _unreadable() from error
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [cell_text(v) for v in next(values)]
    except StopIteration:
        workbook.close()
        raise ValidationError(_("The file is empty."), code="empty") from None
    if max(map(len, header), default=0) > MAX_CELL_CHARS:
        workbook.close()
        raise ValidationError(_cell_too_long(1), code="cell")

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(values, start=2):
            cells = [cell_text(v) for v in row]
            # Rich text in many short runs passes check_workbook's test.
            if max(map(len, cells), default=0) > MAX_CELL_CHARS:
                raise ValidationError(_cell_too_long(number), code="cell")
            yield number, cells

    return Table(
        format="xlsx",
        header=header,
        rows=rows(),
        estimated_rows=max(0, (sheet.max_row or 1) - 1),
        closers=[workbook.close],
    )
