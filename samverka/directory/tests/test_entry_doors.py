# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samverka.core.models import LogEntry
from samverka.directory.models import EntryDoor
from samverka.directory.services import add_entry_door, remove_entry_door, update_entry_door

DOOR = {
    "topic": "Fritidsjob og praktikpladser",
    "who": "Erhvervskonsulenten",
    "email": "job@example.dk",
    "phone": "",
    "form_url": "",
    "opening_hours": "Hverdage 9–15",
}


def test_it_adds_an_entry_door_and_records_it_in_the_history(cast):
    door = add_entry_door(organisation=cast.municipality, data=DOOR, by=cast.org_admin)
    assert door.organisation == cast.municipality
    entry = LogEntry.objects.get(action="entry_door.added")
    assert entry.object_id == str(cast.municipality.pk)
    assert entry.data == {"topic": DOOR["topic"]}


def test_an_entry_door_needs_a_way_to_make_contact(cast):
    with pytest.raises(ValidationError, match="at least one way to make contact"):
        add_entry_door(
            organisation=cast.municipality, data={**DOOR, "email": ""}, by=cast.org_admin
        )
    assert not EntryDoor.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-address"), ("form_url", "javascript:alert(1)"), ("topic", "a\x00b")],
)
def test_it_refuses_bad_contact_details_and_saves_nothing(cast, field, value):
    with pytest.raises(ValidationError) as error:
        add_entry_door(
            organisation=cast.municipality, data={**DOOR, field: value}, by=cast.org_admin
        )
    assert field in error.value.message_dict
    assert not EntryDoor.objects.exists()


def test_it_updates_and_removes_with_history(cast):
    door = add_entry_door(organisation=cast.municipality, data=DOOR, by=cast.org_admin)
    changes = update_entry_door(
        door=door, data={**DOOR, "who": "HR"}, by=cast.org_admin, version=door.version
    )
    assert changes == {"who": ["Erhvervskonsulenten", "HR"]}
    assert door.version == 2
    assert (
        update_entry_door(door=door, data={**DOOR, "who": "HR"}, by=cast.org_admin, version=2) == {}
    )
    remove_entry_door(door=door, by=cast.org_admin)
    assert not EntryDoor.objects.exists()
    assert list(
        LogEntry.objects.filter(action__startswith="entry_door").values_list("action", flat=True)
    ) == ["entry_door.removed", "entry_door.updated", "entry_door.added"]


def test_the_organisation_page_shows_its_entry_doors_to_everyone(client, cast):
    add_entry_door(organisation=cast.municipality, data=DOOR, by=cast.org_admin)
    response = client.get(reverse("directory:organisation", args=[cast.municipality.pk]))
    html = response.content.decode()
    assert "How to reach us" in html
    assert DOOR["topic"] in html and 'href="mailto:job@example.dk"' in html


def test_an_admin_adds_edits_and_removes_entry_doors_on_the_pages(client, cast):
    client.force_login(cast.org_admin)
    url = reverse("directory:entry_doors", args=[cast.municipality.pk])
    response = client.post(url, DOOR)
    assert response.status_code == 302
    door = EntryDoor.objects.get()
    edit = reverse("directory:entry_door_edit", args=[cast.municipality.pk, door.pk])
    assert client.post(edit, {**DOOR, "who": "Ny kontakt", "version": 1}).status_code == 302
    door.refresh_from_db()
    assert door.who == "Ny kontakt"
    delete = reverse("directory:entry_door_delete", args=[cast.municipality.pk, door.pk])
    assert client.post(delete).status_code == 302
    assert not EntryDoor.objects.exists()


def test_a_form_without_contact_details_says_so_and_saves_nothing(client, cast):
    client.force_login(cast.org_admin)
    url = reverse("directory:entry_doors", args=[cast.municipality.pk])
    response = client.post(url, {**DOOR, "email": ""})
    assert response.status_code == 200
    assert "at least one way to make contact" in response.content.decode()
    assert not EntryDoor.objects.exists()


def test_a_door_of_another_organisation_is_not_found_under_this_one(client, cast):
    door = add_entry_door(organisation=cast.ngo, data=DOOR, by=cast.other_member)
    client.force_login(cast.org_admin)
    url = reverse("directory:entry_door_edit", args=[cast.municipality.pk, door.pk])
    assert client.get(url).status_code == 404


def test_the_api_lists_adds_and_removes_entry_doors(client, cast):
    base = f"/api/organisations/{cast.municipality.pk}/entry-doors"
    assert client.get(base).json() == []
    client.force_login(cast.org_admin)
    created = client.post(base, DOOR, content_type="application/json")
    assert created.status_code == 201
    assert client.get(base).json()[0]["topic"] == DOOR["topic"]
    refused = client.post(base, {**DOOR, "email": ""}, content_type="application/json")
    assert refused.status_code == 422
    assert client.delete(f"{base}/{created.json()['id']}").status_code == 204
    assert not EntryDoor.objects.exists()
