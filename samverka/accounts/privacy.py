# SPDX-License-Identifier: AGPL-3.0-or-later
"""GDPR: a person's data export, erasure, and the retention schedule.

Erasure anonymises instead of deleting rows that other records depend on: the
organisation keeps its history ("an erased user changed the profile"), while
the person's name, e-mail address and login disappear.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samverka.accounts.models import ApiToken, Invitation, LoginFailure, Membership, User
from samverka.core.audit import log_action
from samverka.core.models import LogEntry

ERASED_LABEL = ""  # the history shows "an erased user"


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
    Invitation.objects.filter(email__iexact=email).delete()
    LoginFailure.objects.filter(username=email).delete()
    LogEntry.objects.filter(actor=user).update(actor_label=ERASED_LABEL)
    for entry in LogEntry.objects.filter(data__email=email):
        entry.data = {**entry.data, "email": ERASED_LABEL}
        entry.save(update_fields=["data"])
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
        "login_failures": LoginFailure.objects.filter(
            created_at__lt=now - timedelta(days=1)
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
