# SPDX-License-Identifier: AGPL-3.0-or-later
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format

from samverka.accounts.models import ApiToken, Invitation, Membership, Role
from samverka.accounts.services import (
    InvitationForSomeoneElse,
    LastAdminError,
    accept_invitation,
    add_member,
    change_member_role,
    create_api_token,
    invite_member,
    register_from_invitation,
    remove_member,
)
from samverka.core.audit import history_for
from samverka.core.models import LogEntry

LAST_ADMIN = "An organisation needs at least one administrator."


@pytest.fixture
def invite(cast, django_capture_on_commit_callbacks):
    """invite_member as a view would call it, with the e-mail task run on commit."""

    def invite(email="new.person@example.org", role="coordinator", language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return invite_member(
                organisation=cast.municipality,
                email=email,
                role=role,
                by=cast.org_admin,
                language=language,
            )

    return invite


def _membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# invite_member


def test_it_invites_and_emails_a_link(cast, invite):
    invitation, raw = invite(email="  New.Person@Example.org ")

    assert invitation.email == "new.person@example.org"
    assert invitation.role == "coordinator"
    assert invitation.is_open()
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert Invitation.find(raw) == invitation
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert f"{settings.SITE_URL}/accounts/invitations/{raw}/" in message.body
    assert "Göteborgs Stad" in message.subject
    entry = history_for(cast.municipality).first()
    assert entry.action == "member.invited"
    assert entry.data == {"email": "new.person@example.org", "role": "coordinator"}


def test_it_sends_no_email_when_the_transaction_is_rolled_back(
    cast, django_capture_on_commit_callbacks
):
    # The e-mail is queued on commit: a failed transaction must not send a link
    # to an invitation that does not exist.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invite_member(
            organisation=cast.municipality, email="x@example.org", role="member", by=cast.org_admin
        )
        raise RuntimeError

    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_writes_the_email_in_the_invitation_language(cast, invite):
    invitation, _raw = invite(language="sv")

    body = mail.outbox[0].body
    expires = timezone.localtime(invitation.expires_at)
    with translation.override("sv"):
        swedish_date = date_format(expires, "DATE_FORMAT")
    with translation.override("en"):
        english_date = date_format(expires, "DATE_FORMAT")
    assert swedish_date in body
    assert english_date not in body


@pytest.mark.skipif(
    not (settings.BASE_DIR / "locale" / "sv" / "LC_MESSAGES" / "django.mo").exists(),
    reason="the Swedish catalog is not compiled (manage.py compilemessages)",
)
def test_it_translates_the_email_subject_and_text(invite):
    invite(language="sv")

    message = mail.outbox[0]
    assert message.subject == "Inbjudan att gå med i Göteborgs Stad på Samverka"
    assert "Acceptera inbjudan här:" in message.body


def test_a_platform_administrator_writes_to_an_unknown_person_in_the_countrys_language(
    cast, django_capture_on_commit_callbacks
):
    """Issue 20: an administrator working in English invited a Danish office in English."""
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation, _raw = invite_member(
            organisation=cast.ngo, email="ny@rk.example", role="member", by=cast.platform_admin
        )

    assert invitation.language == "da"
    message = mail.outbox[0]
    assert message.subject == "Invitation til at blive medlem af Røde Kors Esbjerg på Samverka"
    assert "Invitation to join" not in message.subject


def test_it_writes_to_a_known_person_in_the_language_they_chose(
    cast, django_capture_on_commit_callbacks
):
    cast.outsider.language = "nb"
    cast.outsider.save(update_fields=["language"])

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation, _raw = invite_member(
            organisation=cast.ngo,
            email=cast.outsider.email.upper(),
            role="member",
            by=cast.platform_admin,
        )

    assert invitation.language == "nb"


@pytest.mark.parametrize("email", ["member@goteborg.example", "MEMBER@Goteborg.example"])
def test_it_refuses_to_invite_an_existing_member(cast, invite, email):
    with pytest.raises(ValidationError) as caught:
        invite(email=email)

    assert caught.value.message_dict == {"email": ["This person is already a member."]}
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_invites_a_member_of_another_organisation(cast, invite):
    invitation, _raw = invite(email=cast.other_member.email)

    assert invitation.pk is not None


def test_it_refuses_an_unknown_role(cast, invite):
    with pytest.raises(ValidationError) as caught:
        invite(role="owner")

    assert "role" in caught.value.message_dict
    assert not Invitation.objects.exists()


