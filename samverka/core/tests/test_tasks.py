# SPDX-License-Identifier: AGPL-3.0-or-later
"""The database task queue, as in production: enqueue on commit, a worker sends."""

import json
import re
import signal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from samverka.accounts.services import invite_member

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def restore_signals():
    # The worker installs its own SIGINT/SIGTERM handlers; give pytest its own back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_it_queues_the_invitation_and_a_worker_sends_it(cast, database_tasks, restore_signals):
    invitation, raw = invite_member(
        organisation=cast.municipality,
        email="ny@example.org",
        role="member",
        by=cast.org_admin,
        language="en",
    )

    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert queued.task_path == "samverka.accounts.tasks.send_invitation_email"
    # The queue's rows are kept and shown in the admin: nothing in them opens
    # the invitation.
    assert queued.args_kwargs["kwargs"] == {"invitation_id": invitation.pk}
    assert raw not in json.dumps(queued.args_kwargs)
    assert mail.outbox == []  # nothing is sent before a worker runs

    _work()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.org"]
    link = re.search(r"https?://\S+/accounts/invitations/(\S+)/", mail.outbox[0].body)
    assert link is not None and link.group(1) == raw
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    # The e-mailed link opens the invitation.
    client = Client()
    page = client.get(reverse("accounts:invitation", args=[link.group(1)]))
    assert page.status_code == 200
    assert "This invitation is for ny@example.org" in page.text


@pytest.mark.django_db(transaction=True)
def test_it_queues_nothing_when_the_invitation_is_refused(cast, database_tasks):
    with pytest.raises(ValidationError, match="already a member"):
        invite_member(
            organisation=cast.municipality,
            email=cast.member.email,
            role="member",
            by=cast.org_admin,
        )

    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_sends_each_queued_email_once(cast, database_tasks, restore_signals):
    for email in ["a@example.org", "b@example.org"]:
        invite_member(organisation=cast.municipality, email=email, role="member", by=cast.org_admin)

    _work()
    _work()

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
