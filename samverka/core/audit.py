# SPDX-License-Identifier: AGPL-3.0-or-later
"""The audit log: every service that changes data records it here."""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverka.core.models import LogEntry

# Human-readable names for the actions, shown in history views.
ACTION_LABELS = {
    "organisation.created": _("created the organisation"),
    "organisation.updated": _("edited the profile"),
    "member.invited": _("invited a member"),
    "member.joined": _("joined"),
    "member.role_changed": _("changed a member's role"),
    "member.removed": _("removed a member"),
    "entry_door.added": _("added an entry door"),
    "entry_door.updated": _("changed an entry door"),
    "entry_door.removed": _("removed an entry door"),
    "member.erased": _("a member's personal data was erased"),
    "account.erased": _("erased the account's personal data"),
    "account.password_reset": _("reset the password by e-mail"),
    "account.password_changed": _("changed the password"),
    "organisation.claimed": _("claimed the profile"),
    "suggestion.made": _("suggested a change"),
    "suggestion.accepted": _("accepted a suggested change"),
    "suggestion.rejected": _("rejected a suggested change"),
    "claim.requested": _("asked to claim the profile"),
    "claim.rejected": _("rejected a claim"),
    "organisations.imported": _("imported organisations"),
    "partnership.created": _("started the partnership"),
    "partnership.updated": _("edited the partnership"),
    "partnership.place_changed": _("changed the partnership's place"),
    "partnership.member_invited": _("invited an organisation"),
    "partnership.member_joined": _("an organisation joined"),
    "partnership.member_declined": _("an organisation declined"),
    "partnership.member_left": _("an organisation left"),
    "partnership.problem_revised": _("revised the problem statement"),
    "partnership.goal_revised": _("revised the overall goal"),
    "partnership.problem_confirmed": _("confirmed the problem statement"),
    "partnership.problem_commented": _("commented on the problem statement"),
    "partnership.goal_confirmed": _("confirmed the overall goal"),
    "partnership.goal_commented": _("commented on the overall goal"),
    "partnership.step_done": _("completed a checklist step"),
    "partnership.step_reopened": _("reopened a checklist step"),
    "partnership.residents_involved": _("recorded resident involvement"),
    "partnership.mandate_recorded": _("recorded a mandate"),
    "partnership.status_changed": _("changed the status"),
    "agreement.created": _("drafted an agreement"),
    "agreement.saved": _("saved a new version of an agreement"),
    "agreement.submitted": _("sent an agreement for review"),
    "agreement.approved": _("approved an agreement"),
    "agreement.approved_by_all": _("an agreement was approved by all parties"),
    "agreement.approvals_lapsed": _("a change made the approvals of an agreement lapse"),
    "agreement.in_force": _("an agreement came into force"),
    "agreement.expired": _("an agreement expired"),
    "agreement.terminated": _("terminated an agreement"),
    "admin.changed": _("changed it in the admin"),
    "admin.added": _("added it in the admin"),
}


def log_action(
    obj: models.Model, action: str, *, user: Any = None, data: dict[str, Any] | None = None
) -> LogEntry:
    actor = user if getattr(user, "is_authenticated", False) else None
    return LogEntry.objects.create(
        actor=actor,
        actor_label=(actor.get_full_name() or actor.email) if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        data=data or {},
    )


# Some records log what happens to their parts on themselves: a partnership's
# timeline holds its agreements' entries. The app that owns those parts says who
# may read them: {action prefix: filter(user, record, entries) -> readable entries},
# each called once with all its entries, so it can read what they point to in bulk.
EntryFilter = Callable[[Any, models.Model, list[LogEntry]], list[LogEntry]]
_ENTRY_FILTERS: dict[str, EntryFilter] = {}


def entry_filter(prefix: str) -> Callable[[EntryFilter], EntryFilter]:
    def register(function: EntryFilter) -> EntryFilter:
        if prefix in _ENTRY_FILTERS:
            raise RuntimeError(f"two filters for {prefix}.* entries")
        _ENTRY_FILTERS[prefix] = function
        return function

    return register


def readable_entries(user: Any, obj: models.Model, entries: list[LogEntry]) -> list[LogEntry]:
    """The entries of `obj`'s history the user may read, in their order. Those of a
    registered prefix are kept only if its filter keeps them."""
    kept = {id(entry) for entry in entries if entry.action.split(".")[0] not in _ENTRY_FILTERS}
    for prefix, keep in _ENTRY_FILTERS.items():
        group = [entry for entry in entries if entry.action.split(".")[0] == prefix]
        if group:
            kept.update(id(entry) for entry in keep(user, obj, group))
    return [entry for entry in entries if id(entry) in kept]


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [jsonable(before.get(name)), jsonable(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return str(value)


def history_for(obj: models.Model) -> models.QuerySet[LogEntry]:
    """The record's own entries, and the batch entry of the run it was created
    in, if any (see ``batch_entry_data``)."""
    mine = Q(object_id=str(obj.pk))
    created_at = getattr(obj, "created_at", None)
    if created_at is not None and isinstance(obj.pk, int):
        mine |= Q(
            object_id="",
            created_at=created_at,
            data__first__lte=obj.pk,
            data__last__gte=obj.pk,
        )
    return LogEntry.objects.filter(
        mine, content_type=ContentType.objects.get_for_model(obj)
    ).select_related("actor")


def batch_entry_data(first: int, last: int, **data: Any) -> dict[str, Any]:
    """The data of one entry for the records with ids first..last, all created
    by one action at the moment that is their own ``created_at`` and the entry's.

    Imports create hundreds of thousands of records: one entry per record was
    an eighth of an import's time. ``history_for`` finds the entry by the record's
    ``created_at`` and id (object_id is empty), so each record's history still
    says who created it and how."""
    return {**data, "first": first, "last": last}


def id_runs(ids: list[int]) -> list[tuple[int, int]]:
    """Ascending ids as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for pk in ids:
        if runs and runs[-1][1] == pk - 1:
            runs[-1] = (runs[-1][0], pk)
        else:
            runs.append((pk, pk))
    return runs
