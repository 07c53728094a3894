# SPDX-License-Identifier: AGPL-3.0-or-later
import csv
import io
import multiprocessing
import os
import uuid
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.db.models import F
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from samverka.core.audit import history_for
from samverka.core.models import Job, LogEntry
from samverka.directory.models import Capability, EntryDoor, Organisation, Place
from samverka.directory.places import load_municipalities
from samverka.directory.search import index as search_index
from samverka.directory.search import search
from samverka.directory.search.index import index_pending, pending_count
from samverka.directory.search.query import Filters
from samverka.directory.transfer import importing
from samverka.directory.transfer.exporting import csv_stream, rows, xlsx_file
from samverka.directory.transfer.importing import run_import

HEADER = "name;country;organisation_number;sector;themes;capabilities;places;email"
ROW_A = (
    "Språkcafé Hammarkullen;SE;802002-4785;civil_society;education;"
    "volunteers:Läxhjälp;Göteborg;a@example.org"
)
ROW_B = "Beboerforeningen Grorud;NO;974760673;residents_association;housing;;Oslo;"
ROW_C = "Fritidsgården Östra;SE;;civil_society;sport;premises:Idrottshall;Göteborg;"


@pytest.fixture
def places(db):
    load_municipalities()


def csv_bytes(*lines, encoding="utf-8"):
    return ("\n".join(lines) + "\n").encode(encoding)


def imported(content, *, write=True, name="file.csv", **kwargs):
    return run_import(io.BytesIO(content), name=name, write=write, **kwargs)


def snapshot():
    return (
        sorted(Organisation.objects.values_list("name", "version", "description")),
        Capability.objects.count(),
        LogEntry.objects.count(),
    )


def test_it_imports_new_organisations_unclaimed_with_audit(cast, places):
    outcome = imported(csv_bytes(HEADER, ROW_A, ROW_B), by=cast.platform_admin, job_id=7)
    assert (outcome.created, outcome.updated, outcome.errors) == (2, 0, [])
    cafe = Organisation.objects.get(name="Språkcafé Hammarkullen")
    assert not cafe.claimed
    assert cafe.organisation_number == "802002-4785"
    assert cafe.themes == ["education"]
    assert cafe.description_language == "sv"  # blank → the country's language
    assert dict(cafe.capabilities.values_list("kind", "detail")) == {"volunteers": "Läxhjälp"}
    assert [p.name for p in cafe.places.all()] == ["Göteborg"]
    # One entry for the run of new ids, found by each new organisation's history.
    entry = LogEntry.objects.get(action="organisations.imported")
    grorud = Organisation.objects.get(name="Beboerforeningen Grorud")
    assert entry.actor == cast.platform_admin and entry.object_id == ""
    assert entry.data == {
        "job": 7,
        "created": True,
        "first": min(cafe.pk, grorud.pk),
        "last": max(cafe.pk, grorud.pk),
    }
    assert list(history_for(cafe)) == list(history_for(grorud)) == [entry]


def test_a_new_organisations_history_shows_its_import_and_later_ones_their_own(cast, places):
    imported(csv_bytes(HEADER, ROW_A), by=cast.platform_admin, job_id=1)
    cafe = Organisation.objects.get(name="Språkcafé Hammarkullen")
    # Imported later: a run of its own, at another moment.
    imported(csv_bytes(HEADER, ROW_B), job_id=2)
    grorud = Organisation.objects.get(name="Beboerforeningen Grorud")
    # Neither run's entry reaches an organisation outside it, by id or by time.
    assert cast.municipality.pk < cafe.pk < grorud.pk
    assert [e.data["job"] for e in history_for(cafe)] == [1]
    assert [e.data["job"] for e in history_for(grorud)] == [2]
    assert not history_for(cast.municipality).filter(action="organisations.imported").exists()
    # An update is an entry of the organisation's own, with what changed.
    imported(csv_bytes(HEADER, ROW_A.replace("a@example.org", "b@example.org")), job_id=3)
    assert [(e.data["job"], e.object_id) for e in history_for(cafe)] == [
        (3, str(cafe.pk)),
        (1, ""),
    ]
    assert history_for(cafe).first().data["changes"] == {
        "email": ["a@example.org", "b@example.org"]
    }


