# SPDX-License-Identifier: AGPL-3.0-or-later
"""Two administrators demoted (or removed) at the same moment, on PostgreSQL:
the "last administrator" guard must still leave one."""

import contextlib
import threading

import pytest
from django.db import connection

from samverka.accounts import services
from samverka.accounts.models import Membership, Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time (BEGIN IMMEDIATE), so there is no race "
        "to test; PostgreSQL runs the two transactions side by side",
    ),
]


def _race(monkeypatch, calls):
    """Run the calls in two threads at once. Each waits, after counting the
    other administrators, until the other has counted too (or a second has
    passed): the worst interleaving, which a busy server meets by chance."""
    barrier = threading.Barrier(len(calls))
    counted = services._admins_left_after

    def count_then_wait(membership):
        left = counted(membership)
        # A broken barrier: the other transaction is waiting for our lock, as it should.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return left

    monkeypatch.setattr(services, "_admins_left_after", count_then_wait)
    outcomes = []

    def run(call):
        try:
            call()
            outcomes.append("done")
        except services.LastAdminError:
            outcomes.append("refused")
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def two_admins(cast):
    Membership.objects.filter(user=cast.coordinator).update(role=Role.ADMIN)
    return [
        Membership.objects.get(user=user, organisation=cast.municipality)
        for user in (cast.org_admin, cast.coordinator)
    ]


def test_two_simultaneous_demotions_leave_one_admin(cast, two_admins, monkeypatch):
    calls = [
        lambda membership=membership: services.change_member_role(
            membership=membership, role=Role.MEMBER, by=cast.platform_admin
        )
        for membership in two_admins
    ]

    assert _race(monkeypatch, calls) == ["done", "refused"]
    admins = Membership.objects.filter(organisation=cast.municipality, role=Role.ADMIN)
    assert admins.count() == 1


def test_two_simultaneous_removals_leave_one_admin(cast, two_admins, monkeypatch):
    calls = [
        lambda membership=membership: services.remove_member(
            membership=membership, by=cast.platform_admin
        )
        for membership in two_admins
    ]

    assert _race(monkeypatch, calls) == ["done", "refused"]
    admins = Membership.objects.filter(organisation=cast.municipality, role=Role.ADMIN)
    assert admins.count() == 1
