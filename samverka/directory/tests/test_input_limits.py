# SPDX-License-Identifier: AGPL-3.0-or-later
"""Input that must be refused: control and text-direction characters, and text
over its field's limit, refused alike by the pages, the API and the import."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from samverka.core.models import LogEntry
from samverka.core.text import LONG_TEXT_MAX_LENGTH, text_errors
from samverka.directory.models import EntryDoor, Organisation
from samverka.directory.places import load_municipalities
from samverka.directory.services import EDITABLE_FIELDS, add_entry_door
from samverka.directory.transfer.importing import run_import

ONE_LINE = "Write this on one line, without line breaks, tabs or invisible control characters."
NO_CONTROLS = (
    "Remove the invisible control characters (such as text-direction overrides) from this text."
)
TOO_LONG = f"Ensure this value has at most {LONG_TEXT_MAX_LENGTH} characters (it has 100000)."


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _profile(organisation, **changes):
    data = {name: getattr(organisation, name) or "" for name in EDITABLE_FIELDS}
    data.pop("themes")
    return data | {"version": organisation.version} | changes


def _edit(client, organisation, **changes):
    return client.post(
        reverse("directory:edit", args=[organisation.pk]), _profile(organisation, **changes)
    )


def _api_patch(client, organisation, **changes):
    return client.patch(
        f"/api/organisations/{organisation.pk}",
        json.dumps({"version": organisation.version, **changes}),
        content_type="application/json",
    )


def _import(rows):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["name", "country", "sector", "description"])
    writer.writerows(rows)
    return run_import(io.BytesIO(out.getvalue().encode()), name="file.csv", write=True)


def _api_messages(response):
    return {str(d["loc"][-1]): d["msg"] for d in response.json()["detail"]}


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("Göteborgs Stad", False),
        ("Göteborgs\r\nStad", True),
        ("Göteborgs\tStad", True),
        ("Göteborgs\x85Stad", True),  # C1 next line
        ("\u202edatS sgrobetöG", True),  # right-to-left override
        ("Göteborgs \u2066Stad\u2069", True),  # isolates
    ],
)
def test_a_single_line_field_refuses_control_and_direction_characters(value, refused):
    assert bool(text_errors(value, max_length=200)) is refused


def test_a_description_keeps_its_lines_and_tabs_but_not_other_controls():
    assert text_errors("Rad ett\r\nRad två\tmed tabb", max_length=None, multiline=True) == []
    assert text_errors("Rad\x0bett", max_length=None, multiline=True) == [NO_CONTROLS]
    assert text_errors("Kommunen \u202eon\u202c.", max_length=None, multiline=True) == [NO_CONTROLS]


def test_the_profile_form_refuses_a_name_with_a_line_break(cast):
    response = _edit(_client(cast.org_admin), cast.municipality, name="Göteborgs\r\nStad")

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [ONE_LINE]
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


def test_the_api_refuses_a_name_with_a_line_break_with_the_same_message(cast):
    response = _api_patch(_client(cast.org_admin), cast.municipality, name="Göteborgs\r\nStad")

    assert response.status_code == 422
    assert _api_messages(response) == {"name": ONE_LINE}
    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"


def test_a_service_refuses_it_whatever_calls_it(cast):
    # The model field's validator: any full_clean (admin, HSDS import, services).
    org = Organisation(name="A\nB", country="SE", sector="municipality")
    with pytest.raises(Exception) as error:
        org.full_clean()
    assert error.value.message_dict["name"] == [ONE_LINE]


def test_the_import_refuses_it_with_the_same_message(cast, db):
    load_municipalities()
    outcome = _import(
        [["Föreningen\rNord", "SE", "civil_society", "Ok."], ["Syd", "SE", "civil_society", "x"]]
    )

    assert [(e.row, e.column, e.message) for e in outcome.errors] == [(2, "name", ONE_LINE)]
    assert not outcome.written
    assert not Organisation.objects.filter(name__contains="Nord").exists()


def test_the_import_keeps_line_breaks_in_a_description(cast, db):
    load_municipalities()
    outcome = _import([["Syd", "SE", "civil_society", "Rad ett\nRad två"]])

    assert outcome.errors == []
    assert Organisation.objects.get(name="Syd").description == "Rad ett\nRad två"


def test_a_page_form_and_the_api_refuse_the_same_over_long_description_alike(cast):
    long = "é" * 100_000
    page = _edit(_client(cast.org_admin), cast.municipality, description=long)
    api = _api_patch(_client(cast.org_admin), cast.municipality, description=long)

    assert page.status_code == 200
    assert page.context["form"].errors["description"] == [TOO_LONG]
    assert api.status_code == 422
    assert _api_messages(api) == {"description": TOO_LONG}
    cast.municipality.refresh_from_db()
    assert cast.municipality.description == "Kommunen."


def test_the_import_refuses_the_over_long_description_too(cast, db):
    load_municipalities()
    outcome = _import([["Syd", "SE", "civil_society", "é" * 100_000]])

    assert [(e.column, e.message) for e in outcome.errors] == [("description", TOO_LONG)]
    assert not Organisation.objects.filter(name="Syd").exists()


def test_the_limit_holds_at_the_limit(cast):
    response = _edit(
        _client(cast.org_admin), cast.municipality, description="é" * LONG_TEXT_MAX_LENGTH
    )
    assert response.status_code == 302


# Entry doors edited by two people at once

DOOR = {"topic": "Praktik", "who": "HR", "email": "hr@goteborg.example"}


def _door_url(door):
    return reverse("directory:entry_door_edit", args=[door.organisation_id, door.pk])


def _door_form(door, **changes):
    data = {name: getattr(door, name) for name in ("topic", "who", "email", "phone")}
    return data | {"form_url": "", "opening_hours": "", "version": door.version} | changes


def test_the_second_of_two_entry_door_edits_gets_a_conflict_and_loses_nothing(cast):
    door = add_entry_door(organisation=cast.municipality, data=DOOR, by=cast.org_admin)
    first, second = _client(cast.org_admin), _client(cast.platform_admin)
    assert first.get(_door_url(door)).context["form"].initial["version"] == 1
    assert second.get(_door_url(door)).context["form"].initial["version"] == 1

    saved = first.post(_door_url(door), _door_form(door, who="Anna i HR"))
    refused = second.post(_door_url(door), _door_form(door, who="Enheten för samverkan"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert "Someone else saved this entry door while you were editing it." in refused.text
    # Both texts are shown: the saved one beside the user's, still in the form.
    assert [(c["saved"], c["yours"]) for c in refused.context["conflict"]] == [
        ("Anna i HR", "Enheten för samverkan")
    ]
    assert 'value="Enheten för samverkan"' in refused.text
    door.refresh_from_db()
    assert (door.who, door.version) == ("Anna i HR", 2)

    # Saving again after seeing the saved text puts theirs on top, knowingly.
    again = second.post(_door_url(door), _door_form(door, who="Enheten för samverkan", version="2"))
    assert again.status_code == 302
    door.refresh_from_db()
    assert (door.who, door.version) == ("Enheten för samverkan", 3)
    changes = [
        e.data["changes"]["who"]
        for e in LogEntry.objects.filter(action="entry_door.updated").order_by("pk")
    ]
    assert changes == [["HR", "Anna i HR"], ["Anna i HR", "Enheten för samverkan"]]


def test_the_api_refuses_a_stale_entry_door_change_with_409(cast):
    door = add_entry_door(organisation=cast.municipality, data=DOOR, by=cast.org_admin)
    client = _client(cast.org_admin)
    url = f"/api/organisations/{cast.municipality.pk}/entry-doors/{door.pk}"
    listed = client.get(f"/api/organisations/{cast.municipality.pk}/entry-doors").json()
    assert listed[0]["version"] == 1

    first = client.put(url, json.dumps(DOOR | {"who": "A", "version": 1}), "application/json")
    second = client.put(url, json.dumps(DOOR | {"who": "B", "version": 1}), "application/json")

    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert EntryDoor.objects.get(pk=door.pk).who == "A"


def test_the_api_refuses_a_line_break_in_an_entry_door(cast):
    response = _client(cast.org_admin).post(
        f"/api/organisations/{cast.municipality.pk}/entry-doors",
        json.dumps(DOOR | {"who": "HR\r\nBcc: x@example.org"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert _api_messages(response) == {"who": ONE_LINE}
    assert not EntryDoor.objects.exists()
