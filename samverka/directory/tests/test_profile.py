# SPDX-License-Identifier: AGPL-3.0-or-later
"""Themes, capabilities with details, the commitment and the places served."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samverka.core.audit import history_for
from samverka.directory.models import Capability, Place, PlaceKind
from samverka.directory.places import add_sub_place, load_municipalities
from samverka.directory.services import EditConflict, update_organisation


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _edit(cast, **changes):
    organisation = cast.municipality
    data = {
        "name": organisation.name,
        "organisation_number": organisation.organisation_number,
        "sector": organisation.sector,
        "description": organisation.description,
        "description_language": organisation.description_language,
        "website": "",
        "email": "",
        "phone": "",
        "commitment": "",
        "version": organisation.version,
    }
    return _client(cast.org_admin).post(
        reverse("directory:edit", args=[organisation.pk]), data | changes
    )


def test_the_admin_sets_themes_capabilities_and_commitment(cast):
    response = _edit(
        cast,
        themes=["safety", "jobs", "safety"],
        capability_premises="on",
        capability_premises_detail="Lokal i Hammarkullen, kvällar",
        capability_funding_detail="Föreningsbidrag",  # a detail alone counts
        commitment="Överenskommelsen gäller till 2030.",
    )

    assert response.status_code == 302
    cast.municipality.refresh_from_db()
    assert cast.municipality.themes == ["jobs", "safety"]  # taxonomy order, once each
    assert cast.municipality.commitment == "Överenskommelsen gäller till 2030."
    assert dict(cast.municipality.capabilities.values_list("kind", "detail")) == {
        "premises": "Lokal i Hammarkullen, kvällar",
        "funding": "Föreningsbidrag",
    }
    changes = history_for(cast.municipality).first().data["changes"]
    assert changes["capabilities"] == [
        {},
        {"funding": "Föreningsbidrag", "premises": "Lokal i Hammarkullen, kvällar"},
    ]

    page = Client().get(cast.municipality.get_absolute_url())
    assert "Lokal i Hammarkullen, kvällar" in page.text
    assert "Överenskommelsen gäller till 2030." in page.text
    assert "Safety" in page.text


def test_unticking_a_capability_removes_it(cast):
    Capability.objects.create(organisation=cast.municipality, kind="volunteers", detail="")

    _edit(cast)

    assert not cast.municipality.capabilities.exists()


def test_an_unknown_theme_is_refused_and_nothing_saved(cast):
    response = _edit(cast, themes=["jobs", "astrology"], commitment="X")

    assert response.status_code == 200
    assert "themes" in response.context["form"].errors
    cast.municipality.refresh_from_db()
    assert (cast.municipality.themes, cast.municipality.commitment) == ([], "")


def test_the_service_refuses_bad_capabilities_and_places(cast):
    with pytest.raises(ValidationError) as error:
        update_organisation(
            organisation=cast.municipality,
            data={"capabilities": {"telepathy": ""}},
            by=cast.org_admin,
            version=1,
        )
    assert "capabilities" in error.value.message_dict
    load_municipalities()
    esbjerg = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Esbjerg")
    with pytest.raises(ValidationError, match="organisation's country"):
        update_organisation(
            organisation=cast.municipality,
            data={"places": [esbjerg.pk]},
            by=cast.org_admin,
            version=1,
        )
    cast.municipality.refresh_from_db()
    assert cast.municipality.version == 1


def test_places_served_are_added_and_removed_on_their_page(cast):
    load_municipalities()
    goteborg = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Göteborg")
    hammarkullen = add_sub_place(
        parent=goteborg, name="Hammarkullen", kind=PlaceKind.NEIGHBOURHOOD, code="hammarkullen"
    )
    client = _client(cast.org_admin)
    url = reverse("directory:places", args=[cast.municipality.pk])

    found = client.get(url, {"q": "hammark"})
    assert "Add Hammarkullen" in found.text
    assert "Esbjerg" not in client.get(url, {"q": "esbj"}).text  # other country

    client.post(url, {"action": "add", "place": hammarkullen.pk, "version": 1})
    client.post(url, {"action": "add", "place": goteborg.pk, "version": 2})

    assert set(cast.municipality.places.all()) == {goteborg, hammarkullen}
    assert set(Place.objects.within(goteborg)) >= {hammarkullen}

    client.post(url, {"action": "remove", "place": hammarkullen.pk, "version": 3})
    assert list(cast.municipality.places.all()) == [goteborg]


def test_a_stale_places_form_changes_nothing(cast):
    load_municipalities()
    goteborg = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Göteborg")
    update_organisation(
        organisation=cast.municipality, data={"description": "Ny."}, by=cast.org_admin, version=1
    )

    response = _client(cast.org_admin).post(
        reverse("directory:places", args=[cast.municipality.pk]),
        {"action": "add", "place": goteborg.pk, "version": 1},
        follow=True,
    )

    assert "Someone else saved this profile meanwhile" in response.text
    assert not cast.municipality.places.exists()
    with pytest.raises(EditConflict):
        update_organisation(
            organisation=cast.municipality,
            data={"places": [goteborg.pk]},
            by=cast.org_admin,
            version=1,
        )


def test_the_api_reads_and_patches_the_new_fields(cast):
    load_municipalities()
    goteborg = Place.objects.get(kind=PlaceKind.MUNICIPALITY, name="Göteborg")
    client = _client(cast.org_admin)
    url = f"/api/organisations/{cast.municipality.pk}"

    response = client.patch(
        url,
        {
            "version": 1,
            "themes": ["housing"],
            "capabilities": {"local_knowledge": "Stadsdelsförvaltningen"},
            "places": [goteborg.pk],
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = Client().get(url).json()
    assert body["themes"] == ["housing"]
    assert body["capabilities"] == {"local_knowledge": "Stadsdelsförvaltningen"}
    assert body["places"] == [goteborg.pk]
    assert body["claimed"] is True
    assert body["uuid"] == str(cast.municipality.uuid)


def test_loading_municipalities_is_idempotent(db):
    first = load_municipalities()
    assert first == 3 + 290 + 357 + 98
    assert load_municipalities() == 0
