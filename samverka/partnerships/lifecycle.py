# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership's status and the rule for each move.

draft → forming → agreed → active → under evaluation → renewed or ended.
A rule returns what still stands in the way, in words a coordinator can act on;
an empty list means the move is allowed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverka.directory.models import Organisation
from samverka.partnerships import checklist
from samverka.partnerships.models import MemberRole, MemberStatus, Partnership, Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.FORMING, Status.ENDED),
    Status.FORMING: (Status.AGREED, Status.DRAFT, Status.ENDED),
    Status.AGREED: (Status.ACTIVE, Status.FORMING, Status.ENDED),
    Status.ACTIVE: (Status.EVALUATION, Status.ENDED),
    Status.EVALUATION: (Status.RENEWED, Status.ENDED, Status.ACTIVE),
    Status.RENEWED: (Status.ACTIVE, Status.EVALUATION, Status.ENDED),
    Status.ENDED: (),
}


@dataclass(frozen=True)
class Known:
    """What the caller has already read (the partnership page does), so the rules
    do not read it again."""

    steps: list[checklist.Step] | None = None
    waiting: list[Organisation] | None = None


def _to_forming(partnership: Partnership, known: Known) -> list[str]:
    blockers = []
    if not partnership.problem_statement.strip():
        blockers.append(_("Write the problem statement first (step 1)."))
    if not partnership.members.filter(role=MemberRole.LEAD, status=MemberStatus.ACTIVE).exists():
        blockers.append(_("The partnership needs a lead organisation."))
    return blockers


def _to_agreed(partnership: Partnership, known: Known) -> list[str]:
    from samverka.partnerships.services import unconfirmed

    blockers = []
    steps = known.steps if known.steps is not None else checklist.steps_for(partnership)
    missing = [s for s in steps if s.mandatory and not s.done]
    if missing:
        blockers.append(
            ngettext(
                "Mandatory step not done: %(steps)s.",
                "Mandatory steps not done: %(steps)s.",
                len(missing),
            )
            % {"steps": ", ".join(str(s.number) for s in missing)}
        )
    waiting = known.waiting if known.waiting is not None else unconfirmed(partnership, "problem")
    if waiting:
        blockers.append(
            _("Not every member has confirmed the problem statement: %(names)s.")
            % {"names": ", ".join(o.name for o in waiting)}
        )
    if partnership.members.filter(status=MemberStatus.ACTIVE).count() < 2:
        blockers.append(_("A partnership needs at least two member organisations."))
    return blockers


def _to_active(partnership: Partnership, known: Known) -> list[str]:
    return [] if partnership.starts_on else [_("Set the start date.")]


def _to_renewed(partnership: Partnership, known: Known) -> list[str]:
    return [] if partnership.review_on else [_("Set the date of the next review.")]


RULES: dict[str, Callable[[Partnership, Known], list[str]]] = {
    Status.FORMING: _to_forming,
    Status.AGREED: _to_agreed,
    Status.ACTIVE: _to_active,
    Status.RENEWED: _to_renewed,
}


def blockers(partnership: Partnership, to: str, known: Known | None = None) -> list[str]:
    if to not in TRANSITIONS.get(partnership.status, ()):
        return [
            _("A partnership cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(partnership.status).label, "to": Status(to).label}
        ]
    if to == Status.FORMING and partnership.status != Status.DRAFT:
        return []  # stepping back needs nothing
    rule = RULES.get(to)
    return rule(partnership, known or Known()) if rule else []


def next_moves(partnership: Partnership, known: Known | None = None) -> list[tuple[str, list[str]]]:
    """Each status the partnership may move to, with what still blocks it."""
    return [(to, blockers(partnership, to, known)) for to in TRANSITIONS[partnership.status]]
