# SPDX-License-Identifier: AGPL-3.0-or-later
"""Imports of hostile or oversized files: refused with a message that says
why, in a job result and a page of bounded size."""

import io
import json
import struct
import zipfile

import pytest
from django.test import TestCase
from openpyxl import Workbook

from samverka.core.models import Job
from samverka.directory.models import Organisation
from samverka.directory.places import load_municipalities
from samverka.directory.transfer.importing import MAX_ERRORS, run_import
from samverka.directory.transfer.reading import MAX_CELL_CHARS

HEADER = ["name", "country", "organisation_number", "sector", "themes"]


@pytest.fixture
def places(db):
    load_municipalities()


def workbook(*rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    file = io.BytesIO()
    book.save(file)
    return file.getvalue()


def rezipped(content, change):
    """The workbook with its parts passed through change(name, data)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, change(name, source.read(name)))
    return out.getvalue()


def with_big_cell(size):
    """A workbook whose one cell unzips to `size` bytes, written straight to
    the zip in chunks (the file stays small: about 1/1000 of that)."""
    out = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(workbook(HEADER)))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in base.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, base.read(name))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>country</t></is></c>'
                b'<c r="C1" t="inlineStr"><is><t>sector</t></is></c></row>'
                b'<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c>'
                b'<c r="B2" t="inlineStr"><is><t>'
            )
            chunk = b"X" * (1 << 20)
            for _ in range(size >> 20):
                sheet.write(chunk)
            sheet.write(b"X" * (size % (1 << 20)))
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return with_big_cell(400 << 20)


def imported(content, name="orgs.xlsx", write=False):
    return run_import(io.BytesIO(content), name=name, write=write)


def messages(outcome):
    return [error.message for error in outcome.errors]


def test_a_400_kb_workbook_whose_cell_unzips_to_400_mb_is_refused_unread(places, bomb):
    assert len(bomb) < 1_000_000
    outcome = imported(bomb, write=True)
    assert not outcome.written and outcome.rows == 0
    assert messages(outcome) == [
        "A cell in the workbook holds more than 32,767 characters, the most Excel allows. "
        "Nothing was imported."
    ]
    assert not Organisation.objects.exists()


def test_a_workbook_that_unzips_to_more_than_the_limit_is_refused(places, settings, bomb):
    settings.SAMVERKA_IMPORT_MAX_EXPANDED_BYTES = 300 << 20
    assert messages(imported(bomb)) == [
        "The workbook unzips to more than 300.0 MB, the most an import reads. "
        "Split it into smaller files or save it as CSV."
    ]
    content = workbook(HEADER, ["Skolan", "SE", "", "education", ""])
    assert imported(content).errors == []
    settings.SAMVERKA_IMPORT_MAX_EXPANDED_BYTES = 2_000
    assert "unzips to more than" in messages(imported(content))[0]


def test_a_part_that_gives_more_bytes_than_it_declares_is_refused(places):
    content = bytearray(workbook(HEADER, ["Skolan", "SE", "", "education", ""]))
    # Make the central directory claim the sheet unzips to 10 bytes.
    at = content.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", content, at + 28)[0]
        if content[at + 46 : at + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", content, at + 24, 10)
        at = content.find(b"PK\x01\x02", at + 4)
    assert messages(imported(bytes(content))) == ["The file is not a readable XLSX workbook."]


def test_a_cell_too_long_to_read_whole_is_refused_unread(places):
    outcome = imported(with_big_cell(2 << 20))
    assert messages(outcome) == [
        "A cell in the workbook holds more than 32,767 characters, the most Excel allows. "
        "Nothing was imported."
    ]


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row(places):
    # (openpyxl cuts such a cell when it writes one, not when it reads.)
    outcome = imported(with_big_cell(40_000), write=True)
    assert not outcome.written
    assert messages(outcome) == [
        "Row 2 has a cell of more than 32,767 characters, the most Excel allows. "
        "Nothing was imported."
    ]
    assert MAX_CELL_CHARS == 32_767
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_with_a_document_type_declaration_is_refused_by_name(places, part):
    content = rezipped(
        workbook(HEADER, ["Skolan", "SE", "", "education", ""]),
        lambda name, data: b'<!DOCTYPE x [<!ENTITY e "e">]>' + data if name == part else data,
    )
    outcome = imported(content, write=True)
    assert not outcome.written and not Organisation.objects.exists()
    assert messages(outcome) == [
        f"The workbook contains a document type declaration (<!DOCTYPE>) in “{part}”. "
        "Workbooks saved by Excel, LibreOffice or Numbers have none; save the file again "
        "from one of them, or as CSV."
    ]


def test_a_document_type_declaration_in_utf16_is_found_too(places):
    def utf16(name, data):
        if name != "xl/workbook.xml":
            return data
        text = data.decode().replace("encoding='UTF-8'", "encoding='UTF-16'")
        if text.startswith("<?xml"):
            end = text.index("?>") + 2
            text = text[:end] + "<!doctype x>" + text[end:]
        else:
            text = "<!doctype x>" + text
        return text.encode("utf-16")

    outcome = imported(rezipped(workbook(HEADER), utf16))
    assert "document type declaration" in messages(outcome)[0]


def test_values_quoted_in_errors_are_shortened(places):
    long = "Ö" * 10_000
    content = f"name;country;sector;themes\nSkolan;{long};education;{long}\n".encode()
    outcome = imported(content, name="orgs.csv")
    assert messages(outcome) == [
        f"Unknown country “{'Ö' * 80}…”: use SE, NO or DK.",
        f"Unknown theme “{'Ö' * 80}…”.",
    ]
    header = f"name;country;sector;{long}\n".encode()
    outcome = imported(header, name="orgs.csv")
    assert outcome.errors[0].message == f"Unknown column “{'Ö' * 80}…”. See the template."
    assert len(outcome.errors[0].column) <= 101


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def test_a_job_result_and_its_page_stay_small_whatever_the_file_holds(client, cast, places):
    long = "Q" * 10_000
    lines = ["name;country;sector"] + [f"Org {n};{long};education" for n in range(1_000)]
    file = io.BytesIO("\n".join(lines).encode())
    file.name = "orgs.csv"
    client.force_login(cast.platform_admin)
    post(client, "/organisations/import/", {"file": file})

    job = Job.objects.get(kind="directory.import")
    assert (job.result["error_count"], len(job.result["errors"])) == (1_000, MAX_ERRORS)
    assert len(json.dumps(job.result)) < 150_000  # 5 MB before
    page = client.get(f"/organisations/import/{job.pk}/")
    assert len(page.content) < 250_000
    assert "And 500 more errors." in page.content.decode()
    api = client.get(f"/api/imports/{job.pk}")
    assert api.status_code == 200 and len(api.content) < 150_000
