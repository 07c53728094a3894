# SPDX-License-Identifier: AGPL-3.0-or-later
"""The contributions and principles editors on a phone: one empty row, and a
styled, labelled delete box on the rows already saved."""

import re

from django.urls import reverse

from samverka.agreements.tests.conftest import current, save


def _page(client, user, name, agreement):
    client.force_login(user)
    response = client.get(reverse(f"agreements:{name}", args=[agreement.pk]))
    assert response.status_code == 200
    return response.text


def test_a_new_agreement_offers_one_empty_contribution_row(client, cast, agreement):
    page = _page(client, cast.coordinator, "contributions", agreement)
    assert page.count("New contribution") == 1
    assert 'name="rows-TOTAL_FORMS" value="1"' in page
    # Nothing saved yet: nothing to delete.
    assert "rows-0-DELETE" not in page


def test_saved_rows_have_a_styled_labelled_delete_box(client, cast, agreement):
    party = current(agreement).content["parties"][0]["organisation"]
    row = {
        "party": party,
        "year": 2027,
        "kind": "money",
        "amount": "1000",
        "currency": "SEK",
        "description": "",
    }
    save(agreement, cast.coordinator, contributions=[row])
    page = _page(client, cast.coordinator, "contributions", agreement)
    assert page.count("New contribution") == 1
    checkbox = re.search(r"<input[^>]*name=\"rows-0-DELETE\"[^>]*>", page)
    assert checkbox is not None
    assert 'class="ds-input"' in checkbox.group(0)
    assert re.search(r'<label for="id_rows-0-DELETE">Delete this row:?</label>', page)
    assert "rows-1-DELETE" not in page  # the empty row has none


def test_the_principles_editor_has_one_empty_row_too(client, cast, agreement):
    page = _page(client, cast.coordinator, "principles", agreement)
    principles = len(current(agreement).content["principles"])
    assert f'name="rows-TOTAL_FORMS" value="{principles + 1}"' in page
    assert page.count("New principle") == 1
