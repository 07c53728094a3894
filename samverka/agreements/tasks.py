# SPDX-License-Identifier: AGPL-3.0-or-later
"""E-mails about agreements, each in its reader's language, and the daily run
that keeps statuses and reminders in step with the calendar."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from samverka.accounts.models import Membership
from samverka.agreements import services
from samverka.agreements.models import Agreement, Reminder
from samverka.partnerships.permissions import ACTING_ROLES


def party_recipients(agreement: Agreement) -> dict[str, str]:
    """{address: language} of the coordinators and administrators of every party."""
    version = agreement.versions.get(number=agreement.version)
    parties = [party["organisation"] for party in version.content["parties"]]
    return {
        email.lower(): language or agreement.language
        for email, language in Membership.objects.filter(
            organisation__in=parties, role__in=ACTING_ROLES, user__is_active=True
        ).values_list("user__email", "user__language")
    }


def _send(agreement: Agreement, template: str, extra: dict[str, object]) -> int:
    url = settings.SITE_URL + reverse("agreements:agreement", args=[agreement.pk])
    sent = 0
    for address, language in party_recipients(agreement).items():
        with translation.override(language):
            context = {"agreement": agreement, "url": url, **extra}
            subject = render_to_string(f"emails/agreement_{template}_subject.txt", context)
            body = render_to_string(f"emails/agreement_{template}.txt", context)
        sent += send_mail(" ".join(subject.split()), body, None, [address])
    return sent


@task
def send_agreement_notice(*, agreement_id: int, event: str) -> int:
    """review_requested, approvals_lapsed, approved_by_all or terminated."""
    agreement = Agreement.objects.select_related("partnership").get(pk=agreement_id)
    return _send(agreement, "notice", {"event": event})


def send_reminders(today: date) -> int:
    """One e-mail per agreement and date, recorded so it is never sent twice and
    shown on the agreement's page."""
    sent = 0
    for agreement, kind, due_on in services.reminders_due(today):
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(agreement=agreement, kind=kind, due_on=due_on)
        except IntegrityError:
            continue  # another run reminded of it already
        count = _send(agreement, "reminder", {"kind": kind, "due_on": due_on})
        Reminder.objects.filter(pk=reminder.pk).update(recipients=count)
        sent += count
    return sent


@task
def run_agreement_calendar() -> dict[str, int]:
    """Daily: statuses that follow from the dates, then the reminders."""
    today = timezone.localdate()
    counts = services.follow_the_calendar(today)
    counts["reminders"] = send_reminders(today)
    return counts
