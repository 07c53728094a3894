# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open Referral HSDS 3.0: organisations out as "organization" documents, and back in.

The mapping, both ways:

- organisation → organization: id (our stable uuid), name, description, email,
  website, phones, and the organisation number as an organization_identifier
  with its org-id.guide scheme (SE-ON, NO-BRC, DK-CVR);
- sector, themes, country, language of the description and commitment →
  organization attributes, each a term of one of our taxonomies (codes are
  our choice values; URIs are urn:samverka:taxonomy:…);
- each capability → one service (name = the capability, description = the
  detail) with the capability and the themes as attributes, and the places
  served as service_areas;
- places served → physical locations (with latitude/longitude when known),
  keyed by the place's path;
- entry doors → contacts (name = who answers, title = topic, e-mail, phone);
  a door's web form and opening hours go on a virtual location that holds
  the same contact, with the hours as a schedule description.

Every id inside a document is derived (uuid5) from stable keys, so exporting
twice gives the same document and importing an export changes nothing.
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from samverka.accounts.models import User
from samverka.core.audit import log_action
from samverka.directory import orgnumbers, search, services
from samverka.directory.models import (
    CapabilityKind,
    Country,
    EntryDoor,
    Organisation,
    Place,
    PlaceKind,
    Sector,
    Theme,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "data" / "hsds-3.0"
# Where the official schemas live; the relative $refs resolve against it.
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:samverka:hsds")

# org-id.guide list codes for the national registers.
IDENTIFIER_SCHEMES = {"SE": "SE-ON", "NO": "NO-BRC", "DK": "DK-CVR"}
IDENTIFIER_TYPES = {"SE": "Organisationsnummer", "NO": "Organisasjonsnummer", "DK": "CVR-nummer"}
COUNTRY_OF_SCHEME = {scheme: country for country, scheme in IDENTIFIER_SCHEMES.items()}
DEFAULT_LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}
PLACE_PATH = "samverka-place-path"

# Profile values without a vocabulary travel as attribute values of these terms.
PROFILE_TERMS = {
    "country": "Country (ISO 3166-1 alpha-2)",
    "description_language": "Language of the description (ISO 639-1)",
    "commitment": "What the organisation can commit to",
}


# --- taxonomies -----------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    terms: dict[str, str]  # code → English name

    @property
    def id(self) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy/{self.key}"))

    @property
    def uri(self) -> str:
        return f"urn:samverka:taxonomy:{self.key}"

    def term_id(self, code: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"taxonomy/{self.key}/{code}"))


@cache
def taxonomies() -> dict[str, Taxonomy]:
    """Our vocabularies, with English term names (HSDS consumers are global)."""
    with translation.override("en"):
        return {
            "sectors": Taxonomy(
                "sectors",
                "Samverka sectors",
                "The sector an organisation belongs to.",
                {c: str(label) for c, label in Sector.choices},
            ),
            "themes": Taxonomy(
                "themes",
                "Samverka themes",
                "What an organisation works on.",
                {c: str(label) for c, label in Theme.choices},
            ),
            "capabilities": Taxonomy(
                "capabilities",
                "Samverka capabilities",
                "What an organisation can offer a partnership.",
                {c: str(label) for c, label in CapabilityKind.choices},
            ),
            "profile": Taxonomy(
                "profile",
                "Samverka profile fields",
                "Profile values without an HSDS field; the value is in the attribute.",
                PROFILE_TERMS,
            ),
        }


@cache
def _terms_by_id() -> dict[str, tuple[str, str]]:
    return {
        taxonomy.term_id(code): (taxonomy.key, code)
        for taxonomy in taxonomies().values()
        for code in taxonomy.terms
    }


def _term(taxonomy_key: str, code: str) -> dict[str, Any]:
    taxonomy = taxonomies()[taxonomy_key]
    return {
        "id": taxonomy.term_id(code),
        "code": code,
        "name": taxonomy.terms[code],
        "description": f"{taxonomy.name}: {taxonomy.terms[code]}",
        "taxonomy": taxonomy.name,
        "taxonomy_detail": {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
        },
        "language": "en",
        "taxonomy_id": taxonomy.id,
        "term_uri": f"{taxonomy.uri}:{code}",
    }