def test_the_preview_changes_nothing(cast, places):
    before = snapshot()
    outcome = imported(csv_bytes(HEADER, ROW_A), write=False)
    assert outcome.created == 1 and not outcome.written
    assert snapshot() == before


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "expected"),
    [
        ("utf-8", b"", ";", "UTF-8"),
        ("utf-8", b"\xef\xbb\xbf", ";", "UTF-8 (BOM)"),
        ("cp1252", b"", ";", "Windows-1252"),
        ("utf-8", b"", ",", "UTF-8"),
        ("cp1252", b"", ",", "Windows-1252"),
    ],
)
def test_it_reads_each_encoding_and_delimiter(cast, places, encoding, bom, delimiter, expected):
    lines = [line.replace(";", delimiter) for line in (HEADER, ROW_A)]
    if delimiter == ",":
        lines = [",".join(cell for cell in line.split(",")) for line in lines]
    outcome = imported(bom + csv_bytes(*lines, encoding=encoding))
    assert outcome.errors == []
    assert (outcome.encoding, outcome.delimiter) == (expected, delimiter)
    assert Organisation.objects.filter(name="Språkcafé Hammarkullen").exists()


def test_it_reads_xlsx(cast, places):
    workbook = Workbook()
    sheet = workbook.active
    for line in (HEADER, ROW_A):
        sheet.append(line.split(";"))
    sheet.append(["Skolan", "SE", None, "education", None, None, None, None])
    file = io.BytesIO()
    workbook.save(file)
    outcome = imported(file.getvalue(), name="orgs.xlsx")
    assert (outcome.format, outcome.created, outcome.errors) == ("xlsx", 2, [])


@pytest.mark.parametrize(
    ("sector", "theme", "capability", "country"),
    [
        ("Ideell förening", "Trygghet", "Frivilliga", "Sverige"),  # sv
        ("Frivillig organisasjon", "Trygghet", "Frivillige", "Norge"),  # nb
        ("Civilsamfundsforening", "Tryghed", "Frivillige", "Danmark"),  # da
        ("Civil-society association", "safety", "VOLUNTEERS", "sweden"),  # en, any case
    ],
)
def test_it_accepts_labels_in_all_four_languages(cast, places, sector, theme, capability, country):
    from samverka.directory.models import CapabilityKind, Sector, Theme
    from samverka.directory.transfer import columns

    # The catalogs may word labels differently: use what they say.
    assert columns.sectors().get(columns.fold("civil-society association")) == Sector.CIVIL_SOCIETY
    for language in columns.LANGUAGES:
        from django.utils.translation import override

        with override(language):
            sector_label = str(Sector.CIVIL_SOCIETY.label)
            theme_label = str(Theme.SAFETY.label)
            kind_label = str(CapabilityKind.VOLUNTEERS.label)
        content = csv_bytes(
            "name;country;sector;themes;capabilities",
            f"Förening {language};{country};{sector_label.upper()};{theme_label};{kind_label}:x",
        )
        outcome = imported(content, write=False)
        assert outcome.errors == [], (language, outcome.errors)


def test_it_names_row_and_field_for_each_bad_input_and_changes_nothing(cast, places):
    before = snapshot()
    content = csv_bytes(
        HEADER + ";id;website",
        ROW_A + ";;",
        "X;SE;802002-4788;civil_society;;;;;;",  # row 3: bad check digit
        "Y;SE;;Kyrka;;;;;;",  # row 4: unknown sector
        "Z;FI;;business;;;;;;",  # row 5: unknown country
        "W;SE;;business;glädje;kraft:x;Atlantis;not-an-email;nope;",  # row 6: four errors
        "V;SE;;business;;;;;;x..y",  # row 7: bad website
        ROW_A + ";;",  # row 8: duplicate of row 2
    )
    outcome = imported(content)
    found = {(e.row, e.column) for e in outcome.errors}
    assert (3, "organisation_number") in found
    assert (4, "sector") in found
    assert (5, "country") in found
    assert {(6, "themes"), (6, "capabilities"), (6, "places"), (6, "email"), (6, "id")} <= found
    assert (7, "website") in found
    duplicate = next(e for e in outcome.errors if e.row == 8)
    assert "row 2" in duplicate.message
    assert not outcome.written
    assert snapshot() == before


