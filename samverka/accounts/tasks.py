# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samverka.accounts.models import Invitation


@task
def send_invitation_email(*, invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL + reverse("accounts:invitation", args=[token]),
        }
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@task
def purge_personal_data() -> dict[str, int]:
    """The retention schedule; enqueued daily by `manage.py purge_personal_data`."""
    from samverka.accounts.privacy import purge_expired_personal_data

    return purge_expired_personal_data()
