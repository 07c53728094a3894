# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes to the directory. Each is atomic and audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from samverka.accounts.models import Membership, Role, User
from samverka.core.audit import diff_fields, log_action
from samverka.core.text import multi_line
from samverka.directory.models import Capability, EntryDoor, Organisation, Place
from samverka.directory.search import reindex

EDITABLE_FIELDS = (
    "name",
    "organisation_number",
    "sector",
    "description",
    "description_language",
    "website",
    "email",
    "phone",
    "themes",
    "commitment",
)
# Edited with the profile, but not columns of the organisation row.
RELATED_FIELDS = ("capabilities", "places")


class EditConflict(ValidationError):
    """Someone else saved the record (a profile or an entry door) after this
    edit began; `current` is the record as saved."""

    def __init__(self, current: Organisation | EntryDoor, message: str | None = None):
        super().__init__(
            message or _("Someone else saved this profile while you were editing it."),
            code="conflict",
        )
        self.current = current


def refuse_null_characters(data: dict[str, Any]) -> None:
    """PostgreSQL cannot store NUL; forms refuse it already, the API and
    imports must too. Same (already translated) message as Django's forms."""
    errors = {}
    for name, value in data.items():
        try:
            ProhibitNullCharactersValidator()(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def capabilities_and_places(
    ids: list[int],
) -> tuple[dict[int, dict[str, str]], dict[int, list[int]]]:
    """Capabilities ({kind: detail}) and place ids of many organisations, in two
    plain queries. prefetch_related cost 17 ms a page of 50 (a related manager
    per object)."""
    capabilities: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for org, kind, detail in (
        Capability.objects.filter(organisation_id__in=ids)
        .order_by("organisation_id", "kind")
        .values_list("organisation_id", "kind", "detail")
    ):
        capabilities[org][kind] = detail
    places: dict[int, list[int]] = {pk: [] for pk in ids}
    for org, place in (
        Organisation.places.through.objects.filter(organisation_id__in=ids)
        .order_by("organisation_id", "place_id")
        .values_list("organisation_id", "place_id")
    ):
        places[org].append(place)
    return capabilities, places


def capabilities_of(organisation: Organisation) -> dict[str, str]:
    """{kind: detail}, in the order of the taxonomy."""
    return capabilities_and_places([organisation.pk])[0][organisation.pk]


def place_ids_of(organisation: Organisation) -> list[int]:
    return capabilities_and_places([organisation.pk])[1][organisation.pk]


def _clean_capabilities(value: Any) -> dict[str, str]:
    from samverka.directory.models import CapabilityKind

    if not isinstance(value, dict) or any(
        kind not in CapabilityKind.values or not isinstance(detail, str)
        for kind, detail in value.items()
    ):
        raise ValidationError(
            {"capabilities": _("Choose capabilities from the list.")}, code="invalid"
        )
    refuse_null_characters({"capabilities": "".join(value.values())})
    for detail in value.values():
        try:
            multi_line(detail)
        except ValidationError as error:
            raise ValidationError({"capabilities": error.messages}) from error
    if any(len(detail) > 500 for detail in value.values()):
        raise ValidationError(
            {"capabilities": _("Keep each detail to 500 characters.")}, code="max_length"
        )
    return {kind: value[kind].strip() for kind in sorted(value)}


def _clean_places(value: Any, country: str) -> list[int]:
    if not isinstance(value, list | tuple) or not all(
        isinstance(pk, int) and not isinstance(pk, bool) for pk in value
    ):
        raise ValidationError({"places": _("Choose places from the list.")}, code="invalid")
    ids = sorted(set(value))
    found = set(Place.objects.filter(pk__in=ids, country=country).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationError(
            {"places": _("Choose places in the organisation's country.")}, code="invalid"
        )
    return ids


def _set_capabilities(organisation: Organisation, capabilities: dict[str, str]) -> None:
    organisation.capabilities.exclude(kind__in=capabilities).delete()
    existing = {c.kind: c for c in organisation.capabilities.all()}
    for kind, detail in capabilities.items():
        if kind not in existing:
            Capability.objects.create(organisation=organisation, kind=kind, detail=detail)
        elif existing[kind].detail != detail:
            existing[kind].detail = detail
            existing[kind].save(update_fields=["detail"])


@transaction.atomic
def create_organisation(
    *,
    by: User | None,
    admin: User | None = None,
    capabilities: dict[str, str] | None = None,
    places: list[int] | None = None,
    **fields: Any,
) -> Organisation:
    refuse_null_characters({k: v for k, v in fields.items() if isinstance(v, str)})
    organisation = Organisation(**fields)
    # Entered with its own administrator, or by someone else (then unclaimed).
    organisation.claimed = admin is not None
    organisation.full_clean()
    organisation.save()
    if capabilities:
        _set_capabilities(organisation, _clean_capabilities(capabilities))
    if places:
        organisation.places.set(_clean_places(places, organisation.country))
    log_action(organisation, "organisation.created", user=by)
    reindex([organisation.pk])
    if admin is not None:
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, data: dict[str, Any], by: User | None, version: int
) -> dict[str, list[Any]]:
    """Apply `data` if nobody saved since `version`; returns {field: [old, new]}.

    `data` may hold profile columns, "capabilities" ({kind: detail}) and
    "places" (place ids).
    """
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.version != version:
        raise EditConflict(current)
    unknown = set(data) - set(EDITABLE_FIELDS) - set(RELATED_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    columns = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
    refuse_null_characters({k: v for k, v in columns.items() if isinstance(v, str)})
    before: dict[str, Any] = {name: getattr(current, name) for name in columns}
    for name, value in columns.items():
        setattr(current, name, value)
    current.full_clean()
    # Compare after cleaning: "212000 1355" is the stored "212000-1355", not a change.
    after: dict[str, Any] = {name: getattr(current, name) for name in columns}
    if "capabilities" in data:
        before["capabilities"] = capabilities_of(current)
        after["capabilities"] = _clean_capabilities(data["capabilities"])
    if "places" in data:
        before["places"] = place_ids_of(current)
        after["places"] = _clean_places(data["places"], current.country)
    changes = diff_fields(before, after)
    if not changes:
        return {}
    if "capabilities" in changes:
        _set_capabilities(current, after["capabilities"])
    if "places" in changes:
        current.places.set(after["places"])
    current.version = F("version") + 1
    column_changes = [name for name in changes if name in EDITABLE_FIELDS]
    current.save(update_fields=[*column_changes, "version", "updated_at"])
    current.refresh_from_db(fields=["version"])
    log_action(current, "organisation.updated", user=by, data={"changes": changes})
    reindex([current.pk])
    for name in [*column_changes, "version", "updated_at"]:
        setattr(organisation, name, getattr(current, name))
    return changes


ENTRY_DOOR_FIELDS = ("topic", "who", "email", "phone", "form_url", "opening_hours")


@transaction.atomic
def add_entry_door(
    *, organisation: Organisation, data: dict[str, Any], by: User | None
) -> EntryDoor:
    refuse_null_characters(data)
    door = EntryDoor(organisation=organisation, **{f: data.get(f, "") for f in ENTRY_DOOR_FIELDS})
    door.full_clean()
    door.save()
    log_action(organisation, "entry_door.added", user=by, data={"topic": door.topic})
    reindex([organisation.pk])
    return door


@transaction.atomic
def update_entry_door(
    *, door: EntryDoor, data: dict[str, Any], by: User, version: int
) -> dict[str, list[Any]]:
    """Apply `data` if nobody saved the door since `version`; {field: [old, new]}."""
    current = EntryDoor.objects.select_for_update().get(pk=door.pk)
    if current.version != version:
        raise EditConflict(
            current, _("Someone else saved this entry door while you were editing it.")
        )
    refuse_null_characters(data)
    before = {name: getattr(current, name) for name in ENTRY_DOOR_FIELDS}
    for name in ENTRY_DOOR_FIELDS:
        setattr(current, name, data.get(name, ""))
    current.full_clean()
    changes = diff_fields(before, {name: getattr(current, name) for name in ENTRY_DOOR_FIELDS})
    if changes:
        current.version = F("version") + 1
        current.save(update_fields=[*changes, "version"])
        current.refresh_from_db(fields=["version"])
        door.version = current.version
        log_action(
            current.organisation,
            "entry_door.updated",
            user=by,
            data={"topic": current.topic, "changes": changes},
        )
        reindex([current.organisation_id])
    return changes


@transaction.atomic
def remove_entry_door(*, door: EntryDoor, by: User) -> None:
    log_action(door.organisation, "entry_door.removed", user=by, data={"topic": door.topic})
    door.delete()
    reindex([door.organisation_id])
