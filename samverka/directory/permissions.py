# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may do what with an organisation. Registered with the core permission layer."""

from typing import Any

from django.db.models import QuerySet

from samverka.accounts.models import Role
from samverka.core.permissions import rule, visible
from samverka.directory.models import EntryDoor, Organisation


def role_in(user: Any, organisation: Organisation) -> str | None:
    if not user.is_authenticated:
        return None
    return user.roles().get(organisation.pk)


@rule(Organisation, "view")
def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    return True  # the directory is public


@visible(Organisation)
def visible_organisations(
    user: Any, organisations: QuerySet[Organisation]
) -> QuerySet[Organisation]:
    return organisations


@rule(Organisation, "view_members", "view_history")
def is_member(user: Any, organisation: Organisation) -> bool:
    return role_in(user, organisation) is not None


@rule(Organisation, "edit", "manage_members")
def is_organisation_admin(user: Any, organisation: Organisation) -> bool:
    return role_in(user, organisation) == Role.ADMIN


@rule(EntryDoor, "view")
def can_view_entry_door(user: Any, door: EntryDoor) -> bool:
    return True  # entry doors are the public way in


@visible(EntryDoor)
def visible_entry_doors(user: Any, doors: QuerySet[EntryDoor]) -> QuerySet[EntryDoor]:
    return doors


@rule(EntryDoor, "edit", "delete")
def manages_entry_door(user: Any, door: EntryDoor) -> bool:
    return role_in(user, door.organisation) == Role.ADMIN


@rule(Organisation, "suggest")
def can_suggest(user: Any, organisation: Organisation) -> bool:
    # Admins edit the profile directly.
    return user.is_authenticated and role_in(user, organisation) != Role.ADMIN


@rule(Organisation, "review_suggestions")
def reviews_suggestions(user: Any, organisation: Organisation) -> bool:
    return role_in(user, organisation) == Role.ADMIN


@rule(Organisation, "claim")
def can_claim(user: Any, organisation: Organisation) -> bool:
    return user.is_authenticated and not organisation.claimed


# Claims themselves have no rule: only platform administrators review them.


@rule(Organisation, "export")
def can_export_directory(user: Any, organisation: Organisation) -> bool:
    # The directory is public; a login keeps bulk downloads accountable.
    # (Importing has no rule: platform administrators only.)
    return user.is_authenticated