# accept_invitation


def test_it_accepts_an_invitation_with_the_invited_role(cast, invite):
    invitation, _raw = invite(email=cast.outsider.email, role="coordinator")

    membership = accept_invitation(invitation=invitation, user=cast.outsider)

    assert membership.role == "coordinator"
    assert _membership(cast.outsider, cast.municipality) == membership
    invitation.refresh_from_db()
    assert invitation.accepted_by == cast.outsider
    assert invitation.accepted_at is not None
    assert not invitation.is_open()
    assert history_for(cast.municipality).first().action == "member.joined"


def test_it_refuses_a_used_invitation(cast, invite):
    invitation, _raw = invite(email=cast.outsider.email)
    accept_invitation(invitation=invitation, user=cast.outsider)

    with pytest.raises(ValidationError, match="expired or has already been used"):
        accept_invitation(invitation=invitation, user=cast.other_member)

    assert not Membership.objects.filter(
        user=cast.other_member, organisation=cast.municipality
    ).exists()


def test_it_refuses_an_expired_invitation(cast, invite):
    invitation, _raw = invite(email=cast.outsider.email)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(ValidationError, match="expired or has already been used"):
        accept_invitation(invitation=invitation, user=cast.outsider)

    assert not Membership.objects.filter(user=cast.outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_keeps_the_role_of_someone_who_is_already_a_member(cast, invite):
    invitation, _raw = invite(email=cast.outsider.email, role="admin")
    # Added directly while the invitation waited.
    Membership.objects.create(user=cast.outsider, organisation=cast.municipality, role="member")

    membership = accept_invitation(invitation=invitation, user=cast.outsider)

    assert membership.role == "member"
    assert Membership.objects.filter(user=cast.outsider).count() == 1


def test_only_the_invited_address_can_accept(cast, invite):
    invitation, _raw = invite(email="someone@example.org", role="admin")

    with pytest.raises(InvitationForSomeoneElse, match=r"sent to someone@example\.org"):
        accept_invitation(invitation=invitation, user=cast.member)

    assert _membership(cast.member, cast.municipality).role == "member"
    invitation.refresh_from_db()
    assert invitation.is_open()


def test_it_registers_a_new_person_from_an_invitation(cast, invite):
    invitation, _raw = invite(email="ny@example.org", role="member", language="sv")

    user = register_from_invitation(
        invitation=invitation, first_name="Ny", last_name="Person", password=cast.PASSWORD
    )

    assert user.email == "ny@example.org"
    assert user.language == "sv"
    assert user.check_password(cast.PASSWORD)
    assert _membership(user, cast.municipality).role == "member"


def test_the_new_account_keeps_the_language_the_person_registered_in(cast, invite):
    invitation, _raw = invite(email="ny@example.org", role="member", language="sv")

    user = register_from_invitation(
        invitation=invitation,
        first_name="Ny",
        last_name="Person",
        password=cast.PASSWORD,
        language="da",
    )

    assert user.language == "da"
    assert user.check_password(cast.PASSWORD)
    assert _membership(user, cast.municipality).role == "member"


# change_member_role


def test_it_changes_a_role_and_records_it(cast):
    membership = _membership(cast.member, cast.municipality)

    change_member_role(membership=membership, role="coordinator", by=cast.org_admin)

    assert _membership(cast.member, cast.municipality).role == "coordinator"
    entry = history_for(cast.municipality).first()
    assert entry.action == "member.role_changed"
    assert entry.actor == cast.org_admin
    assert entry.data == {"email": cast.member.email, "role": ["member", "coordinator"]}


def test_it_writes_nothing_when_the_role_is_unchanged(cast):
    entries = LogEntry.objects.count()

    change_member_role(
        membership=_membership(cast.member, cast.municipality), role="member", by=cast.org_admin
    )

    assert LogEntry.objects.count() == entries


def test_it_refuses_to_demote_the_last_admin(cast):
    entries = LogEntry.objects.count()

    with pytest.raises(LastAdminError) as caught:
        change_member_role(
            membership=_membership(cast.org_admin, cast.municipality),
            role="member",
            by=cast.org_admin,
        )

    assert caught.value.messages == [LAST_ADMIN]
    assert _membership(cast.org_admin, cast.municipality).role == "admin"
    assert LogEntry.objects.count() == entries


def test_it_demotes_an_admin_when_another_admin_remains(cast):
    change_member_role(
        membership=_membership(cast.coordinator, cast.municipality), role="admin", by=cast.org_admin
    )

    change_member_role(
        membership=_membership(cast.org_admin, cast.municipality),
        role="member",
        by=cast.coordinator,
    )

    assert _membership(cast.org_admin, cast.municipality).role == "member"


def test_it_counts_admins_per_organisation(cast):
    # The NGO has its own admin, which must not let the municipality lose its only one.
    with pytest.raises(LastAdminError):
        change_member_role(
            membership=_membership(cast.org_admin, cast.municipality),
            role="coordinator",
            by=cast.org_admin,
        )


def test_it_refuses_an_unknown_role_change(cast):
    with pytest.raises(ValidationError) as caught:
        change_member_role(
            membership=_membership(cast.member, cast.municipality), role="owner", by=cast.org_admin
        )

    assert "role" in caught.value.message_dict
    assert _membership(cast.member, cast.municipality).role == "member"


# remove_member


def test_it_removes_a_member_and_records_it(cast):
    remove_member(membership=_membership(cast.member, cast.municipality), by=cast.org_admin)

    assert not Membership.objects.filter(user=cast.member).exists()
    entry = history_for(cast.municipality).first()
    assert entry.action == "member.removed"
    assert entry.data == {"email": cast.member.email, "role": "member"}


def test_it_refuses_to_remove_the_last_admin(cast):
    entries = LogEntry.objects.count()

    with pytest.raises(LastAdminError) as caught:
        remove_member(membership=_membership(cast.org_admin, cast.municipality), by=cast.org_admin)

    assert caught.value.messages == [LAST_ADMIN]
    assert _membership(cast.org_admin, cast.municipality).role == "admin"
    assert LogEntry.objects.count() == entries


def test_it_removes_an_admin_when_another_admin_remains(cast):
    Membership.objects.filter(user=cast.coordinator).update(role=Role.ADMIN)

    remove_member(membership=_membership(cast.org_admin, cast.municipality), by=cast.coordinator)

    assert not Membership.objects.filter(user=cast.org_admin).exists()


# create_api_token


def test_it_creates_a_token_whose_raw_key_is_never_stored(cast):
    token, raw = create_api_token(user=cast.member, name="  Sync script ")

    assert token.name == "Sync script"
    assert raw.startswith("sv_")
    assert token.prefix == raw[:10]
    assert ApiToken.user_for_key(raw) == cast.member
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.name, stored.prefix, stored.key_hash}


