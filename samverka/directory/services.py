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
from samverka.directory.models import EntryDoor, Organisation

EDITABLE_FIELDS = (
    "name",
    "organisation_number",
    "sector",
    "description",
    "description_language",
    "website",
    "email",
    "phone",
    "municipality",
)


class EditConflict(ValidationError):
    """Someone else saved the record after this edit began."""

    def __init__(self, current: Organisation):
        super().__init__(
            _("Someone else saved this profile while you were editing it."), code="conflict"
        )
        self.current = current


def _refuse_null_characters(data: dict[str, Any]) -> None:
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


@transaction.atomic
def create_organisation(
    *, by: User | None, admin: User | None = None, **fields: Any
) -> Organisation:
    _refuse_null_characters(fields)
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    log_action(organisation, "organisation.created", user=by)
    if admin is not None:
        Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    return organisation


@transaction.atomic
def update_organisation(
    *, organisation: Organisation, data: dict[str, Any], by: User, version: int
) -> dict[str, list[Any]]:
    """Apply `data` if nobody saved since `version`; returns {field: [old, new]}."""
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.version != version:
        raise EditConflict(current)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _refuse_null_characters(data)
    before = {name: getattr(current, name) for name in data}
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    # Compare after cleaning: "212000 1355" is the stored "212000-1355", not a change.
    changes = diff_fields(before, {name: getattr(current, name) for name in data})
    if not changes:
        return {}
    current.version = F("version") + 1
    current.save(update_fields=[*changes, "version", "updated_at"])
    current.refresh_from_db(fields=["version"])
    log_action(current, "organisation.updated", user=by, data={"changes": changes})
    for name in [*changes, "version", "updated_at"]:
        setattr(organisation, name, getattr(current, name))
    return changes


ENTRY_DOOR_FIELDS = ("topic", "who", "email", "phone", "form_url", "opening_hours")


@transaction.atomic
def add_entry_door(
    *, organisation: Organisation, data: dict[str, Any], by: User | None
) -> EntryDoor:
    _refuse_null_characters(data)
    door = EntryDoor(organisation=organisation, **{f: data.get(f, "") for f in ENTRY_DOOR_FIELDS})
    door.full_clean()
    door.save()
    log_action(organisation, "entry_door.added", user=by, data={"topic": door.topic})
    return door


@transaction.atomic
def update_entry_door(*, door: EntryDoor, data: dict[str, Any], by: User) -> dict[str, list[Any]]:
    _refuse_null_characters(data)
    current = EntryDoor.objects.select_for_update().get(pk=door.pk)
    before = {name: getattr(current, name) for name in ENTRY_DOOR_FIELDS}
    for name in ENTRY_DOOR_FIELDS:
        setattr(current, name, data.get(name, ""))
    current.full_clean()
    changes = diff_fields(before, {name: getattr(current, name) for name in ENTRY_DOOR_FIELDS})
    if changes:
        current.save(update_fields=list(changes))
        log_action(
            current.organisation,
            "entry_door.updated",
            user=by,
            data={"topic": current.topic, "changes": changes},
        )
    return changes


@transaction.atomic
def remove_entry_door(*, door: EntryDoor, by: User) -> None:
    log_action(door.organisation, "entry_door.removed", user=by, data={"topic": door.topic})
    door.delete()