def test_nul_characters_are_refused(cast, places):
    outcome = imported(csv_bytes(HEADER, ROW_A.replace("Hammarkullen", "Ham\x00mar")))
    assert [(e.row, e.column) for e in outcome.errors] == [(2, "name")]
    assert not Organisation.objects.filter(country="SE", sector="civil_society").exists()


def test_an_error_in_the_last_row_leaves_the_directory_untouched(cast, places, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)  # earlier batches are written first
    before = snapshot()
    lines = [f"Förening {i};SE;;civil_society;;;;" for i in range(7)]
    outcome = imported(csv_bytes(HEADER, *lines, "Sist;SE;123;civil_society;;;;"))
    assert outcome.error_count == 1 and outcome.errors[0].row == 9
    assert snapshot() == before


def test_an_edit_made_while_importing_rolls_the_whole_import_back(cast, places, monkeypatch):
    imported(csv_bytes(HEADER, ROW_A))
    monkeypatch.setattr(importing, "BATCH", 2)  # two new rows are written first
    stored = importing._stored

    def then_someone_edits(ids):
        found = stored(ids)
        # Between reading and writing, someone saves the organisation.
        Organisation.objects.filter(pk__in=ids).update(version=F("version") + 1)
        return found

    monkeypatch.setattr(importing, "_stored", then_someone_edits)
    before, listed = snapshot(), pending_count()
    lines = ["Ny förening 1;SE;;civil_society;;;;", "Ny förening 2;SE;;civil_society;;;;"]
    outcome = imported(csv_bytes(HEADER, *lines, ROW_A.replace("a@example.org", "b@example.org")))
    assert not outcome.written and outcome.changed_ids == []
    assert [e.message for e in outcome.errors] == [
        "Someone edited some of these organisations during the import."
    ]
    assert snapshot() == before and pending_count() == listed


def test_a_database_error_while_writing_reaches_the_caller_and_writes_nothing(
    cast, places, monkeypatch
):
    monkeypatch.setattr(importing, "BATCH", 2)
    written = importing.Writer._log

    def fails_on_the_second_batch(self, *args):
        if self.created_ids[2:]:
            raise OperationalError("disk full")
        written(self, *args)

    monkeypatch.setattr(importing.Writer, "_log", fails_on_the_second_batch)
    before = snapshot()
    lines = [f"Förening {i};SE;;civil_society;;;;" for i in range(5)]
    with pytest.raises(OperationalError, match="disk full"):
        imported(csv_bytes(HEADER, *lines))
    assert snapshot() == before


