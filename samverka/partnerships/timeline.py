# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partnership's timeline told in whole sentences, one per audit entry.

Each event type has whole translatable sentences with named placeholders, never a
label glued to a name: word order differs between sv, nb, da and en. An event
has several sentences, from the one that says most to one that needs only the
person; the first whose placeholders the entry can fill is told.

A person is shown acting for an organisation ("Anna, for Göteborgs Stad, ...")
only when the entry records ``acting_for`` (see ``services.acting_for``): an
organisation named in an entry is often the one acted upon (invited, joined)."""

from typing import Any

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samverka.core.choices import labels
from samverka.core.models import LogEntry
from samverka.partnerships.models import InvolvementKind, Status

# The person's name is always known (or replaced by "someone" and the like);
# "acting" stands for the organisation the entry records the person acted for.
Variant = tuple[frozenset[str], Promise]


def _v(needs: str, sentence: Promise) -> Variant:
    return frozenset(needs.split()), sentence


SENTENCES: dict[str, list[Variant]] = {
    "partnership.created": [
        _v("acting", _("%(person)s, for %(organisation)s, started the partnership")),
        _v("", _("%(person)s started the partnership")),
    ],
    "partnership.updated": [_v("", _("%(person)s edited the partnership"))],
    "partnership.place_changed": [
        _v("place", _("%(person)s changed the partnership's place to %(place)s")),
        _v("", _("%(person)s removed the partnership's place")),
    ],
    "partnership.member_invited": [
        _v("organisation", _("%(person)s invited %(organisation)s")),
        _v("", _("%(person)s invited an organisation")),
    ],
    "partnership.member_joined": [
        _v("acting step", _("%(organisation)s joined at step %(step)s, represented by %(person)s")),
        _v("organisation step", _("%(organisation)s joined at step %(step)s")),
        _v("organisation", _("%(organisation)s joined the partnership")),
        _v("", _("An organisation joined the partnership")),
    ],
    "partnership.member_declined": [
        _v("acting", _("%(person)s, for %(organisation)s, declined the invitation")),
        _v("organisation", _("%(organisation)s declined the invitation")),
        _v("", _("An organisation declined the invitation")),
    ],
    "partnership.member_left": [
        _v("acting", _("%(organisation)s left the partnership, represented by %(person)s")),
        _v("organisation", _("%(organisation)s left the partnership")),
        _v("", _("An organisation left the partnership")),
    ],
    "partnership.problem_revised": [
        _v("version", _("%(person)s revised the problem statement (version %(version)s)")),
        _v("", _("%(person)s revised the problem statement")),
    ],
    "partnership.goal_revised": [
        _v("version", _("%(person)s revised the overall goal (version %(version)s)")),
        _v("", _("%(person)s revised the overall goal")),
    ],
    "partnership.problem_confirmed": [
        _v(
            "acting version",
            _(
                "%(person)s, for %(organisation)s, confirmed the problem statement"
                " (version %(version)s)"
            ),
        ),
        _v(
            "organisation version",
            _("%(organisation)s confirmed the problem statement (version %(version)s)"),
        ),
        _v("", _("%(person)s confirmed the problem statement")),
    ],
    "partnership.problem_commented": [
        _v(
            "acting version",
            _(
                "%(person)s, for %(organisation)s, commented on the problem statement"
                " (version %(version)s)"
            ),
        ),
        _v(
            "organisation version",
            _("%(organisation)s commented on the problem statement (version %(version)s)"),
        ),
        _v("", _("%(person)s commented on the problem statement")),
    ],
    "partnership.goal_confirmed": [
        _v(
            "acting version",
            _("%(person)s, for %(organisation)s, confirmed the overall goal (version %(version)s)"),
        ),
        _v(
            "organisation version",
            _("%(organisation)s confirmed the overall goal (version %(version)s)"),
        ),
        _v("", _("%(person)s confirmed the overall goal")),
    ],
    "partnership.goal_commented": [
        _v(
            "acting version",
            _(
                "%(person)s, for %(organisation)s, commented on the overall goal"
                " (version %(version)s)"
            ),
        ),
        _v(
            "organisation version",
            _("%(organisation)s commented on the overall goal (version %(version)s)"),
        ),
        _v("", _("%(person)s commented on the overall goal")),
    ],
    "partnership.step_done": [
        _v("step", _("%(person)s completed step %(step)s of the checklist")),
        _v("", _("%(person)s completed a checklist step")),
    ],
    "partnership.step_reopened": [
        _v("step", _("%(person)s reopened step %(step)s of the checklist")),
        _v("", _("%(person)s reopened a checklist step")),
    ],
    "partnership.residents_involved": [
        _v("kind", _("%(person)s recorded resident involvement: %(kind)s")),
        _v("", _("%(person)s recorded resident involvement")),
    ],
    "partnership.mandate_recorded": [
        _v("acting body", _("%(person)s, for %(organisation)s, recorded a mandate from %(body)s")),
        _v(
            "organisation body",
            _("%(person)s recorded a mandate of %(organisation)s from %(body)s"),
        ),
        _v("", _("%(person)s recorded a mandate")),
    ],
    "partnership.status_changed": [
        _v("status", _("%(person)s changed the status to %(status)s")),
        _v("", _("%(person)s changed the status")),
    ],
    "agreement.created": [
        _v("title", _("%(person)s drafted the agreement “%(title)s”")),
        _v("", _("%(person)s drafted an agreement")),
    ],
    "agreement.saved": [
        _v("version", _("%(person)s saved version %(version)s of an agreement")),
        _v("", _("%(person)s saved a new version of an agreement")),
    ],
    "agreement.submitted": [_v("", _("%(person)s sent an agreement for review"))],
    "agreement.approved": [
        _v(
            "acting version",
            _("%(person)s, for %(organisation)s, approved version %(version)s of an agreement"),
        ),
        _v(
            "organisation version",
            _("%(organisation)s approved version %(version)s of an agreement"),
        ),
        _v("", _("%(person)s approved an agreement")),
    ],
    "agreement.approved_by_all": [_v("", _("All parties approved an agreement"))],
    "agreement.approvals_lapsed": [
        _v("", _("A change by %(person)s made the approvals of an agreement lapse"))
    ],
    "agreement.in_force": [_v("", _("An agreement came into force"))],
    "agreement.expired": [_v("", _("An agreement expired"))],
    "agreement.terminated": [_v("", _("%(person)s terminated an agreement"))],
    "admin.changed": [_v("", _("%(person)s changed the partnership in the admin"))],
    "admin.added": [_v("", _("%(person)s added the partnership in the admin"))],
}
UNKNOWN: list[Variant] = [_v("", _("%(person)s made a change"))]


def person(entry: LogEntry, *, show_people: bool) -> str:
    """Who did it, as the timeline may name them."""
    if not show_people:
        return gettext("someone")
    if entry.actor_label:
        return entry.actor_label
    if entry.actor_id:
        return gettext("an erased user")
    return gettext("the system")


def sentence(entry: LogEntry, *, show_people: bool) -> str:
    """The entry as one whole sentence in the active language."""
    data = entry.data if isinstance(entry.data, dict) else {}
    organisation = data.get("organisation") or data.get("lead")
    values: dict[str, Any] = {
        "person": person(entry, show_people=show_people),
        "organisation": organisation,
        "step": data.get("step"),
        "version": data.get("version"),
        "status": labels(Status).get(data.get("to") or "") or data.get("to"),
        "kind": labels(InvolvementKind).get(data.get("kind") or "") or data.get("kind"),
        "body": data.get("body"),
        "title": data.get("title"),
        "place": data.get("place"),
    }
    # Acting for it only when the entry says so, and then for that organisation.
    acting_for = data.get("acting_for")
    if acting_for and (organisation in (None, acting_for)):
        values["organisation"] = acting_for
        values["acting"] = True
    known = {name for name, value in values.items() if value not in (None, "")}
    for needs, text in SENTENCES.get(entry.action, UNKNOWN):
        if needs <= known:
            return capfirst(str(text) % values)
    return capfirst(str(UNKNOWN[0][1]) % values)
