# SPDX-License-Identifier: AGPL-3.0-or-later
"""E-mails to the parties and the daily calendar run."""

import io

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.models import Membership
from samverka.agreements import services, tasks
from samverka.agreements.models import AgreementStatus, Reminder

from .conftest import approve, complete, days, fresh, join, other_organisation

PARTY_ADDRESSES = [
    "admin@goteborg.example",
    "coordinator@goteborg.example",
    "mette@rodekors.example",
]


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def _approved_with_dates(cast, agreement, *, starts, ends, reviews=()):
    dates = {
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "notice_months": 3,
        "review_dates": [day.isoformat() for day in reviews],
    }
    complete(agreement, cast.coordinator, dates=dates)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    approve(agreement, cast.municipality, cast.coordinator)
    approve(agreement, cast.ngo, cast.other_member)
    return fresh(agreement)


def test_it_writes_to_the_coordinators_and_administrators_of_every_party(cast, agreement):
    police, police_admin = other_organisation("Polisen Storgöteborg", "police", "p@polis.example")
    join(agreement.partnership, police, police_admin, role="observer")
    cast.other_member.language = "da"
    cast.other_member.save(update_fields=["language"])
    cast.coordinator.is_active = False
    cast.coordinator.save(update_fields=["is_active"])

    found = tasks.party_recipients(fresh(agreement))

    # Not the plain member, not the inactive coordinator, not the observer.
    assert found == {
        "admin@goteborg.example": agreement.language,
        "mette@rodekors.example": "da",
    }


def test_it_sends_a_notice_to_every_party(cast, agreement, mailoutbox):
    url = settings.SITE_URL + reverse("agreements:agreement", args=[agreement.pk])

    sent = tasks.send_agreement_notice.call(agreement_id=agreement.pk, event="review_requested")

    assert sent == 3
    assert recipients(mailoutbox) == PARTY_ADDRESSES
    for message in mailoutbox:
        assert "\n" not in message.subject
        assert url in message.body


def test_it_reminds_each_party_coordinator_once_of_a_review(cast, agreement, mailoutbox):
    agreement = _approved_with_dates(
        cast, agreement, starts=days(-3), ends=days(400), reviews=[days(20)]
    )
    today = timezone.localdate()

    assert tasks.send_reminders(today) == 3

    assert recipients(mailoutbox) == PARTY_ADDRESSES
    reminder = Reminder.objects.get()
    assert (reminder.agreement, reminder.kind, reminder.due_on, reminder.recipients) == (
        agreement,
        "review",
        days(20),
        3,
    )

    # A second run, the same day or later, sends nothing more.
    assert tasks.send_reminders(today) == 0
    assert tasks.send_reminders(days(5)) == 0
    assert len(mailoutbox) == 3
    assert Reminder.objects.count() == 1


def test_it_reminds_of_an_expiry_within_thirty_days(cast, agreement, mailoutbox):
    _approved_with_dates(cast, agreement, starts=days(-3), ends=days(31))

    assert tasks.send_reminders(timezone.localdate()) == 0  # 31 days away
    assert tasks.send_reminders(days(1)) == 3
    assert Reminder.objects.get().kind == "expiry"


def test_it_does_not_remind_of_a_review_more_than_thirty_days_away(cast, agreement, mailoutbox):
    _approved_with_dates(cast, agreement, starts=days(-3), ends=days(400), reviews=[days(31)])

    assert tasks.send_reminders(timezone.localdate()) == 0
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_it_does_not_remind_about_drafts_or_agreements_in_review(cast, agreement, mailoutbox):
    dates = {
        "starts_on": days(-3).isoformat(),
        "ends_on": days(10).isoformat(),
        "review_dates": [days(5).isoformat()],
    }
    complete(agreement, cast.coordinator, dates=dates)
    assert fresh(agreement).next_review_on == days(5)

    assert tasks.send_reminders(timezone.localdate()) == 0
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    assert tasks.send_reminders(timezone.localdate()) == 0
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_it_does_not_remind_about_terminated_agreements(cast, agreement, mailoutbox):
    agreement = _approved_with_dates(
        cast, agreement, starts=days(-3), ends=days(20), reviews=[days(10)]
    )
    services.terminate_agreement(agreement=agreement, by=cast.coordinator, reason="Avslutat.")

    assert tasks.send_reminders(timezone.localdate()) == 0
    assert mailoutbox == []


def test_it_runs_the_calendar_and_prints_what_it_did(cast, agreement, mailoutbox):
    agreement = _approved_with_dates(
        cast, agreement, starts=days(-1), ends=days(400), reviews=[days(20)]
    )
    out = io.StringIO()

    call_command("agreement_calendar", stdout=out)

    assert out.getvalue().strip() == "in force: 1, expired: 0, reminder e-mails: 3"
    assert fresh(agreement).status == AgreementStatus.IN_FORCE
    assert len(mailoutbox) == 3

    out = io.StringIO()
    call_command("agreement_calendar", stdout=out)
    assert out.getvalue().strip() == "in force: 0, expired: 0, reminder e-mails: 0"


def test_it_prints_zero_counts_when_there_is_nothing_to_do(db):
    out = io.StringIO()
    call_command("agreement_calendar", stdout=out)
    assert out.getvalue().strip() == "in force: 0, expired: 0, reminder e-mails: 0"


def test_it_queues_the_calendar_for_the_worker(cast, agreement):
    _approved_with_dates(cast, agreement, starts=days(-1), ends=days(400))
    out = io.StringIO()

    call_command("agreement_calendar", "--queue", stdout=out)

    assert out.getvalue().startswith("queued ")
    # The immediate backend of the tests ran it already.
    assert fresh(agreement).status == AgreementStatus.IN_FORCE


def test_it_counts_only_members_with_an_acting_role(cast, agreement):
    Membership.objects.filter(user=cast.other_member).update(role="member")
    assert set(tasks.party_recipients(fresh(agreement))) == {
        "admin@goteborg.example",
        "coordinator@goteborg.example",
    }