def test_reimporting_the_same_file_changes_nothing(cast, places):
    content = csv_bytes(HEADER, ROW_A, ROW_B, "Informell grupp;DK;;other;;;;")
    assert imported(content).created == 3
    before = snapshot()
    again = imported(content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_it_updates_by_number_and_keeps_columns_the_file_leaves_out(cast, places):
    imported(csv_bytes(HEADER, ROW_A))
    cafe = Organisation.objects.get(organisation_number="802002-4785")
    outcome = imported(
        csv_bytes(
            "organisation_number;country;name;sector", "8020024785;SE;Nytt namn;civil_society"
        )
    )
    assert (outcome.created, outcome.updated) == (0, 1)
    cafe.refresh_from_db()
    assert (cafe.name, cafe.email, cafe.version) == ("Nytt namn", "a@example.org", 2)
    assert cafe.capabilities.count() == 1
    entry = LogEntry.objects.filter(object_id=str(cafe.pk)).first()
    assert entry.data["changes"] == {"name": ["Språkcafé Hammarkullen", "Nytt namn"]}


def names_found(q="", **filters):
    return {hit.organisation.name for hit in search(q, filters=Filters(**filters)).hits}


def test_committed_rows_become_searchable_by_the_indexing_task(
    cast, places, django_capture_on_commit_callbacks
):
    description = ";Vi ordnar läxhjälp för barn"
    with django_capture_on_commit_callbacks() as callbacks:
        imported(csv_bytes(HEADER + ";description", ROW_A + description, ROW_B + ";"))
    # Committed and listed for the index, not yet in it.
    assert (pending_count(), names_found("Grorud")) == (2, set())
    assert len(callbacks) == 1
    callbacks[0]()  # the task the commit queues
    assert pending_count() == 0
    goteborg = Place.objects.get(country="SE", kind="municipality", name="Göteborg")
    assert names_found("läxor") == {"Språkcafé Hammarkullen"}  # description, compound part
    assert names_found("Grorud") == {"Beboerforeningen Grorud"}
    assert names_found(capability="volunteers") == {"Språkcafé Hammarkullen"}
    # A place filter includes the places' ancestors (Göteborg is under Sweden).
    assert names_found(place=goteborg.parent_id) == {"Språkcafé Hammarkullen"}
    assert names_found(sector="residents_association", country="NO") == {"Beboerforeningen Grorud"}


def test_an_update_reindexes_with_the_entry_doors_kept(cast, places):
    imported(csv_bytes(HEADER, ROW_A))
    cafe = Organisation.objects.get(organisation_number="802002-4785")
    EntryDoor.objects.create(organisation=cafe, topic="Trygghetsvandringar", who="Samordnaren")
    header = "organisation_number;country;name;sector"
    outcome = imported(csv_bytes(header, "8020024785;SE;Kulturhuset Kåken;other"))
    assert (outcome.updated, outcome.errors) == (1, [])
    assert index_pending() == 1
    assert names_found("Kåken") == {"Kulturhuset Kåken"}
    assert names_found("trygghetsvandring") == {"Kulturhuset Kåken"}  # the door, still there
    assert names_found("Språkcafé") == set()


def test_the_indexing_task_takes_the_list_in_batches_and_drops_deleted_ones(cast, places):
    lines = [f"Förening Solrosen {i};SE;;civil_society;;;;" for i in range(5)]
    imported(csv_bytes(HEADER, *lines))
    Organisation.objects.filter(name="Förening Solrosen 4").delete()
    seen = []
    assert index_pending(batch=2, progress=seen.append) == 5
    assert seen == [2, 4, 5]
    assert len(names_found("Solrosen")) == 4
    assert index_pending() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_an_edit_waits_for_the_indexing_batch_that_read_its_organisation(monkeypatch):
    """Else the batch could write the row it read after the edit wrote a newer one."""
    organisation = Organisation.objects.create(name="Låsföreningen", country="SE", sector="other")
    with connection.cursor() as cursor:
        search_index.queue(cursor, [organisation.pk])
    edit: dict[str, bool] = {}
    write = search_index.Indexer.write

    def write_while_someone_edits(self, cursor, ids, sources):
        other = connections.create_connection("default")
        try:
            with other.cursor() as edit_cursor:
                edit_cursor.execute("SET lock_timeout = '300ms'")
                try:
                    edit_cursor.execute(
                        'UPDATE "directory_organisation" SET "name" = %s WHERE "id" = %s',
                        ["Nytt namn", organisation.pk],
                    )
                    edit["waited"] = False
                except OperationalError:
                    edit["waited"] = True
        finally:
            other.close()
        return write(self, cursor, ids, sources)

    monkeypatch.setattr(search_index.Indexer, "write", write_while_someone_edits)
    try:
        assert index_pending() == 1
        assert edit == {"waited": True}
        assert names_found("Låsföreningen") == {"Låsföreningen"}
    finally:  # the index tables are not flushed between transactional tests
        pk = organisation.pk
        organisation.delete()
        search_index.reindex([pk])


def test_a_rejected_import_lists_nothing_for_the_index(
    cast, places, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "BATCH", 2)  # the first rows are written before the error
    lines = [f"Förening Solrosen {i};SE;;civil_society;;;;" for i in range(5)]
    with django_capture_on_commit_callbacks() as callbacks:
        outcome = imported(csv_bytes(HEADER, *lines, "Sist;SE;123;civil_society;;;;"))
    assert outcome.error_count == 1
    assert (callbacks, pending_count(), index_pending()) == ([], 0, 0)
    assert names_found("Solrosen") == set()


@pytest.fixture
def apart(monkeypatch):
    """Cleans every CSV file in a second process, two rows a batch; records each time."""
    monkeypatch.setattr(importing, "CLEAN_APART_AT", 0)
    monkeypatch.setattr(importing, "BATCH", 2)
    used = []
    cleaned = importing._cleaned_apart

    def recorded(table, cleaner, matcher):
        used.append(True)
        yield from cleaned(table, cleaner, matcher)

    monkeypatch.setattr(importing, "_cleaned_apart", recorded)
    return used


BAD_ROWS = (
    HEADER + ";id;website",
    ROW_A + ";;",
    "X;SE;802002-4788;civil_society;;;;;;",  # row 3: bad check digit
    ROW_B + ";;",
    "Y;SE;;Kyrka;;;;;;",  # row 5: unknown sector
    "W;SE;;business;glädje;kraft:x;Atlantis;not-an-email;nope;",  # row 6: five errors
    ROW_A + ";;",  # row 7: duplicate of row 2
    "V;SE;;business;;;;;;x..y",  # row 8: bad website
)


def test_a_second_process_cleans_large_files_to_the_same_outcome(cast, places, apart, monkeypatch):
    content = csv_bytes(*BAD_ROWS)
    there = imported(content, write=False)
    assert apart == [True]
    monkeypatch.setattr(importing, "CLEAN_APART_AT", 10**9)
    here = imported(content, write=False)
    assert apart == [True]
    assert there.as_dict() == here.as_dict()
    assert [(e.row, e.column) for e in there.errors] == [
        (3, "organisation_number"),
        (5, "sector"),
        (6, "id"),
        (6, "themes"),
        (6, "capabilities"),
        (6, "places"),
        (6, "email"),
        (7, "organisation_number"),
        (8, "website"),
    ]


def test_rows_cleaned_in_a_second_process_are_committed(cast, places, apart):
    outcome = imported(csv_bytes(HEADER, ROW_A, ROW_B, ROW_C))
    assert (apart, outcome.created, outcome.errors, outcome.rows) == ([True], 3, [], 3)
    cafe = Organisation.objects.get(name="Språkcafé Hammarkullen")
    assert [p.name for p in cafe.places.all()] == ["Göteborg"]
    assert list(cafe.capabilities.values_list("kind", "detail")) == [("volunteers", "Läxhjälp")]


@pytest.mark.parametrize("where", ["here", "apart"])
def test_a_row_the_reader_cannot_parse_is_reported_with_the_errors_before_it(
    cast, places, apart, monkeypatch, where
):
    if where == "here":
        monkeypatch.setattr(importing, "CLEAN_APART_AT", 10**9)
    before = snapshot()
    huge = "x" * (csv.field_size_limit() + 1)  # more than Python's csv reads in a cell
    content = csv_bytes(HEADER, ROW_A, "X;SE;802002-4788;civil_society;;;;", ROW_B, f"{huge};SE")
    outcome = imported(content)
    assert apart == ([True] if where == "apart" else [])
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "organisation_number"), (None, "")]
    assert "Row 5 is not readable as CSV" in outcome.errors[1].message
    assert not outcome.written and snapshot() == before


