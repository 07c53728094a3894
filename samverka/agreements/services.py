# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writing agreements: draft from a partnership, save versions safely when several
people edit, approve per party, and move through the statuses."""

import copy
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samverka.agreements import checks, commitments
from samverka.agreements import content as agreement_content
from samverka.agreements.catalogue import in_language
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
    Approval,
)
from samverka.core.audit import log_action
from samverka.core.permissions import visible_to
from samverka.core.text import single_line
from samverka.directory.models import Organisation
from samverka.directory.services import refuse_null_characters
from samverka.partnerships.models import MemberRole, MemberStatus, Partnership
from samverka.partnerships.permissions import acting_organisation_ids
from samverka.partnerships.services import acting_for

# Observers follow the partnership but are not bound by its agreement.
PARTY_ROLES = (MemberRole.LEAD, MemberRole.PARTNER, MemberRole.FUNDER)
# Keys of the content an edit may replace; parties, template and language follow
# the partnership and the agreement.
EDITABLE_KEYS = (
    "title",
    "sections",
    "contributions",
    "principles",
    "after_pilot",
    "dates",
    "public_payment",
)
REMINDER_DAYS = 30
# Agreements whose dates the parties are reminded of.
LIVE = (AgreementStatus.APPROVED, AgreementStatus.IN_FORCE)


class AgreementConflict(ValidationError):
    """Someone saved a newer version after this edit began."""

    def __init__(self, current: AgreementVersion):
        super().__init__(
            _("Someone else saved this agreement while you were editing it."), code="conflict"
        )
        self.current = current


def parties_of(partnership: Partnership) -> list[dict[str, Any]]:
    """The partnership's active members that are bound by the agreement, lead first."""
    order = {role: index for index, role in enumerate(PARTY_ROLES)}
    rows = partnership.members.filter(status=MemberStatus.ACTIVE, role__in=PARTY_ROLES).values_list(
        "organisation_id",
        "organisation__name",
        "organisation__organisation_number",
        "organisation__country",
        "organisation__sector",
        "role",
        "joined_at",
    )
    rows = sorted(rows, key=lambda row: (order[row[5]], row[6] or timezone.now(), row[0]))
    return [
        {
            "organisation": org,
            "name": name,
            "organisation_number": number,
            "country": country,
            "sector": sector,
            "role": role,
        }
        for org, name, number, country, sector, role, _joined in rows
    ]


def initial_content(
    *, partnership: Partnership, template: AgreementTemplate, language: str
) -> dict[str, Any]:
    """An agreement pre-filled from the partnership: parties, places, problem, goal,
    dates, and the six principles with what they usually mean."""
    content = agreement_content.empty_content()
    in_lang = partial(in_language, language=language)
    places = ", ".join(partnership.places.order_by("name").values_list("name", flat=True))
    content["title"] = f"{in_lang(template.name)}: {partnership.name}"[:250]
    content["language"] = language
    content["template"] = template.code
    content["parties"] = parties_of(partnership)
    codes = {section["code"] for section in template.sections}
    background = partnership.problem_statement.strip()
    if places and "background" in codes:
        background = f"{background}\n\n{places}".strip()
    content["sections"] = {
        section["code"]: ""
        for section in template.sections
        if section["kind"] in ("text", "duration")
    }
    if "background" in codes:
        content["sections"]["background"] = background
    if "purpose" in codes:
        content["sections"]["purpose"] = partnership.goal.strip()
    content["principles"] = [
        {"code": p["code"], "name": in_lang(p["name"]), "meaning": in_lang(p["guidance"])}
        for p in template.principles
    ]
    content["dates"] = {
        "starts_on": partnership.starts_on.isoformat() if partnership.starts_on else "",
        "ends_on": partnership.ends_on.isoformat() if partnership.ends_on else "",
        "notice_months": None,
        "review_dates": [partnership.review_on.isoformat()] if partnership.review_on else [],
    }
    currency = agreement_content.COUNTRY_CURRENCY.get(partnership.country, "")
    content["after_pilot"]["currency"] = currency
    return content


def findings_for(agreement: Agreement, content: dict[str, Any]) -> list[checks.Finding]:
    template = agreement.template
    return checks.check_agreement(
        content,
        sections=template.sections,
        form=template.form,
        requires_post_pilot=template.requires_post_pilot,
    )


