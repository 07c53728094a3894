# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open Referral HSDS 3.0 export and import, validated offline against the
official schemas and example kept unchanged in samverka/directory/data/hsds-3.0."""

import copy
import hashlib
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from samverka.accounts.services import create_api_token
from samverka.core.models import LogEntry
from samverka.directory import hsds
from samverka.directory.models import Capability, CapabilityKind, EntryDoor, Organisation, Place
from samverka.directory.services import add_entry_door, create_organisation, update_organisation

# The official files live in the repository (a clone has nothing outside it);
# SHA256SUMS records their checksums at the upstream commit named in the README.
OFFICIAL = Path(settings.BASE_DIR) / "samverka" / "directory" / "data" / "hsds-3.0"
OFFICIAL_SUMS = {
    name: digest
    for digest, name in (
        line.split(None, 1) for line in (OFFICIAL / "SHA256SUMS").read_text().splitlines()
    )
}
SCHEMA_FILES = sorted(name for name in OFFICIAL_SUMS if "/" not in name and name.endswith(".json"))
EXAMPLE = OFFICIAL / "examples" / "organization_full.json"


@pytest.fixture(autouse=True)
def reindexed(monkeypatch):
    """The ids handed to the search index (tested there, not here)."""
    calls = []
    monkeypatch.setattr(hsds, "_reindex", calls.append)
    return calls


def official_problems(document):
    """Problems against the official files named explicitly (not the default)."""
    return hsds.validate(document, schema_dir=OFFICIAL)


@pytest.fixture
def places(db):
    sweden = Place.objects.create(
        kind="country", name="Sverige", country="SE", code="SE", path="SE/"
    )
    gothenburg = Place.objects.create(
        kind="municipality",
        name="Göteborg",
        country="SE",
        code="1480",
        parent=sweden,
        path="SE/1480/",
        latitude=57.7089,
        longitude=11.9746,
        population=600_000,
    )
    district = Place.objects.create(
        kind="district",
        name="Angered",
        country="SE",
        code="3",
        parent=gothenburg,
        path="SE/1480/3/",
    )
    return [gothenburg, district]


@pytest.fixture
def rich(cast, places):
    """The municipality with every field the mapping knows filled in."""
    organisation = cast.municipality
    update_organisation(
        organisation=organisation,
        data={
            "website": "https://goteborg.se",
            "email": "kontakt@goteborg.example",
            "phone": "+46 31 365 00 00",
            "themes": ["safety", "jobs", "children_youth"],
            "commitment": "Tre år, två tjänster och lokaler i Angered.",
            "capabilities": {
                "premises": "Lokaler i Angereds centrum, kvällar.",
                "jobs_internships": "Feriejobb för 16–19-åringar.",
                "expertise": "",
            },
            "places": [p.pk for p in places],
        },
        by=cast.org_admin,
        version=organisation.version,
    )
    add_entry_door(
        organisation=organisation,
        data={
            "topic": "Volontärer i Angered",
            "who": "Områdeskoordinatorn",
            "email": "angered@goteborg.example",
            "phone": "+46 31 365 10 00",
            "form_url": "https://goteborg.se/volontar",
            "opening_hours": "Vardagar 9–16",
        },
        by=cast.org_admin,
    )
    add_entry_door(
        organisation=organisation,
        data={"topic": "Praktik", "who": "HR", "phone": "+46 31 365 20 00"},
        by=cast.org_admin,
    )
    organisation.refresh_from_db()
    return organisation


def export(organisation):
    return hsds.organisation_document(Organisation.objects.get(pk=organisation.pk))


def snapshot():
    """Everything an import could change, to prove it changed nothing."""
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(Capability.objects.order_by("pk").values()),
        list(EntryDoor.objects.order_by("pk").values()),
        sorted(Organisation.places.through.objects.values_list("organisation_id", "place_id")),
        LogEntry.objects.count(),
    )


# --- the validator itself ----------------------------------------------------------


def test_it_packages_unchanged_copies_of_the_official_schemas():
    packaged = hsds.SCHEMA_DIR
    assert sorted(p.name for p in packaged.glob("*.json")) == SCHEMA_FILES
    assert "organization.json" in SCHEMA_FILES
    assert {"LICENSE.txt", "examples/organization_full.json"} <= OFFICIAL_SUMS.keys()
    for name, digest in OFFICIAL_SUMS.items():
        assert hashlib.sha256((packaged / name).read_bytes()).hexdigest() == digest, name


def test_it_accepts_the_official_example():
    example = json.loads(EXAMPLE.read_text())
    assert official_problems(example) == []


def test_it_catches_a_broken_document_with_the_path_of_each_problem():
    example = json.loads(EXAMPLE.read_text())
    del example["name"]
    example["id"] = "not-a-uuid"
    example["website"] = "not a uri"
    example["services"][0]["status"] = "open"
    example["contacts"][0]["phones"][0]["number"] = 12

    paths = {p.path for p in official_problems(example)}

    assert {"$", "$.id", "$.website", "$.services[0].status"} <= paths
    assert "$.contacts[0].phones[0].number" in paths
    assert any("name" in p.message for p in official_problems(example) if p.path == "$")


# --- export ------------------------------------------------------------------------


def test_it_exports_a_rich_organisation_that_validates(rich):
    document = export(rich)
    assert official_problems(document) == []


def test_it_maps_the_profile(rich):
    document = export(rich)

    assert document["id"] == str(rich.uuid)
    assert document["name"] == "Göteborgs Stad"
    assert document["website"] == "https://goteborg.se"
    assert document["email"] == "kontakt@goteborg.example"
    assert [p["number"] for p in document["phones"]] == ["+46 31 365 00 00"]
    assert document["organization_identifiers"] == [
        {
            "id": document["organization_identifiers"][0]["id"],
            "organization_id": str(rich.uuid),
            "identifier_scheme": "SE-ON",
            "identifier_type": "Organisationsnummer",
            "identifier": "212000-1355",
        }
    ]
    terms = {
        (a["link_type"], a["taxonomy_term"]["code"]): a.get("value") for a in document["attributes"]
    }
    assert terms == {
        ("sectors", "municipality"): None,
        ("themes", "jobs"): None,
        ("themes", "safety"): None,
        ("themes", "children_youth"): None,
        ("profile", "country"): "SE",
        ("profile", "description_language"): "sv",
        ("profile", "commitment"): "Tre år, två tjänster och lokaler i Angered.",
    }
    term = document["attributes"][0]["taxonomy_term"]
    assert term["language"] == "en"
    assert term["term_uri"] == "urn:samverka:taxonomy:sectors:municipality"
    assert term["taxonomy_detail"]["uri"] == "urn:samverka:taxonomy:sectors"


def test_it_makes_one_service_per_capability(rich):
    services = export(rich)["services"]

    with translation.override("sv"):  # the language of the description
        names = [
            str(CapabilityKind(k).label) for k in ("expertise", "jobs_internships", "premises")
        ]
    assert [s["name"] for s in services] == names
    premises = services[2]
    assert premises["description"] == "Lokaler i Angereds centrum, kvällar."
    assert premises["status"] == "active"
    assert premises["organization_id"] == str(rich.uuid)
    assert {(a["link_type"], a["taxonomy_term"]["code"]) for a in premises["attributes"]} == {
        ("capabilities", "premises"),
        ("themes", "jobs"),
        ("themes", "safety"),
        ("themes", "children_youth"),
    }
    assert [a["name"] for a in premises["service_areas"]] == ["Göteborg", "Angered"]
    assert "description" not in services[0]  # empty detail: no empty string


def test_it_exports_places_as_locations_with_coordinates(rich):
    locations = [loc for loc in export(rich)["locations"] if loc["location_type"] == "physical"]
    assert [(loc["name"], loc.get("latitude"), loc.get("longitude")) for loc in locations] == [
        ("Göteborg", 57.7089, 11.9746),
        ("Angered", None, None),
    ]
    assert locations[0]["external_identifier"] == "SE/1480/"
    assert locations[0]["description"] == "Municipality, Sweden"


def test_it_exports_entry_doors_as_contacts(rich):
    document = export(rich)
    volunteers, internships = document["contacts"]

    assert volunteers["name"] == "Områdeskoordinatorn"
    assert volunteers["title"] == "Volontärer i Angered"
    assert volunteers["email"] == "angered@goteborg.example"
    assert [p["number"] for p in volunteers["phones"]] == ["+46 31 365 10 00"]
    assert "email" not in internships
    (virtual,) = [loc for loc in document["locations"] if loc["location_type"] == "virtual"]
    assert virtual["url"] == "https://goteborg.se/volontar"
    assert virtual["contacts"][0]["id"] == volunteers["id"]
    assert virtual["schedules"][0]["description"] == "Vardagar 9–16"


def test_it_exports_no_personal_data_of_members(rich, cast):
    text = json.dumps(export(rich))
    for person in (cast.org_admin, cast.coordinator, cast.member):
        assert person.email not in text
        assert person.first_name not in text
    assert "claimed" not in text
    assert "version" not in text


def test_it_exports_the_same_document_twice(rich):
    assert export(rich) == export(rich)


def test_it_exports_a_sparse_organisation_that_validates(cast):
    document = export(cast.ngo)
    assert official_problems(document) == []
    assert document["description"] == ""
    assert "organization_identifiers" not in document
    assert "services" not in document


def test_every_demo_organisation_validates(db):
    call_command("demo", generated=20, stdout=open("/dev/null", "w"))  # noqa: SIM115
    queryset = Organisation.objects.all()
    documents = list(hsds.iter_documents(queryset, chunk=7))

    assert len(documents) == queryset.count() >= 20
    problems = [p for d in documents for p in official_problems(d)]
    assert problems == []
    assert any(d.get("contacts") for d in documents)
    assert any(d.get("organization_identifiers") for d in documents)


def test_the_list_export_is_a_page_of_valid_documents(rich, cast):
    page = hsds.page_of(Organisation.objects.all(), page=1, per_page=1)

    assert {k: v for k, v in page.items() if k != "contents"} == {
        "total_items": 2,
        "total_pages": 2,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert page["contents"][0]["name"] == "Göteborgs Stad"
    last = hsds.page_of(Organisation.objects.all(), page=2, per_page=1)
    assert last["last_page"] and last["contents"][0]["name"] == "Røde Kors Esbjerg"
    assert hsds.page_of(Organisation.objects.all(), page=9, per_page=1)["empty"]


def test_the_list_export_runs_a_fixed_number_of_queries(rich, cast, django_assert_max_num_queries):
    for n in range(5):
        create_organisation(by=None, name=f"Förening {n}", country="SE", sector="civil_society")
    with django_assert_max_num_queries(5):
        hsds.page_of(Organisation.objects.all(), page=1, per_page=50)


# --- import ------------------------------------------------------------------------


def test_importing_an_export_changes_nothing(rich, cast, reindexed):
    document = export(rich)
    before = snapshot()

    result = hsds.import_organisations(document, by=cast.platform_admin)

    assert result.unchanged == [str(rich.uuid)] and not result.created and not result.updated
    assert result.notes == []
    assert snapshot() == before
    assert reindexed == [[rich.pk]]


def test_a_deleted_organisation_comes_back_the_same(rich, cast):
    document = export(rich)
    rich.delete()

    result = hsds.import_organisations(document, by=cast.platform_admin)

    assert result.created == [str(rich.uuid)]
    back = Organisation.objects.get(uuid=rich.uuid)
    assert back.claimed is False  # imported: unclaimed until its own people claim it
    again = export(back)
    # Only the contact ids differ: they derive from the new entry doors' ids.
    assert _without_ids(again) == _without_ids(document)
    assert hsds.import_organisations(again, by=cast.platform_admin).unchanged == [str(rich.uuid)]
    # And the original export, with the old contact ids, is matched by content.
    before = snapshot()
    assert hsds.import_organisations(document, by=None).unchanged == [str(rich.uuid)]
    assert snapshot() == before


def _without_ids(value):
    if isinstance(value, dict):
        return {
            k: _without_ids(v)
            for k, v in value.items()
            if not (k == "id" or k.endswith("_id")) or k == "organization_id"
        }
    if isinstance(value, list):
        return [_without_ids(v) for v in value]
    return value


def test_it_updates_by_id(rich, cast):
    document = export(rich)
    document["name"] = "Göteborgs kommun"
    document["services"] = document["services"][:1]
    document["contacts"] = document["contacts"][1:]
    document["locations"] = [
        loc for loc in document["locations"] if loc.get("external_identifier") != "SE/1480/3/"
    ]
    for service in document["services"]:
        service["service_areas"] = service["service_areas"][:1]

    result = hsds.import_organisations(document, by=cast.platform_admin)

    assert result.updated == [str(rich.uuid)]
    rich.refresh_from_db()
    assert rich.name == "Göteborgs kommun"
    assert list(rich.capabilities.values_list("kind", flat=True)) == ["expertise"]
    assert list(rich.entry_doors.values_list("topic", flat=True)) == ["Praktik"]
    assert list(rich.places.values_list("path", flat=True)) == ["SE/1480/"]
    assert rich.claimed is True  # an update does not unclaim
    assert LogEntry.objects.filter(action="organisation.hsds_imported").count() == 1


def test_it_matches_by_organisation_number_when_the_id_is_new(rich, cast):
    document = export(rich)
    document["id"] = str(uuid.uuid4())
    document["description"] = "Ny beskrivning."
    document["organization_identifiers"][0]["identifier"] = "2120001355"  # unformatted

    result = hsds.import_organisations(document, by=cast.platform_admin)

    assert result.updated == [str(rich.uuid)]
    assert Organisation.objects.count() == 2
    rich.refresh_from_db()
    assert rich.description == "Ny beskrivning."


def test_an_unknown_service_becomes_capability_other(cast):
    document = {
        "id": str(uuid.uuid4()),
        "name": "Stadsmissionen Oslo",
        "description": "Hjelp til mennesker i en vanskelig livssituasjon.",
        "organization_identifiers": [
            {
                "id": str(uuid.uuid4()),
                "identifier_scheme": "NO-BRC",
                "identifier_type": "Organisasjonsnummer",
                "identifier": "971 436 956",
            }
        ],
        "services": [
            {
                "id": str(uuid.uuid4()),
                "name": "Matutdeling",
                "description": "Mat hver tirsdag.",
                "status": "active",
            },
            {"id": str(uuid.uuid4()), "name": "Gatemagasinet", "status": "active"},
        ],
        "contacts": [{"id": str(uuid.uuid4()), "name": "Resepsjonen", "email": "post@sm.example"}],
    }

    result = hsds.import_organisations(document, by=cast.platform_admin)

    organisation = Organisation.objects.get(uuid=document["id"])
    assert result.created == [document["id"]]
    assert (organisation.country, organisation.organisation_number) == ("NO", "971436956")
    assert (organisation.sector, organisation.description_language) == ("other", "nb")
    assert organisation.claimed is False
    assert dict(organisation.capabilities.values_list("kind", "detail")) == {
        "other": "Matutdeling: Mat hver tirsdag.\nGatemagasinet"
    }
    door = organisation.entry_doors.get()
    assert (door.who, door.topic, door.email) == ("Resepsjonen", "Resepsjonen", "post@sm.example")
    assert {n.path for n in result.notes} == {"$.services[0]", "$.services[1]"}


def test_it_reports_what_it_could_not_store(rich, cast):
    document = export(rich)
    document["phones"].append({"id": str(uuid.uuid4()), "number": "+46 31 00 00 00"})
    document["attributes"].append(
        {
            "id": str(uuid.uuid4()),
            "taxonomy_term": {"id": str(uuid.uuid4()), "name": "Food bank", "description": ""},
        }
    )

    result = hsds.import_organisations(document, by=cast.platform_admin)

    assert [n.path for n in result.notes] == ["$.attributes[7]", "$.phones[1]"]


def test_it_refuses_an_invalid_document_listing_every_problem(cast):
    before = snapshot()
    with pytest.raises(hsds.HsdsError) as caught:
        hsds.import_organisations(
            [{"id": "x", "name": "A", "description": ""}, {"name": 3}], by=cast.platform_admin
        )
    paths = {p.path for p in caught.value.problems}
    assert paths == {"$[0].id", "$[1]", "$[1].name"}
    assert snapshot() == before


def test_a_bad_item_in_a_list_imports_nothing(rich, cast):
    good = export(rich)
    good["name"] = "Göteborgs kommun"
    new = export(cast.ngo) | {"id": str(uuid.uuid4()), "name": "Ny förening"}
    # Valid HSDS, but too long for the directory: found only when mapping.
    bad = copy.deepcopy(new) | {"id": str(uuid.uuid4()), "name": "x" * 201}
    unknown_place = export(rich) | {"id": str(uuid.uuid4())}
    del unknown_place["organization_identifiers"]
    unknown_place["locations"][0]["external_identifier"] = "SE/9999/"
    before = snapshot()

    with pytest.raises(hsds.HsdsError) as caught:
        hsds.import_organisations([good, new, bad, unknown_place], by=cast.platform_admin)

    assert {p.path for p in caught.value.problems} == {
        "$[2].name",
        "$[3].locations[0]",
        *(f"$[3].services[{i}].service_areas[0]" for i in range(3)),
    }
    assert snapshot() == before


def test_it_refuses_a_number_that_belongs_to_another_organisation(rich, cast):
    document = export(cast.ngo)
    document["organization_identifiers"] = export(rich)["organization_identifiers"]
    with pytest.raises(hsds.HsdsError) as caught:
        hsds.import_organisations(document, by=None)
    assert [p.path for p in caught.value.problems] == ["$.organization_identifiers"]


def test_it_refuses_the_same_id_twice_in_a_list(rich):
    document = export(rich)
    with pytest.raises(hsds.HsdsError) as caught:
        hsds.import_organisations([document, document], by=None)
    assert [p.path for p in caught.value.problems] == ["$[1].id"]


def test_it_refuses_a_new_organisation_without_a_country(cast):
    document = {"id": str(uuid.uuid4()), "name": "Okänd", "description": ""}
    with pytest.raises(hsds.HsdsError) as caught:
        hsds.import_organisations(document, by=None)
    assert [p.path for p in caught.value.problems] == ["$"]


def test_it_refuses_text_that_is_not_json():
    with pytest.raises(hsds.HsdsError):
        hsds.load("{not json")


# --- API ---------------------------------------------------------------------------


def test_the_api_lists_pages_of_organizations(client, rich, cast):
    response = client.get("/api/hsds/organizations", {"per_page": 1, "page": 2})
    assert response.status_code == 200
    page = response.json()
    assert (page["total_items"], page["page_number"], page["last_page"]) == (2, 2, True)
    assert official_problems(page["contents"][0]) == []

    response = client.get("/api/hsds/organizations", {"country": "SE"})
    assert [o["name"] for o in response.json()["contents"]] == ["Göteborgs Stad"]


def test_the_api_gives_one_organization(client, rich):
    response = client.get(f"/api/hsds/organizations/{rich.uuid}")
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(export(rich)))
    assert client.get(f"/api/hsds/organizations/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/hsds/organizations/12").status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("org_admin", 403), ("platform_admin", 200)],
)
def test_only_platform_admins_import_through_the_api(client, rich, cast, role, status):
    document = export(rich) | {"name": "Göteborgs kommun"}
    headers = {}
    if role != "anonymous":
        _token, raw = create_api_token(user=getattr(cast, role), name="import")
        headers = {"authorization": f"Bearer {raw}"}

    response = client.post(
        "/api/hsds/organizations", document, content_type="application/json", headers=headers
    )

    assert response.status_code == status, response.content
    rich.refresh_from_db()
    assert (rich.name == "Göteborgs kommun") == (status == 200)
    if status == 200:
        assert response.json()["updated"] == [str(rich.uuid)]


def test_the_api_import_answers_422_with_paths(client, cast):
    client.force_login(cast.platform_admin)
    response = client.post(
        "/api/hsds/organizations",
        [{"id": str(uuid.uuid4()), "name": "A"}],
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [p["path"] for p in response.json()["detail"]] == ["$[0]"]
    response = client.post("/api/hsds/organizations", "{oops", content_type="application/json")
    assert response.status_code == 422


# --- download and commands -----------------------------------------------------------


def test_the_list_page_offers_the_download_with_its_filters(client, rich):
    page = client.get("/organisations/", {"country": "DK"})
    assert b"/organisations/hsds.json?country=DK" in page.content

    response = client.get("/organisations/hsds.json", {"country": "SE"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    documents = json.loads(b"".join(response.streaming_content))
    assert [d["name"] for d in documents] == ["Göteborgs Stad"]
    assert official_problems(documents[0]) == []


def test_the_commands_export_and_import(rich, cast, tmp_path):
    out = tmp_path / "hsds.json"
    call_command("hsds_export", "--validate", "-o", str(out), stderr=open("/dev/null", "w"))  # noqa: SIM115
    documents = json.loads(out.read_text())
    assert len(documents) == 2
    before = snapshot()

    call_command("hsds_import", str(out), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before

    documents[0]["name"] = "Ändrat"
    documents[1]["id"] = "nope"
    out.write_text(json.dumps(documents))
    with pytest.raises(CommandError, match=r"\$\[1\]\.id"):
        call_command("hsds_import", str(out))
    assert snapshot() == before


def test_the_import_command_dry_run_changes_nothing(rich, tmp_path):
    document = export(rich) | {"name": "Ändrat"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(document))
    before = snapshot()
    call_command("hsds_import", str(path), "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before