def test_an_import_that_stops_early_stops_its_second_process(cast, places, apart, monkeypatch):
    def someone_edited(self, changes):
        raise importing.ImportFailed("Someone edited some of these organisations.")

    monkeypatch.setattr(importing.Writer, "write", someone_edited)
    lines = [f"Förening {i};SE;;civil_society;;;;" for i in range(2_000)]
    outcome = imported(csv_bytes(HEADER, *lines))
    assert apart == [True]
    assert [e.message for e in outcome.errors] == ["Someone edited some of these organisations."]
    assert multiprocessing.active_children() == []


def test_if_the_second_process_dies_nothing_is_changed(cast, places, apart, monkeypatch):
    monkeypatch.setattr(importing, "_clean_for_parent", lambda *args: os._exit(3))
    before = snapshot()
    outcome = imported(csv_bytes(HEADER, ROW_A, ROW_B, ROW_C))
    assert apart == [True]
    assert [e.message for e in outcome.errors] == [
        "Reading the file stopped unexpectedly. Nothing was changed: try again."
    ]
    assert not outcome.written and snapshot() == before


@pytest.fixture
def rebuilds(monkeypatch):
    """Makes three rows a first load, and records whether imports rebuilt the indexes."""
    monkeypatch.setattr(importing, "REBUILD_AT", 3)
    seen: list[bool] = []
    rebuild = importing.rebuilt_indexes

    @contextmanager
    def recorded(tables):
        with rebuild(tables) as rebuilt:
            seen.append(rebuilt)
            yield rebuilt

    monkeypatch.setattr(importing, "rebuilt_indexes", recorded)
    return seen


