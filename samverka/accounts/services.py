# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes about people and their memberships. Each is atomic and audited."""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.languages import recipient_language
from samverka.accounts.models import ApiToken, Invitation, Membership, Role, User
from samverka.core.audit import log_action
from samverka.directory.models import Organisation


class LastAdminError(ValidationError):
    pass


class InvitationForSomeoneElse(ValidationError):
    pass


def _lock_administrators(organisation_id: int) -> None:
    """Hold the organisation's row until commit, so that changes to its
    administrators run one at a time: two demotions at once would otherwise
    each count the other as the one left. Taken before the membership's own
    lock, always in that order, so two changes cannot deadlock."""
    list(
        Organisation.objects.select_for_update()
        .filter(pk=organisation_id)
        .values_list("pk", flat=True)
    )


def _admins_left_after(membership: Membership) -> int:
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def invite_member(
    *, organisation: Organisation, email: str, role: str, by: User, language: str = ""
) -> tuple[Invitation, str]:
    """Create an invitation and queue its e-mail. Returns it with the raw token."""
    from samverka.accounts.tasks import send_invitation_email

    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    _unused, placeholder = Invitation.new_token()  # unique until the real hash is known
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        # The recipient's language, not the sender's: see accounts/languages.py.
        language=language or recipient_language(email, organisation.country),
        token_hash=placeholder,
        invited_by=by,
        expires_at=Invitation.default_expiry(),
    )
    # The token is derived from the saved row (its id and time), as the task will.
    invitation.refresh_from_db(fields=["created_at"])
    raw = invitation.make_token()
    invitation.token_hash = Invitation.hash_token(raw)
    invitation.save(update_fields=["token_hash"])
    log_action(organisation, "member.invited", user=by, data={"email": email, "role": role})
    # Only the id goes into the queue (kept, and shown in the admin): no token.
    transaction.on_commit(partial(send_invitation_email.enqueue, invitation_id=invitation.pk))
    return invitation, raw


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise ValidationError(_("This invitation has expired or has already been used."))
    if not invitation.is_for(user):
        # A forwarded or leaked link must not let someone else take the role.
        raise InvitationForSomeoneElse(
            _("This invitation was sent to %(email)s.") % {"email": invitation.email}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        log_action(
            invitation.organisation,
            "member.joined",
            user=user,
            data={"email": user.email, "role": membership.role},
        )
    return membership


@transaction.atomic
def register_from_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str = ""
) -> User:
    """`language` is the one the person read the invitation page in: the account
    keeps it (the invitation's is only a guess made for the e-mail)."""
    user = User.objects.create_user(
        invitation.email,
        password,
        first_name=first_name,
        last_name=last_name,
        language=language if language in dict(settings.LANGUAGES) else invitation.language,
    )
    accept_invitation(invitation=invitation, user=user)
    return user


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, by: User) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    _lock_administrators(membership.organisation_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.role
    if old == role:
        return membership
    if old == Role.ADMIN and _admins_left_after(membership) == 0:
        raise LastAdminError(_("An organisation needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])
    log_action(
        membership.organisation,
        "member.role_changed",
        user=by,
        data={"email": membership.user.email, "role": [old, role]},
    )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    _lock_administrators(membership.organisation_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.ADMIN and _admins_left_after(membership) == 0:
        raise LastAdminError(_("An organisation needs at least one administrator."))
    log_action(
        membership.organisation,
        "member.removed",
        user=by,
        data={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw, prefix, key_hash = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, key_hash=key_hash)
    return token, raw


def set_user_language(*, user: User, language: str) -> None:
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def add_member(
    *, organisation: Organisation, user: User, role: str, by: User | None
) -> tuple[Membership, bool]:
    """Add a person directly (platform admin, demo data). Idempotent."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if created:
        log_action(organisation, "member.joined", user=by, data={"email": user.email, "role": role})
    if role == Role.ADMIN and not organisation.claimed:
        # The organisation's own administrator now maintains the profile.
        type(organisation).objects.filter(pk=organisation.pk).update(claimed=True)
        organisation.claimed = True
        log_action(organisation, "organisation.claimed", user=by, data={"email": user.email})
    return membership, created


@transaction.atomic
def password_was_reset(*, user: User) -> None:
    """After a reset by e-mail: whoever made the failed logins, the owner of the
    mailbox is back in, from any address."""
    from samverka.accounts.ratelimit import clear_account

    clear_account(user=user)
    log_action(user, "account.password_reset")


def password_was_changed(*, user: User) -> None:
    log_action(user, "account.password_changed", user=user)