def _write_version(
    agreement: Agreement, content: dict[str, Any], by: Any, note: str = ""
) -> AgreementVersion:
    agreement.version += 1
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version,
        content=content,
        content_hash=agreement_content.content_hash(content),
        note=note[:300],
        # A version saved while in review (or after approval) is reviewed as it is.
        sent_for_review=agreement.status != AgreementStatus.DRAFT,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _copy_to_agreement(agreement, content)
    return version


def _update_working_draft(
    agreement: Agreement, draft: AgreementVersion, content: dict[str, Any], by: Any, note: str
) -> AgreementVersion:
    """The working draft takes the new content in place: nobody has reviewed or
    approved it, so its number is still the one people know it by."""
    draft.content = content
    draft.content_hash = agreement_content.content_hash(content)
    draft.note = note[:300] or draft.note
    draft.created_by = by if getattr(by, "is_authenticated", False) else draft.created_by
    draft.created_at = timezone.now()
    draft.save(update_fields=["content", "content_hash", "note", "created_by", "created_at"])
    _copy_to_agreement(agreement, content)
    return draft


def _copy_to_agreement(agreement: Agreement, content: dict[str, Any]) -> None:
    dates = content.get("dates", {})
    agreement.title = content["title"]
    agreement.starts_on = agreement_content.date_or_none(dates.get("starts_on"))
    agreement.ends_on = agreement_content.date_or_none(dates.get("ends_on"))
    agreement.next_review_on = next_review(content, timezone.localdate())
    agreement.save(
        update_fields=["version", "title", "starts_on", "ends_on", "next_review_on", "updated_at"]
    )


def next_review(content: dict[str, Any], today: date) -> date | None:
    dates = [
        agreement_content.date_or_none(d) for d in content.get("dates", {}).get("review_dates", [])
    ]
    upcoming = sorted(d for d in dates if d and d >= today)
    return upcoming[0] if upcoming else None


@transaction.atomic
def create_agreement(
    *,
    partnership: Partnership,
    template: AgreementTemplate,
    by: Any,
    language: str | None = None,
) -> Agreement:
    language = language or template.language
    content = initial_content(partnership=partnership, template=template, language=language)
    agreement = Agreement.objects.create(
        partnership=partnership,
        template=template,
        title=content["title"],
        language=language,
        created_by=by,
    )
    _write_version(agreement, content, by)
    log_action(
        partnership,
        "agreement.created",
        user=by,
        data={"agreement": agreement.pk, "title": agreement.title, "template": template.code},
    )
    return agreement


def _strings(value: Any) -> str:
    """Every string in a JSON value, keys included, joined: PostgreSQL stores no NUL."""
    if isinstance(value, dict):
        return " ".join(_strings(part) for pair in value.items() for part in pair)
    if isinstance(value, list):
        return " ".join(_strings(part) for part in value)
    return value if isinstance(value, str) else ""


def _too_long(name: str, text: Any, limit: int) -> str | None:
    """The message for a text over its limit, naming it, or None."""
    length = len(text) if isinstance(text, str) else 0
    if length <= limit:
        return None
    return _("“%(name)s” is too long: at most %(limit)s characters, it has %(length)s.") % {
        "name": name,
        "limit": number_format(limit, force_grouping=True),
        "length": number_format(length, force_grouping=True),
    }


def refuse_over_long(changes: dict[str, Any], sections: list[dict[str, Any]]) -> None:
    """The same limits as the forms and the API schemas, whatever the source, so a
    comparison or a document of a version never meets an unbounded text."""
    titles = {section["code"]: in_language(section["title"]) for section in sections}
    errors: dict[str, list[str]] = {}

    def check(key: str, name: str, text: Any, limit: int) -> None:
        message = _too_long(name, text, limit)
        if message:
            errors.setdefault(key, []).append(message)

    for code, text in (changes.get("sections") or {}).items():
        check("sections", titles.get(code, code), text, agreement_content.SECTION_MAX_LENGTH)
    after = changes.get("after_pilot") or {}
    limit = agreement_content.AFTER_PILOT_MAX_LENGTH
    check("criteria", _("Criteria for success"), after.get("criteria"), limit)
    check("route_detail", _("The route in detail"), after.get("detail"), limit)
    for principle in changes.get("principles") or []:
        name = principle.get("name") or _("Principle")
        check("principles", name, principle.get("meaning"), agreement_content.PRINCIPLE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)