def index_names():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename LIKE 'directory\\_%%' ORDER BY 1"
        )
        return cursor.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk load")
def test_a_first_load_rebuilds_the_indexes_and_stores_the_same(places, rebuilds):
    before = index_names()
    outcome = imported(csv_bytes(HEADER, ROW_A, ROW_B, ROW_C))
    assert (outcome.created, outcome.errors, rebuilds) == (3, [], [True])
    assert index_names() == before
    cafe = Organisation.objects.get(name="Språkcafé Hammarkullen")
    assert [p.name for p in cafe.places.all()] == ["Göteborg"]
    assert list(cafe.capabilities.values_list("kind", "detail")) == [("volunteers", "Läxhjälp")]
    assert index_pending() == 3
    assert names_found("idrottshall") == {"Fritidsgården Östra"}
    # The directory is no longer small: a re-import writes through the indexes.
    again = imported(csv_bytes(HEADER, ROW_A, ROW_B, ROW_C))
    assert (again.unchanged, rebuilds) == (3, [True, False])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk load")
def test_a_rejected_first_load_leaves_the_indexes_and_no_rows(places, rebuilds, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)  # the first rows are written before the error
    before = index_names()
    outcome = imported(csv_bytes(HEADER, ROW_A, ROW_B, ROW_C, "Sist;SE;123;civil_society;;;;"))
    assert (outcome.error_count, rebuilds) == (1, [True])
    assert index_names() == before
    assert (Organisation.objects.count(), Capability.objects.count(), pending_count()) == (0, 0, 0)


def test_only_imports_that_at_least_double_the_directory_rebuild_indexes(places, rebuilds):
    imported(csv_bytes(HEADER, ROW_A))  # under REBUILD_AT
    assert rebuilds == [False]
    assert importing._first_load(3) is (connection.vendor == "postgresql")
    Organisation.objects.create(name="Grannar", country="SE", sector="other")
    assert Organisation.objects.count() == 2
    assert not importing._first_load(3)  # 2 organisations: more than half of 3
    assert importing._first_load(4) is (connection.vendor == "postgresql")


