# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.core.exceptions import ValidationError

from samverka.accounts.models import Membership
from samverka.core.audit import history_for
from samverka.core.models import LogEntry
from samverka.directory.models import Organisation
from samverka.directory.services import EditConflict, create_organisation, update_organisation


def _create(**fields):
    defaults = {"by": None, "name": "Lundby Fritidsgård", "country": "SE", "sector": "other"}
    return create_organisation(**(defaults | fields))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("SE", "5560360793", "556036-0793"),
        ("NO", "923 609 016", "923609016"),
        ("DK", "10150817", "10150817"),
    ],
)
def test_it_creates_an_organisation_with_a_normalised_number(country, typed, stored):
    organisation = _create(country=country, organisation_number=typed)

    organisation.refresh_from_db()
    assert organisation.organisation_number == stored
    assert [entry.action for entry in history_for(organisation)] == ["organisation.created"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("SE", "556036-0794"),
        ("SE", "923609016"),  # a valid Norwegian number is not a Swedish one
        ("NO", "10150817"),
        ("DK", "10150818"),
    ],
)
def test_it_refuses_an_invalid_number_for_the_country(country, typed):
    with pytest.raises(ValidationError) as caught:
        _create(country=country, organisation_number=typed)

    assert list(caught.value.message_dict) == ["organisation_number"]
    assert not Organisation.objects.exists()
    assert not LogEntry.objects.exists()


def test_it_refuses_a_duplicate_number_in_the_same_country(cast):
    with pytest.raises(ValidationError) as caught:
        _create(organisation_number="212000 1355")  # Göteborgs Stad's number

    assert "organisation_number" in caught.value.message_dict
    assert "already" in " ".join(caught.value.message_dict["organisation_number"])
    assert Organisation.objects.filter(organisation_number="212000-1355").count() == 1


@pytest.mark.django_db
def test_it_allows_many_organisations_without_a_number():
    _create(organisation_number="")
    _create(organisation_number="", name="Another informal group")

    assert Organisation.objects.filter(organisation_number="").count() == 2


def test_it_gives_the_first_admin_a_membership(cast):
    organisation = _create(by=cast.outsider, admin=cast.outsider)

    assert Membership.objects.get(organisation=organisation).role == "admin"
    entry = history_for(organisation).get()
    assert entry.actor == cast.outsider


def test_it_updates_and_records_old_and_new_values(cast):
    organisation = cast.municipality

    changes = update_organisation(
        organisation=organisation,
        data={"name": "Göteborgs stad", "description": "Ny text.", "phone": ""},
        by=cast.org_admin,
        version=1,
    )

    assert changes == {
        "name": ["Göteborgs Stad", "Göteborgs stad"],
        "description": ["Kommunen.", "Ny text."],
    }
    organisation.refresh_from_db()
    assert organisation.name == "Göteborgs stad"
    assert organisation.description == "Ny text."
    assert organisation.version == 2
    entry = history_for(organisation).first()
    assert entry.action == "organisation.updated"
    assert entry.actor == cast.org_admin
    assert entry.actor_label == "Erik Testsson"
    assert entry.data == {"changes": changes}


def test_it_updates_the_object_passed_in(cast):
    organisation = cast.municipality

    update_organisation(
        organisation=organisation, data={"name": "GBG"}, by=cast.org_admin, version=1
    )

    assert organisation.name == "GBG"
    assert organisation.version == 2


def test_it_increments_the_version_on_every_save(cast):
    for version, name in enumerate(["A", "B", "C"], start=1):
        update_organisation(
            organisation=cast.municipality, data={"name": name}, by=cast.org_admin, version=version
        )

    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 4
    assert history_for(cast.municipality).filter(action="organisation.updated").count() == 3


def test_it_refuses_a_stale_version_and_changes_nothing(cast):
    update_organisation(
        organisation=cast.municipality, data={"name": "First"}, by=cast.org_admin, version=1
    )
    entries = LogEntry.objects.count()

    with pytest.raises(EditConflict) as caught:
        update_organisation(
            organisation=Organisation.objects.get(pk=cast.municipality.pk),
            data={"name": "Second", "description": "Overwritten"},
            by=cast.coordinator,
            version=1,
        )

    assert caught.value.current.name == "First"
    assert caught.value.current.version == 2
    stored = Organisation.objects.get(pk=cast.municipality.pk)
    assert (stored.name, stored.description, stored.version) == ("First", "Kommunen.", 2)
    assert LogEntry.objects.count() == entries


def test_it_writes_nothing_for_an_edit_that_changes_nothing(cast):
    entries = LogEntry.objects.count()

    changes = update_organisation(
        organisation=cast.municipality,
        data={"name": "Göteborgs Stad", "organisation_number": "212000-1355"},
        by=cast.org_admin,
        version=1,
    )

    assert changes == {}
    assert LogEntry.objects.count() == entries
    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 1


def test_it_treats_a_differently_typed_same_number_as_no_change(cast):
    changes = update_organisation(
        organisation=cast.municipality,
        data={"organisation_number": "2120001355"},
        by=cast.org_admin,
        version=1,
    )

    assert changes == {}
    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 1


def test_it_records_the_normalised_number(cast):
    changes = update_organisation(
        organisation=cast.municipality,
        data={"organisation_number": "556036 0793"},
        by=cast.org_admin,
        version=1,
    )

    assert changes == {"organisation_number": ["212000-1355", "556036-0793"]}
    cast.municipality.refresh_from_db()
    assert cast.municipality.organisation_number == "556036-0793"


def test_it_refuses_an_invalid_update_and_changes_nothing(cast):
    entries = LogEntry.objects.count()

    with pytest.raises(ValidationError) as caught:
        update_organisation(
            organisation=cast.municipality,
            data={"name": "Renamed", "organisation_number": "212000-1356"},
            by=cast.org_admin,
            version=1,
        )

    assert "organisation_number" in caught.value.message_dict
    stored = Organisation.objects.get(pk=cast.municipality.pk)
    assert (stored.name, stored.organisation_number, stored.version) == (
        "Göteborgs Stad",
        "212000-1355",
        1,
    )
    assert LogEntry.objects.count() == entries


def test_it_refuses_to_take_another_organisations_number(cast):
    other = _create(organisation_number="556036-0793")

    with pytest.raises(ValidationError) as caught:
        update_organisation(
            organisation=other,
            data={"organisation_number": "212000-1355"},
            by=cast.org_admin,
            version=1,
        )

    assert "organisation_number" in caught.value.message_dict
    other.refresh_from_db()
    assert other.organisation_number == "556036-0793"


def test_it_refuses_fields_that_are_not_editable(cast):
    with pytest.raises(ValueError, match="country"):
        update_organisation(
            organisation=cast.municipality, data={"country": "NO"}, by=cast.org_admin, version=1
        )

    cast.municipality.refresh_from_db()
    assert cast.municipality.country == "SE"