def validate_changes(changes: dict[str, Any], *, sections: list[dict[str, Any]] = ()) -> None:
    """Refuse what cannot be stored or makes no sense, naming the field. `sections`
    (the template's) give the names of over-long sections."""
    unknown = set(changes) - set(EDITABLE_KEYS)
    if unknown:
        raise ValidationError({key: _("This cannot be changed.") for key in sorted(unknown)})
    refuse_over_long(changes, list(sections))
    refuse_null_characters(
        {
            **{key: _strings(value) for key, value in changes.items() if key != "sections"},
            "sections": " ".join(changes.get("sections", {})),
            **changes.get("sections", {}),
        }
    )
    if "title" in changes and not str(changes["title"]).strip():
        raise ValidationError({"title": _("Give the agreement a title.")})
    if "title" in changes and isinstance(changes["title"], str):
        # One line, as every title (core.text): it goes into documents and e-mails.
        try:
            single_line(changes["title"])
        except ValidationError as error:
            raise ValidationError({"title": error.messages}) from error
    dates = changes.get("dates")
    if dates:
        starts = agreement_content.date_or_none(dates.get("starts_on"))
        ends = agreement_content.date_or_none(dates.get("ends_on"))
        if starts and ends and ends < starts:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


@transaction.atomic
def save_agreement(
    *,
    agreement: Agreement,
    changes: dict[str, Any],
    by: Any,
    base_version: int,
    base_hash: str | None = None,
    note: str = "",
) -> AgreementVersion:
    """Save the changes on top of `base_version` (and `base_hash`, the content the
    edit started from). If someone saved after that, nothing is written and
    AgreementConflict carries their version. Before the first "send for review"
    the working draft is updated in place, but only for an edit that names the
    content it started from: the number alone does not change with such a save,
    so without the hash the save is a new version, and two people editing at
    once still conflict. A change after approvals makes them lapse and tells the
    parties."""
    agreement = (
        Agreement.objects.select_for_update().select_related("template").get(pk=agreement.pk)
    )
    validate_changes(changes, sections=agreement.template.sections)
    if agreement.status not in (
        AgreementStatus.DRAFT,
        AgreementStatus.IN_REVIEW,
        AgreementStatus.APPROVED,
    ):
        raise ValidationError(
            _("An agreement that is %(status)s cannot be changed.")
            % {"status": agreement.get_status_display().lower()}
        )
    current = agreement.versions.get(number=agreement.version)
    if base_version != agreement.version or base_hash not in (None, current.content_hash):
        raise AgreementConflict(current)
    content = copy.deepcopy(current.content)
    content.update(copy.deepcopy(changes))
    content["parties"] = parties_of(agreement.partnership)
    if content == current.content:
        return current
    approvals = list(
        Approval.objects.filter(version=current).values_list("organisation__name", flat=True)
    )
    changed = sorted(key for key in changes if content.get(key) != current.content.get(key))
    in_place = (
        base_hash is not None
        and agreement.status == AgreementStatus.DRAFT
        and not current.sent_for_review
        and not approvals
    )
    if in_place:
        version = _update_working_draft(agreement, current, content, by, note)
    else:
        version = _write_version(agreement, content, by, note)
    log_action(
        agreement.partnership,
        "agreement.saved",
        user=by,
        data={
            "agreement": agreement.pk,
            "version": version.number,
            # What the save changed: the working draft keeps only its last text.
            "changed": changed,
        },
    )
    if approvals:
        was_approved = agreement.status == AgreementStatus.APPROVED
        if was_approved:
            agreement.status = AgreementStatus.IN_REVIEW
            agreement.save(update_fields=["status", "updated_at"])
        log_action(
            agreement.partnership,
            "agreement.approvals_lapsed",
            user=by,
            data={"agreement": agreement.pk, "version": version.number, "approved_by": approvals},
        )
        _notify(agreement, "approvals_lapsed")
    return version


def _notify(agreement: Agreement, event: str) -> None:
    from samverka.agreements.tasks import send_agreement_notice

    transaction.on_commit(
        lambda: send_agreement_notice.enqueue(agreement_id=agreement.pk, event=event)
    )


def _require_no_errors(agreement: Agreement, content: dict[str, Any]) -> None:
    errors = checks.blocking(findings_for(agreement, content))
    if errors:
        raise ValidationError([finding.message for finding in errors])


