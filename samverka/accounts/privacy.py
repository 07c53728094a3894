# SPDX-License-Identifier: AGPL-3.0-or-later
"""GDPR: a person's data export, erasure, and the retention schedule.

Erasure anonymises instead of deleting rows that other records depend on: the
organisation keeps its history ("an erased user changed the profile"), while
the person's name, e-mail address and login disappear.
"""

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from samverka.accounts.models import ApiToken, Invitation, LoginThrottle, Membership, User
from samverka.core.audit import log_action
from samverka.core.models import LogEntry

ERASED_LABEL = ""  # the history shows "an erased user"
# Stands for the address where someone typed it into a text (a description, a
# contact e-mail of an entry door) that the history kept.
ERASED_TEXT = "[…]"


def _scrubbed(value: Any, pattern: re.Pattern[str]) -> Any:
    """`value` (JSON) with every occurrence of the address replaced."""
    if isinstance(value, str):
        return pattern.sub(ERASED_TEXT, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern) for key, item in value.items()}
    return value


def scrub_history(email: str) -> int:
    """Remove `email` from every history entry, wherever it was typed: the
    {field: [old, new]} of profile and entry-door edits, and the record names.
    Erasure is the one change ever made to history entries. Returns how many
    entries changed."""
    pattern = re.compile(re.escape(email), re.IGNORECASE)
    changed = 0
    entries = LogEntry.objects.filter(
        Q(data__icontains=email) | Q(object_repr__icontains=email)
    ).only("data", "object_repr")
    for entry in entries.iterator():
        data = (
            {**entry.data, "email": ERASED_LABEL}
            if entry.data.get("email") == email
            else entry.data
        )
        data = _scrubbed(data, pattern)
        repr_ = pattern.sub(ERASED_TEXT, entry.object_repr)
        if data != entry.data or repr_ != entry.object_repr:
            entry.data, entry.object_repr = data, repr_
            entry.save(update_fields=["data", "object_repr"])
            changed += 1
    return changed


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything held about `user`, as JSON-ready data."""
    entries = LogEntry.objects.filter(Q(actor=user) | Q(data__email=user.email)).select_related(
        "content_type"
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_platform_admin": user.is_superuser,
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "since": m.created_at.isoformat(),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_received": [
            {
                "organisation": i.organisation.name,
                "role": i.role,
                "sent": i.created_at.isoformat(),
                "accepted": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organisation"
            )
        ],
        "api_tokens": [
            {"name": t.name, "created": t.created_at.isoformat()}
            for t in ApiToken.objects.filter(user=user)
        ],
        "activity": [
            {
                "when": e.created_at.isoformat(),
                "action": e.action,
                "record": f"{e.content_type.model}: {e.object_repr}",
                "details": e.data,
            }
            for e in entries
        ],
    }


@transaction.atomic
def erase_personal_data(*, user: User, by: User | None) -> None:
    """Anonymise `user`: no name, no e-mail, no login; records stay consistent."""
    email = user.email
    organisations = [m.organisation for m in Membership.objects.filter(user=user)]
    for organisation in organisations:
        log_action(organisation, "member.erased", user=by if by != user else None)
    Membership.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):  # two-factor keys and codes
        device.delete()
    Invitation.objects.filter(email__iexact=email).delete()
    LoginThrottle.objects.filter(user=user).delete()
    LogEntry.objects.filter(actor=user).update(actor_label=ERASED_LABEL)
    scrub_history(email)
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "first_name",
            "last_name",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "password",
        ]
    )
    log_action(user, "account.erased", user=by if by != user else None)


@transaction.atomic
def purge_expired_personal_data(*, now: Any = None) -> dict[str, int]:
    """Apply the retention setting. Run daily (task `purge_personal_data`)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    counts = {
        "invitations": Invitation.objects.filter(
            Q(accepted_at__isnull=True, expires_at__lt=now - timedelta(days=30))
            | Q(accepted_at__lt=cutoff)
        ).delete()[0],
        "login_failures": LoginThrottle.objects.filter(
            last_failure_at__lt=now - timedelta(days=1)
        ).delete()[0],
    }
    stale = (
        User.objects.filter(
            Q(is_active=False) | Q(memberships__isnull=True),
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff),
            is_superuser=False,
        )
        .exclude(email__endswith="@erased.invalid")
        .distinct()
    )
    erased = 0
    for user in stale:
        erase_personal_data(user=user, by=None)
        erased += 1
    counts["accounts"] = erased
    return counts