def _attribute(
    link_id: str, link_entity: str, taxonomy_key: str, code: str, value: str | None = None
) -> dict[str, Any]:
    term = _term(taxonomy_key, code)
    attribute = {
        "id": str(uuid.uuid5(uuid.UUID(link_id), f"attribute/{taxonomy_key}/{code}")),
        "link_id": link_id,
        "link_type": taxonomy_key,
        "link_entity": link_entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value is not None:
        attribute["value"] = value
    return attribute


def _our_term(attribute: dict[str, Any]) -> tuple[str, str] | None:
    """(taxonomy key, code) if the attribute uses one of our terms."""
    term = attribute.get("taxonomy_term") or {}
    for term_id in (attribute.get("taxonomy_term_id"), term.get("id")):
        if term_id in _terms_by_id():
            return _terms_by_id()[term_id]
    uri = term.get("term_uri") or ""
    if uri.startswith("urn:samverka:taxonomy:"):
        key, _sep, code = uri.removeprefix("urn:samverka:taxonomy:").partition(":")
        if key in taxonomies() and code in taxonomies()[key].terms:
            return key, code
    return None


# --- export ---------------------------------------------------------------------


def _sub_id(parent: str, key: str) -> str:
    return str(uuid.uuid5(uuid.UUID(parent), key))


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """HSDS checks formats (email, uri): an empty string is invalid, a missing key is not."""
    return {k: v for k, v in data.items() if v not in ("", None, [])}


def door_contact_id(organisation: Organisation, door: EntryDoor) -> str:
    return _sub_id(str(organisation.uuid), f"entry-door/{door.pk}")


def _phone(owner_id: str, number: str, owner_field: str) -> dict[str, Any]:
    return {
        "id": _sub_id(owner_id, f"phone/{number}"),
        owner_field: owner_id,
        "number": number,
        "type": "voice",
    }


def _place_location(place: Place, organisation_id: str) -> dict[str, Any]:
    with translation.override("en"):
        description = f"{PlaceKind(place.kind).label}, {Country(place.country).label}"
    return _without_empty(
        {
            "id": str(uuid.uuid5(NAMESPACE, f"place/{place.path}")),
            "location_type": "physical",
            "organization_id": organisation_id,
            "name": place.name,
            "description": description,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "external_identifier": place.path,
            "external_identifier_type": PLACE_PATH,
        }
    )


def organisation_document(organisation: Organisation) -> dict[str, Any]:
    """The HSDS 3.0 organization, fully nested. Prefetch capabilities, places and
    entry_doors (see `export_queryset`) when exporting many."""
    org_id = str(organisation.uuid)
    places = sorted(organisation.places.all(), key=lambda p: p.path)
    capabilities = sorted(organisation.capabilities.all(), key=lambda c: c.kind)
    doors = sorted(organisation.entry_doors.all(), key=lambda d: d.pk)
    themes = [t for t in Theme.values if t in (organisation.themes or [])]

    attributes = [_attribute(org_id, "organization", "sectors", organisation.sector)]
    attributes += [_attribute(org_id, "organization", "themes", t) for t in themes]
    attributes.append(
        _attribute(org_id, "organization", "profile", "country", organisation.country)
    )
    attributes.append(
        _attribute(
            org_id,
            "organization",
            "profile",
            "description_language",
            organisation.description_language,
        )
    )
    if organisation.commitment:
        attributes.append(
            _attribute(org_id, "organization", "profile", "commitment", organisation.commitment)
        )

    service_list = []
    for capability in capabilities:
        service_id = _sub_id(org_id, f"service/{capability.kind}")
        with translation.override(organisation.description_language):
            name = str(CapabilityKind(capability.kind).label)
        service_attributes = [_attribute(service_id, "service", "capabilities", capability.kind)]
        service_attributes += [_attribute(service_id, "service", "themes", t) for t in themes]
        service_list.append(
            _without_empty(
                {
                    "id": service_id,
                    "organization_id": org_id,
                    "name": name,
                    "description": capability.detail,
                    "email": organisation.email,
                    "status": "active",
                    "service_areas": [
                        _without_empty(
                            {
                                "id": _sub_id(service_id, f"area/{place.path}"),
                                "service_id": service_id,
                                "name": place.name,
                                "extent_type": PLACE_PATH,
                                "extent": place.path,
                            }
                        )
                        for place in places
                    ],
                    "attributes": service_attributes,
                }
            )
        )

    contacts = []
    door_locations = []
    for door in doors:
        contact_id = door_contact_id(organisation, door)
        contact = _without_empty(
            {
                "id": contact_id,
                "organization_id": org_id,
                "name": door.who,
                "title": door.topic,
                "email": door.email,
                "phones": [_phone(contact_id, door.phone, "contact_id")] if door.phone else [],
            }
        )
        contacts.append(contact)
        if door.form_url or door.opening_hours:
            location_id = _sub_id(contact_id, "location")
            door_locations.append(
                _without_empty(
                    {
                        "id": location_id,
                        "location_type": "virtual",
                        "organization_id": org_id,
                        "name": door.topic,
                        "url": door.form_url,
                        "contacts": [contact],
                        "schedules": [
                            {
                                "id": _sub_id(location_id, "schedule"),
                                "location_id": location_id,
                                "description": door.opening_hours,
                            }
                        ]
                        if door.opening_hours
                        else [],
                    }
                )
            )

    identifiers = []
    if organisation.organisation_number:
        identifiers.append(
            {
                "id": _sub_id(org_id, "identifier"),
                "organization_id": org_id,
                "identifier_scheme": IDENTIFIER_SCHEMES[organisation.country],
                "identifier_type": IDENTIFIER_TYPES[organisation.country],
                "identifier": organisation.organisation_number,
            }
        )

    return _without_empty(
        {
            "id": org_id,
            "name": organisation.name,
            "description": organisation.description,
            "email": organisation.email,
            "website": organisation.website,
            "contacts": contacts,
            "phones": [_phone(org_id, organisation.phone, "organization_id")]
            if organisation.phone
            else [],
            "locations": [_place_location(p, org_id) for p in places] + door_locations,
            "organization_identifiers": identifiers,
            "attributes": attributes,
            "services": service_list,
        }
    ) | {"description": organisation.description}  # required, even when empty


def export_queryset(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.prefetch_related("capabilities", "places", "entry_doors")


def page_of(queryset: QuerySet[Organisation], *, page: int, per_page: int) -> dict[str, Any]:
    """One page in the HSDS API's Page structure. HSDS pages by number, so this
    counts and offsets; per_page is capped by the caller (harvest everything
    with `manage.py hsds_export` or the streamed download instead)."""
    total = queryset.count()
    start = (page - 1) * per_page
    rows = list(export_queryset(queryset.order_by("name", "id"))[start : start + per_page])
    total_pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(rows),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not rows,
        "contents": [organisation_document(o) for o in rows],
    }


def iter_documents(queryset: QuerySet[Organisation], chunk: int = 500) -> Iterator[dict[str, Any]]:
    """Every organisation of `queryset`, in keyset chunks (constant memory)."""
    last = 0
    while True:
        rows = list(export_queryset(queryset.filter(pk__gt=last).order_by("pk"))[:chunk])
        yield from (organisation_document(o) for o in rows)
        if len(rows) < chunk:
            return
        last = rows[-1].pk


# --- validation -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: str  # JSONPath-like: $[0].services[1].status
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "msg": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class HsdsError(ValueError):
    """A document did not validate or could not be imported; nothing was changed."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:20]))
        self.problems = problems


def json_path(parts: Iterable[str | int], root: str = "$") -> str:
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


@cache
def _validator(schema_dir: Path = SCHEMA_DIR) -> Any:
    resources = [
        (SCHEMA_BASE + path.name, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(schema_dir.glob("*.json"))
        if path.name not in {"openapi.json", "example-organization_full.json"}
    ]
    registry = jsonschema_rs.Registry(resources, draft=jsonschema_rs.Draft202012)
    # organization.json does not list "services"; the compiled full organization
    # (left out of the copy) adds them as service items, as we do here.
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + "organization_full.json",
        "allOf": [{"$ref": "organization.json"}],
        "properties": {"services": {"type": "array", "items": {"$ref": "service.json"}}},
    }
    return jsonschema_rs.validator_for(root, registry=registry, validate_formats=True, offline=True)


def validate(document: Any, *, root: str = "$", schema_dir: Path = SCHEMA_DIR) -> list[Problem]:
    """Problems of one organization document against the HSDS 3.0 schemas (offline)."""
    errors = _validator(schema_dir).iter_errors(document)
    return sorted(
        # The schema's messages quote the value: shortened, so a huge one is not repeated.
        {Problem(json_path(e.instance_path, root), _shortened(e.message)) for e in errors},
        key=lambda p: (p.path, p.message),
    )


# --- import ---------------------------------------------------------------------


@dataclass
class Profile:
    """One organisation as read from a document, ready for the services."""

    uuid: uuid.UUID
    country: str | None
    fields: dict[str, Any]
    capabilities: dict[str, str]
    place_ids: list[int]
    doors: list[tuple[str, dict[str, str]]]  # (contact id, door fields)
    unset: set[str] = field(default_factory=set)  # fields the document cannot say


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # kept, but not where it came from

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "notes": [n.as_dict() for n in self.notes],
        }


def _attributes_by_taxonomy(attributes: list[dict[str, Any]]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for attribute in attributes:
        ours = _our_term(attribute)
        if ours:
            found.setdefault(ours[0], []).append((ours[1], attribute.get("value")))
    return found


def _read(document: dict[str, Any], root: str, notes: list[Problem]) -> Profile:
    problems: list[Problem] = []
    attributes = document.get("attributes") or []
    ours = _attributes_by_taxonomy(attributes)
    for index, attribute in enumerate(attributes):
        if _our_term(attribute) is None:
            term = attribute.get("taxonomy_term") or {}
            notes.append(
                Problem(
                    f"{root}.attributes[{index}]",
                    _("Not stored: the term “%(term)s” is not in a Samverka taxonomy.")
                    % {"term": term.get("name") or attribute.get("value") or "?"},
                )
            )
    profile_values = {code: value for code, value in ours.get("profile", [])}

    identifiers = document.get("organization_identifiers") or []
    number, number_country = "", None
    for index, identifier in enumerate(identifiers):
        scheme = identifier.get("identifier_scheme", "")
        if scheme in COUNTRY_OF_SCHEME and not number:
            number, number_country = identifier["identifier"], COUNTRY_OF_SCHEME[scheme]
        else:
            notes.append(
                Problem(
                    f"{root}.organization_identifiers[{index}]",
                    _("Not stored: only one SE-ON, NO-BRC or DK-CVR number is kept."),
                )
            )

    # Places served: our locations carry the place's path.
    paths = {}
    door_locations: dict[str, dict[str, Any]] = {}
    for index, location in enumerate(document.get("locations") or []):
        if location.get("external_identifier_type") == PLACE_PATH:
            paths[location.get("external_identifier", "")] = f"{root}.locations[{index}]"
        elif location.get("location_type") == "virtual" and location.get("contacts"):
            for contact in location["contacts"]:
                door_locations[contact.get("id")] = location
        else:
            notes.append(
                Problem(
                    f"{root}.locations[{index}]",
                    _("Not stored: only places served (from Samverka) are kept as locations."),
                )
            )
    places = {p.path: p for p in Place.objects.filter(path__in=list(paths))}
    for path, at in paths.items():
        if path not in places:
            problems.append(Problem(at, _("Unknown place “%(path)s”.") % {"path": path}))

    country = profile_values.get("country") or number_country
    if country is None and places:
        country = next(iter(places.values())).country
    if country is not None and country not in Country.values:
        problems.append(
            Problem(f"{root}.attributes", _("Unknown country “%(c)s”.") % {"c": country})
        )

    # Capabilities: one service each; anything else is kept as "other".
    capabilities: dict[str, list[str]] = {}
    themes = {code for code, _v in ours.get("themes", [])}
    for index, service in enumerate(document.get("services") or []):
        service_ours = _attributes_by_taxonomy(service.get("attributes") or [])
        themes |= {code for code, _v in service_ours.get("themes", [])}
        kinds = [code for code, _v in service_ours.get("capabilities", [])]
        description = (service.get("description") or "").strip()
        if kinds:
            capabilities.setdefault(kinds[0], []).append(description)
        else:
            text = service.get("name", "").strip()
            text = f"{text}: {description}" if description else text
            capabilities.setdefault(CapabilityKind.OTHER, []).append(text)
            notes.append(
                Problem(
                    f"{root}.services[{index}]",
                    _("Kept as the capability “Other”: the service names no Samverka capability."),
                )
            )
        for area_index, area in enumerate(service.get("service_areas") or []):
            if area.get("extent_type") == PLACE_PATH and area.get("extent") not in paths:
                problems.append(
                    Problem(
                        f"{root}.services[{index}].service_areas[{area_index}]",
                        _("The area is not among the organisation's locations."),
                    )
                )

    sectors = [code for code, _v in ours.get("sectors", [])]
    fields: dict[str, Any] = {
        "name": document["name"].strip(),
        "description": document.get("description", ""),
        "email": document.get("email", ""),
        "website": document.get("website", ""),
        "phone": ((document.get("phones") or [{}])[0]).get("number", ""),
        "organisation_number": number,
        "themes": [t for t in Theme.values if t in themes],
        "commitment": profile_values.get("commitment") or "",
    }
    unset = set()
    if sectors:
        fields["sector"] = sectors[0]
    else:
        unset.add("sector")
    if profile_values.get("description_language"):
        fields["description_language"] = profile_values["description_language"]
    else:
        unset.add("description_language")
    for index in range(1, len(document.get("phones") or [])):
        notes.append(Problem(f"{root}.phones[{index}]", _("Not stored: only one phone is kept.")))

    doors = []
    for index, contact in enumerate(document.get("contacts") or []):
        phones = contact.get("phones") or []
        location = door_locations.get(contact.get("id"), {})
        schedules = location.get("schedules") or [{}]
        who = contact.get("name") or contact.get("department") or document["name"]
        doors.append(
            (
                contact.get("id", ""),
                {
                    "topic": contact.get("title") or contact.get("department") or who,
                    "who": who,
                    "email": contact.get("email", ""),
                    "phone": phones[0].get("number", "") if phones else "",
                    "form_url": location.get("url", ""),
                    "opening_hours": schedules[0].get("description", ""),
                },
            )
        )
        if len(phones) > 1:
            notes.append(
                Problem(
                    f"{root}.contacts[{index}].phones", _("Not stored: only one phone is kept.")
                )
            )

    if problems:
        raise HsdsError(problems)
    return Profile(
        uuid=uuid.UUID(document["id"]),
        country=country,
        fields=fields,
        capabilities={
            kind: "\n".join(t for t in texts if t) for kind, texts in capabilities.items()
        },
        place_ids=sorted(p.pk for p in places.values()),
        doors=doors,
        unset=unset,
    )


# Where a model field's error points in the document.
FIELD_PATHS = {
    "name": ".name",
    "description": ".description",
    "email": ".email",
    "website": ".website",
    "phone": ".phones",
    "organisation_number": ".organization_identifiers",
    "sector": ".attributes",
    "themes": ".attributes",
    "commitment": ".attributes",
    "description_language": ".attributes",
    "country": ".attributes",
    "capabilities": ".services",
    "places": ".locations",
}


def _problems_of(error: ValidationError, root: str) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(root + FIELD_PATHS.get(name, ""), " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [Problem(root, " ".join(error.messages))]


def _find_existing(profile: Profile, root: str) -> Organisation | None:
    by_id = Organisation.objects.select_for_update().filter(uuid=profile.uuid).first()
    number = profile.fields["organisation_number"]
    by_number = None
    if number and profile.country:
        try:
            number = orgnumbers.normalise(profile.country, number)
        except ValidationError as error:
            problem = Problem(f"{root}.organization_identifiers", " ".join(error.messages))
            raise HsdsError([problem]) from error
        by_number = (
            Organisation.objects.select_for_update()
            .filter(country=profile.country, organisation_number=number)
            .first()
        )
    if by_id and by_number and by_id.pk != by_number.pk:
        raise HsdsError(
            [
                Problem(
                    f"{root}.organization_identifiers",
                    _("This number belongs to another organisation in the directory."),
                )
            ]
        )
    return by_id or by_number


def _door_data(door: EntryDoor) -> dict[str, str]:
    return {name: getattr(door, name) for name in services.ENTRY_DOOR_FIELDS}


def _door_data_of(data: dict[str, str]) -> dict[str, str]:
    return {name: data.get(name, "") for name in services.ENTRY_DOOR_FIELDS}


def _sync_doors(
    organisation: Organisation, doors: list[tuple[str, dict[str, str]]], by: User | None
) -> bool:
    existing = {door_contact_id(organisation, d): d for d in organisation.entry_doors.all()}
    changed = False
    for contact_id, data in doors:
        door = existing.pop(contact_id, None)
        if door is None:
            # Exported by another Samverka, the ids differ: match by content.
            door = next(
                (d for d in existing.values() if _door_data(d) == _door_data_of(data)), None
            )
            if door is not None:
                existing.pop(door_contact_id(organisation, door))
                continue
            services.add_entry_door(organisation=organisation, data=data, by=by)
            changed = True
        else:
            # The document is the source: it replaces the door as read just now.
            changed |= bool(
                services.update_entry_door(door=door, data=data, by=by, version=door.version)  # type: ignore[arg-type]
            )
    for door in existing.values():
        services.remove_entry_door(door=door, by=by)  # type: ignore[arg-type]
        changed = True
    return changed


def _import_one(
    document: dict[str, Any], root: str, by: User | None, result: ImportResult
) -> Organisation:
    profile = _read(document, root, result.notes)
    existing = _find_existing(profile, root)
    try:
        if existing is None:
            if profile.country is None:
                raise HsdsError(
                    [
                        Problem(
                            root,
                            _(
                                "The country is unknown: give an SE-ON, NO-BRC or DK-CVR "
                                "identifier, or places served."
                            ),
                        )
                    ]
                )
            fields = {
                "sector": Sector.OTHER,
                "description_language": DEFAULT_LANGUAGE[profile.country],
                **profile.fields,
            }
            organisation = services.create_organisation(
                by=by,
                admin=None,  # imported profiles stay unclaimed
                capabilities=profile.capabilities,
                places=profile.place_ids,
                uuid=profile.uuid,
                country=profile.country,
                **fields,
            )
            for _contact_id, data in profile.doors:
                services.add_entry_door(organisation=organisation, data=data, by=by)
            log_action(organisation, "organisation.hsds_imported", user=by)
            result.created.append(str(organisation.uuid))
            return organisation
        if profile.country and profile.country != existing.country:
            raise HsdsError(
                [Problem(f"{root}.attributes", _("The country of an organisation cannot change."))]
            )
        data = {k: v for k, v in profile.fields.items() if k not in profile.unset}
        changes = services.update_organisation(
            organisation=existing,
            data={**data, "capabilities": profile.capabilities, "places": profile.place_ids},
            by=by,
            version=existing.version,
        )
        doors_changed = _sync_doors(existing, profile.doors, by)
        if changes or doors_changed:
            log_action(existing, "organisation.hsds_imported", user=by)
            result.updated.append(str(existing.uuid))
        else:
            result.unchanged.append(str(existing.uuid))
        return existing
    except ValidationError as error:
        raise HsdsError(_problems_of(error, root)) from error


def parse(payload: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The documents in an import payload (one organization, or a list of them),
    with the JSON path of each."""
    if isinstance(payload, list):
        return payload, [f"$[{i}]" for i in range(len(payload))]
    return [payload], ["$"]


def import_organisations(payload: Any, *, by: User | None) -> ImportResult:
    """Validate every document, then create or update all of them, or nothing.

    A document is matched to an organisation by its id (our uuid), then by its
    organisation number. Raises HsdsError listing every problem by JSON path.
    """
    documents, roots = parse(payload)
    problems = [
        problem
        for document, root in zip(documents, roots, strict=True)
        for problem in validate(document, root=root)
    ]
    seen: dict[str, str] = {}
    for document, root in zip(documents, roots, strict=True):
        if isinstance(document, dict) and isinstance(document.get("id"), str):
            if document["id"] in seen:
                problems.append(
                    Problem(f"{root}.id", _("Also in %(other)s.") % {"other": seen[document["id"]]})
                )
            seen[document["id"]] = root
    if problems:
        raise HsdsError(problems)

    result = ImportResult()
    with transaction.atomic():
        touched = []
        for document, root in zip(documents, roots, strict=True):
            try:
                # A savepoint each, so one bad item does not hide the others' problems.
                with transaction.atomic():
                    touched.append(_import_one(document, root, by, result).pk)
            except HsdsError as error:
                problems += error.problems
        if problems:
            raise HsdsError(problems)
        _reindex(touched)
    return result


def _reindex(ids: list[int]) -> None:
    """Keep the search index current."""
    if ids:
        search.reindex(ids)


# HSDS documents nest about 6 deep; 900 made the validator fail (a 500).
MAX_DEPTH = 64
MAX_MESSAGE = 300


def _shortened(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + "…"


def _too_deep(payload: Any) -> bool:
    """Whether arrays and objects nest more than MAX_DEPTH deep (without recursion)."""
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return False


def load(text: str | bytes) -> Any:
    """JSON text → payload, or HsdsError at the document root."""
    too_deep = HsdsError(
        [
            Problem(
                "$",
                _("The JSON nests deeper than %(limit)s levels; HSDS documents need far fewer.")
                % {"limit": MAX_DEPTH},
            )
        ]
    )
    try:
        payload = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as error:
        raise HsdsError(
            [Problem("$", _("Not valid JSON: %(error)s") % {"error": _shortened(str(error))})]
        ) from error
    if _too_deep(payload):
        raise too_deep
    return payload
