# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverka.accounts.models import Invitation, User


@task
def send_invitation_email(*, invitation_id: int) -> None:
    """The link's token is made here from the invitation (Invitation.make_token),
    so the queue's arguments hold no secret."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    token = invitation.make_token()
    if invitation.token_hash != Invitation.hash_token(token):
        # The SECRET_KEY changed since the invitation was made: nobody has the
        # old link yet, so the new one is the one that counts.
        invitation.token_hash = Invitation.hash_token(token)
        invitation.save(update_fields=["token_hash"])
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL + reverse("accounts:invitation", args=[token]),
        }
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@task
def send_password_reset_email(*, user_id: int, language: str) -> None:
    """The link is made here, so the queue never holds a usable token. Django's
    token generator makes it single-use (it hashes the password and last login)
    and expire after PASSWORD_RESET_TIMEOUT."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.language or language):
        context = {
            "user": user,
            "url": settings.SITE_URL + link,
            "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        }
        subject = render_to_string("emails/password_reset_subject.txt", context).strip()
        body = render_to_string("emails/password_reset.txt", context)
    send_mail(subject, body, None, [user.email])


@task
def purge_personal_data() -> dict[str, int]:
    """The retention schedule; enqueued daily by `manage.py purge_personal_data`."""
    from samverka.accounts.privacy import purge_expired_personal_data

    return purge_expired_personal_data()
