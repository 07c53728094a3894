# SPDX-License-Identifier: AGPL-3.0-or-later
"""Pia, a platform administrator, imports organisations from a spreadsheet:
she sees what the file would change, corrects an error, then imports."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from e2e.steps import log_in
from samverka.directory.models import Organisation
from samverka.directory.places import load_municipalities
from samverka.directory.search import index

pytestmark = pytest.mark.e2e

HEADER = "namn;land;organisationsnummer;sektor;teman;platser\n"
GOOD = "Språkcafé Angered;Sverige;802002-4785;Idéburen förening;education;Göteborg\n"
BAD = "Läxhjälpen Bergsjön;Sverige;802002-4788;Idéburen förening;;Göteborg\n"


def choose(page, name, text):
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode("cp1252")}
    )
    page.get_by_role("button", name="Check the file").click()


def test_an_admin_previews_corrects_and_imports_a_file(live_server, cast, page, check):
    load_municipalities()
    log_in(page, cast.platform_admin.email)
    page.goto("/organisations/import/")
    check(page, "import-start")

    choose(page, "foreningar.csv", HEADER + GOOD + BAD)
    expect(page.get_by_role("alert")).to_contain_text("Row 3")
    expect(page.get_by_text("Windows-1252")).to_be_visible()
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    check(page, "import-preview-errors")

    page.get_by_role("link", name="Import another file").click()
    choose(page, "foreningar.csv", HEADER + GOOD)
    expect(page.get_by_role("table")).to_contain_text("New organisations")
    assert not Organisation.objects.filter(name="Språkcafé Angered").exists()
    check(page, "import-preview")

    page.get_by_role("button", name="Import 1 new and update 0").click()
    expect(page.get_by_text("Imported: 1 new, 0 updated, 0 unchanged.")).to_be_visible()
    check(page, "import-done")
    imported = Organisation.objects.get(name="Språkcafé Angered")
    assert not imported.claimed and imported.themes == ["education"]


def test_the_import_page_follows_the_search_index_catching_up(live_server, cast, page, check):
    """Here the index task runs as soon as the import commits; listing the
    organisation again shows the page as it is while a worker is still busy."""
    load_municipalities()
    log_in(page, cast.platform_admin.email)
    page.goto("/organisations/import/")
    choose(page, "foreningar.csv", HEADER + GOOD)
    page.get_by_role("button", name="Import 1 new and update 0").click()
    expect(page.get_by_text("Imported: 1 new, 0 updated, 0 unchanged.")).to_be_visible()
    imported = Organisation.objects.get(name="Språkcafé Angered")
    with connection.cursor() as cursor:
        index.queue(cursor, [imported.pk])
    page.reload()
    waiting = page.get_by_text("1 organisation is in the directory but not yet found by search.")
    expect(waiting).to_be_visible()
    expect(page.get_by_label("Adding them to the search…")).to_be_visible()
    check(page, "import-indexing")
    index.index_pending()
    expect(waiting).to_have_count(0, timeout=10_000)  # htmx polls, then reloads the page
    expect(page.get_by_text("Imported: 1 new, 0 updated, 0 unchanged.")).to_be_visible()