@transaction.atomic
def submit_for_review(*, agreement: Agreement, by: Any) -> None:
    agreement = (
        Agreement.objects.select_for_update().select_related("template").get(pk=agreement.pk)
    )
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    current = agreement.versions.get(number=agreement.version)
    _require_no_errors(agreement, current.content)
    if len(current.content["parties"]) < 2:
        raise ValidationError(_("An agreement needs at least two parties."))
    agreement.status = AgreementStatus.IN_REVIEW
    agreement.save(update_fields=["status", "updated_at"])
    current.sent_for_review = True
    current.save(update_fields=["sent_for_review"])
    log_action(
        agreement.partnership,
        "agreement.submitted",
        user=by,
        data={"agreement": agreement.pk, "version": agreement.version},
    )
    _notify(agreement, "review_requested")


@transaction.atomic
def approve_agreement(
    *,
    agreement: Agreement,
    organisation: Organisation,
    by: Any,
    version: int,
    content_hash: str,
    signatory: str,
) -> Approval:
    """One party approves the version it read, identified by number and hash, so
    nobody approves a text that changed under their eyes."""
    agreement = (
        Agreement.objects.select_for_update().select_related("template").get(pk=agreement.pk)
    )
    if agreement.status != AgreementStatus.IN_REVIEW:
        raise ValidationError(_("The agreement is not in review."))
    current = agreement.versions.get(number=agreement.version)
    if version != current.number or content_hash != current.content_hash:
        raise AgreementConflict(current)
    parties = {party["organisation"] for party in current.content["parties"]}
    if organisation.pk not in parties:
        raise ValidationError(
            _("%(name)s is not a party to this agreement.") % {"name": organisation.name}
        )
    if organisation.pk not in acting_organisation_ids(by):
        raise ValidationError(
            _("Only a coordinator or administrator of %(name)s can approve for it.")
            % {"name": organisation.name}
        )
    signatory = signatory.strip()
    if not signatory:
        raise ValidationError({"signatory": _("Give the name and title of the signatory.")})
    refuse_null_characters({"signatory": signatory})
    _require_no_errors(agreement, current.content)
    if Approval.objects.filter(version=current, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s has already approved this version.") % {"name": organisation.name}
        )
    approval = Approval.objects.create(
        agreement=agreement,
        version=current,
        organisation=organisation,
        content_hash=current.content_hash,
        by=by,
        signatory=signatory[:200],
    )
    log_action(
        agreement.partnership,
        "agreement.approved",
        user=by,
        data={
            "agreement": agreement.pk,
            "version": current.number,
            "organisation": organisation.name,
            # The timeline names the person as acting for it only with this.
            **acting_for(by, organisation),
        },
    )
    approved = set(
        Approval.objects.filter(version=current).values_list("organisation_id", flat=True)
    )
    if parties <= approved:
        agreement.status = AgreementStatus.APPROVED
        agreement.save(update_fields=["status", "updated_at"])
        commitments.mark_approved_by_all(current)
        log_action(
            agreement.partnership,
            "agreement.approved_by_all",
            user=by,
            data={
                "agreement": agreement.pk,
                "version": current.number,
                "hash": current.content_hash,
            },
        )
        _notify(agreement, "approved_by_all")
    return approval


@transaction.atomic
def put_in_force(*, agreement: Agreement, by: Any) -> None:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.APPROVED:
        raise ValidationError(_("Only an agreement approved by all parties can come into force."))
    agreement.status = AgreementStatus.IN_FORCE
    agreement.save(update_fields=["status", "updated_at"])
    log_action(
        agreement.partnership, "agreement.in_force", user=by, data={"agreement": agreement.pk}
    )