def test_it_marks_a_token_as_used(cast):
    token, raw = create_api_token(user=cast.member, name="Script")
    assert token.last_used_at is None

    ApiToken.user_for_key(raw)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_does_not_accept_wrong_revoked_or_inactive_keys(cast):
    token, raw = create_api_token(user=cast.member, name="Script")

    assert ApiToken.user_for_key(raw + "x") is None
    assert ApiToken.user_for_key(token.key_hash) is None
    cast.member.is_active = False
    cast.member.save(update_fields=["is_active"])
    assert ApiToken.user_for_key(raw) is None
    cast.member.is_active = True
    cast.member.save(update_fields=["is_active"])
    token.delete()
    assert ApiToken.user_for_key(raw) is None


def test_it_refuses_a_token_without_a_name(cast):
    with pytest.raises(ValidationError):
        create_api_token(user=cast.member, name="   ")

    assert not ApiToken.objects.exists()


def test_it_gives_each_token_its_own_key(cast):
    _first, first = create_api_token(user=cast.member, name="One")
    _second, second = create_api_token(user=cast.member, name="Two")

    assert first != second


# add_member


def test_it_adds_a_member_once(cast):
    membership, created = add_member(
        organisation=cast.ngo, user=cast.outsider, role="coordinator", by=cast.other_member
    )
    again, created_again = add_member(
        organisation=cast.ngo, user=cast.outsider, role="admin", by=cast.other_member
    )

    assert (created, created_again) == (True, False)
    assert again == membership
    assert _membership(cast.outsider, cast.ngo).role == "coordinator"
    assert history_for(cast.ngo).filter(action="member.joined").count() == 1


def test_it_keeps_the_swedish_catalog_where_the_skip_check_looks():
    # Guards the skipif above against silently pointing at a wrong directory.
    assert (Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po").exists()