def test_export_round_trips_and_escapes_formulas(cast, places):
    imported(csv_bytes(HEADER, ROW_A, ROW_B))
    Organisation.objects.filter(country="NO").update(
        description='=HYPERLINK("http://evil")', phone="+47 22 00 00 00"
    )
    body = b"".join(csv_stream(rows(Organisation.objects.all()), delimiter=";"))
    assert body.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    grorud = next(r for r in table if r["country"] == "NO")
    assert grorud["description"].startswith("'=") and grorud["phone"] == "'+47 22 00 00 00"
    before = snapshot()
    outcome = imported(body)
    assert (outcome.errors, outcome.created, outcome.updated) == ([], 0, 0)
    assert outcome.unchanged == Organisation.objects.count()
    assert snapshot() == before

    workbook = load_workbook(xlsx_file(rows(Organisation.objects.all())), read_only=True)
    cells = [c for row in workbook.active.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    xlsx = xlsx_file(rows(Organisation.objects.all())).read()
    assert imported(xlsx, name="x.xlsx").unchanged == Organisation.objects.count()


def test_rejects_undecodable_and_old_excel_files(cast, places):
    bad = imported(b"name;country;sector\n\x81\x8d;SE;other\n")
    assert "UTF-8" in bad.errors[0].message
    xls = imported(b"\xd0\xcf\x11\xe0rest", name="old.xls")
    assert "XLSX" in xls.errors[0].message


def test_unknown_and_missing_columns_are_reported(cast, places):
    outcome = imported(csv_bytes("namn;land;colour", "A;SE;red"))
    messages = " ".join(e.message for e in outcome.errors)
    assert "colour" in messages and "sector" in messages


def test_progress_is_reported_per_batch(cast, places, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    calls = []
    lines = [f"Förening {i};SE;;civil_society;;;;" for i in range(5)]
    imported(csv_bytes(HEADER, *lines), write=False, progress=lambda d, t: calls.append(d))
    assert calls[0] == 2 and calls[-1] == 5 and len(calls) >= 3
    # A commit reports each batch once it is written (by the writing thread).
    calls.clear()
    imported(csv_bytes(HEADER, *lines), progress=lambda d, t: calls.append(d))
    assert calls[0] >= 2 and calls[-1] == 5 and len(calls) >= 3 and calls == sorted(calls)


# Pages and jobs


def post(client, url, data=None):
    # Jobs are queued once the transaction commits; each test runs in one.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


def upload(client, content, name="orgs.csv"):
    file = io.BytesIO(content)
    file.name = name
    return post(client, "/organisations/import/", {"file": file})


def test_upload_preview_commit(client, cast, places):
    client.force_login(cast.platform_admin)
    response = upload(client, csv_bytes(HEADER, ROW_A, ROW_B))
    job = Job.objects.get(kind="directory.import")
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert not Organisation.objects.filter(name="Språkcafé Hammarkullen").exists()
    page = client.get(f"/organisations/import/{job.pk}/").content.decode()
    assert "Import 2 new" in page or "2" in page
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result["created"]) == ("done", 2, 2, 2)
    assert post(client, f"/organisations/import/{job.pk}/commit/").status_code == 302
    job.refresh_from_db()
    assert job.options["stage"] == "committed" and job.status == "done"
    assert Organisation.objects.filter(name="Språkcafé Hammarkullen", claimed=False).exists()
    assert names_found("Hammarkullen") == {"Språkcafé Hammarkullen"}  # indexed by the next task
    assert not job.upload  # the file is not kept once imported
    # Committing twice does nothing more.
    post(client, f"/organisations/import/{job.pk}/commit/")
    assert Organisation.objects.filter(name="Språkcafé Hammarkullen").count() == 1


def test_after_a_commit_the_page_and_api_show_the_search_catching_up(
    client, cast, places, django_capture_on_commit_callbacks
):
    client.force_login(cast.platform_admin)
    upload(client, csv_bytes(HEADER, ROW_A, ROW_B))
    job = Job.objects.get(kind="directory.import")
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/organisations/import/{job.pk}/commit/")
    callbacks[0]()  # the commit task; the index task it queues is left waiting
    url = f"/organisations/import/{job.pk}/"
    page = client.get(url).content.decode()
    assert "Imported: 2 new" in page
    assert "2 organisations are in the directory but not yet found by search" in page
    assert "Reload to see how far it has come" in page  # without JavaScript
    assert client.get(f"/api/imports/{job.pk}").json()["not_yet_searchable"] == 2
    poll = {"HX-Request": "true", "HX-Target": "import-indexing"}
    partial = client.get(url, headers=poll)
    assert partial.status_code == 200 and b'id="import-indexing"' in partial.content
    assert b"<html" not in partial.content

    index_pending()
    finished = client.get(url, headers=poll)
    assert (finished.status_code, finished["HX-Refresh"]) == (204, "true")
    page = client.get(url).content.decode()
    assert "not yet found by search" not in page and "Reload to see" not in page
    assert client.get(f"/api/imports/{job.pk}").json()["not_yet_searchable"] == 0


def test_a_preview_with_errors_cannot_be_committed(client, cast, places):
    client.force_login(cast.platform_admin)
    upload(client, csv_bytes(HEADER, "X;SE;802002-4788;civil_society;;;;"))
    job = Job.objects.get()
    page = client.get(f"/organisations/import/{job.pk}/").content.decode()
    assert "Row 2" in page
    post(client, f"/organisations/import/{job.pk}/commit/")
    assert not Organisation.objects.filter(name="X").exists()


def test_oversized_files_are_refused(client, cast, places, settings):
    settings.SAMVERKA_IMPORT_MAX_BYTES = 100
    client.force_login(cast.platform_admin)
    response = upload(client, csv_bytes(HEADER, ROW_A, ROW_B))
    assert response.status_code == 200 and "limit" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("role", ["org_admin", "outsider"])
def test_only_platform_admins_import(client, cast, places, role):
    client.force_login(getattr(cast, role))
    assert upload(client, csv_bytes(HEADER, ROW_A)).status_code == 403
    job = Job.objects.create(kind="directory.import", created_by=getattr(cast, role))
    assert client.get(f"/organisations/import/{job.pk}/").status_code == 404
    assert post(client, f"/organisations/import/{job.pk}/commit/").status_code == 404
    assert client.get("/organisations/import/template/").status_code == 403


def test_export_page_streams_filtered_csv_and_xlsx(client, cast, places):
    client.logout()
    assert client.get("/organisations/export/?format=csv").status_code == 302  # log in first
    client.force_login(cast.outsider)
    response = client.get("/organisations/export/?format=csv&country=DK&delimiter=semicolon")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("id;name;country")
    assert "Røde Kors Esbjerg" in body and "Göteborgs Stad" not in body
    response = client.get("/organisations/export/?format=xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    template = client.get("/organisations/export/")
    assert template.status_code == 200


def test_templates_download(client, cast, places):
    client.force_login(cast.platform_admin)
    body = client.get("/organisations/import/template/?format=csv").content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("id,name,country,organisation_number")
    xlsx = b"".join(client.get("/organisations/import/template/?format=xlsx").streaming_content)
    assert imported(xlsx, name="t.xlsx", write=False).errors == []


# API


def test_api_upload_status_commit_and_export(client, cast, places):
    client.force_login(cast.platform_admin)
    file = io.BytesIO(csv_bytes(HEADER, ROW_A))
    file.name = "orgs.csv"
    response = post(client, "/api/imports", {"file": file})
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = client.get(f"/api/imports/{job_id}").json()
    assert status["result"]["created"] == 1 and status["can_commit"]
    committed = post(client, f"/api/imports/{job_id}/commit")
    assert committed.status_code == 202
    assert client.get(f"/api/imports/{job_id}").json()["stage"] == "committed"
    export = client.get("/api/exports/organisations?country=SE")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Språkcafé Hammarkullen" in body and "Røde Kors" not in body


def test_api_reports_row_errors_and_denies_others(client, cast, places):
    client.force_login(cast.platform_admin)
    file = io.BytesIO(csv_bytes(HEADER, "X;SE;802002-4788;civil_society;;;;"))
    file.name = "bad.csv"
    job_id = post(client, "/api/imports", {"file": file}).json()["id"]
    status = client.get(f"/api/imports/{job_id}").json()
    assert status["result"]["errors"][0]["row"] == 2
    assert status["result"]["errors"][0]["column"] == "organisation_number"
    assert post(client, f"/api/imports/{job_id}/commit").status_code == 422
    client.force_login(cast.org_admin)
    assert client.get(f"/api/imports/{job_id}").status_code == 404
    file.seek(0)
    assert post(client, "/api/imports", {"file": file}).status_code == 403


def test_the_history_page_says_who_imported_a_new_organisation(cast, places):
    imported(csv_bytes(HEADER, ROW_A), by=cast.platform_admin, job_id=1)
    cafe = Organisation.objects.get(name="Språkcafé Hammarkullen")
    client = Client()
    client.force_login(cast.platform_admin)
    response = client.get(reverse("directory:history", args=[cafe.pk]))
    assert response.status_code == 200
    name = cast.platform_admin.get_full_name() or cast.platform_admin.email
    assert f"<strong>{name}</strong> imported organisations" in response.text


def test_new_organisations_get_distinct_random_stable_ids(cast, places):
    rows = [f"Förening {i};SE;;civil_society;;;;" for i in range(50)]
    assert imported(csv_bytes(HEADER, *rows)).created == 50
    stable = [
        uuid.UUID(str(u))
        for u in Organisation.objects.filter(name__startswith="Förening ").values_list(
            "uuid", flat=True
        )
    ]
    assert len(set(stable)) == len(stable) == 50
    assert {(u.version, u.variant) for u in stable} == {(4, uuid.RFC_4122)}