@transaction.atomic
def terminate_agreement(
    *, agreement: Agreement, by: Any, reason: str, on: date | None = None
) -> None:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (AgreementStatus.APPROVED, AgreementStatus.IN_FORCE):
        raise ValidationError(_("Only an approved agreement or one in force can be terminated."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the agreement is terminated.")})
    refuse_null_characters({"reason": reason})
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_on = on or timezone.localdate()
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
    log_action(
        agreement.partnership,
        "agreement.terminated",
        user=by,
        data={"agreement": agreement.pk, "reason": agreement.termination_reason},
    )
    _notify(agreement, "terminated")


def _move_all(queryset: Any, *, from_status: str, to_status: str, action: str) -> int:
    """Move each agreement of the queryset that is still in `from_status`; a
    concurrent change of status wins."""
    moved = 0
    for agreement in queryset.filter(status=from_status).select_related("partnership"):
        with transaction.atomic():
            updated = Agreement.objects.filter(pk=agreement.pk, status=from_status).update(
                status=to_status, updated_at=timezone.now()
            )
            if updated:
                log_action(agreement.partnership, action, data={"agreement": agreement.pk})
                moved += 1
    return moved


def follow_the_calendar(today: date) -> dict[str, int]:
    """The daily run: approved agreements whose start date has come go into force,
    those in force whose end date has passed expire, and past review dates give
    way to the next one."""
    counts = {
        "in_force": _move_all(
            Agreement.objects.filter(starts_on__lte=today),
            from_status=AgreementStatus.APPROVED,
            to_status=AgreementStatus.IN_FORCE,
            action="agreement.in_force",
        ),
        "expired": _move_all(
            Agreement.objects.filter(ends_on__lt=today),
            from_status=AgreementStatus.IN_FORCE,
            to_status=AgreementStatus.EXPIRED,
            action="agreement.expired",
        ),
    }
    # Past review dates give way to the next one, read from each newest version.
    for version in AgreementVersion.objects.filter(
        agreement__next_review_on__lt=today, number=F("agreement__version")
    ).only("agreement_id", "content"):
        Agreement.objects.filter(pk=version.agreement_id).update(
            next_review_on=next_review(version.content, today)
        )
    return counts


def upcoming_dates(agreement: Agreement, today: date) -> list[dict[str, Any]]:
    """The review and the end within the reminder window of a live agreement, as
    its page shows them: [{kind, on}]."""
    if agreement.status not in LIVE:
        return []
    horizon = today + timedelta(days=REMINDER_DAYS)
    found = []
    if agreement.next_review_on and agreement.next_review_on <= horizon:
        found.append({"kind": "review", "on": agreement.next_review_on})
    if agreement.ends_on and today <= agreement.ends_on <= horizon:
        found.append({"kind": "expiry", "on": agreement.ends_on})
    return found


def reminders_due(today: date, days: int = REMINDER_DAYS) -> list[tuple[Agreement, str, date]]:
    """(agreement, kind, date) for reviews and expiries within `days` that have
    not been reminded of yet."""
    from samverka.agreements.models import Reminder, ReminderKind

    horizon = today + timedelta(days=days)
    due: list[tuple[Agreement, str, date]] = []
    for agreement in Agreement.objects.filter(
        status__in=LIVE, next_review_on__gte=today, next_review_on__lte=horizon
    ):
        due.append((agreement, ReminderKind.REVIEW, agreement.next_review_on))
    for agreement in Agreement.objects.filter(
        status__in=LIVE, ends_on__gte=today, ends_on__lte=horizon
    ):
        due.append((agreement, ReminderKind.EXPIRY, agreement.ends_on))
    sent = set(
        Reminder.objects.filter(agreement__in=[a for a, _k, _d in due]).values_list(
            "agreement_id", "kind", "due_on"
        )
    )
    return [(a, kind, on) for a, kind, on in due if (a.pk, kind, on) not in sent]


def needing_attention(user: Any, today: date, limit: int = 10) -> list[Agreement]:
    """Agreements of the user's organisations that wait for something: approval,
    or a review or an end within the reminder window, among those the user may
    see (the parties of a partnership always may). One query."""
    from django.db.models import Q

    organisations = acting_organisation_ids(user)
    if not organisations:
        return []
    horizon = today + timedelta(days=REMINDER_DAYS)
    parties = Q(
        partnership__members__organisation__in=organisations,
        partnership__members__status=MemberStatus.ACTIVE,
        partnership__members__role__in=PARTY_ROLES,
    )
    due = (
        Q(status=AgreementStatus.IN_REVIEW)
        | Q(status__in=LIVE, next_review_on__lte=horizon)
        | Q(status__in=LIVE, ends_on__gte=today, ends_on__lte=horizon)
    )
    return list(
        visible_to(user, Agreement.objects.filter(parties & due))
        .distinct()
        .only("title", "status", "next_review_on", "ends_on")
        .order_by("-updated_at", "-id")[:limit]
    )
