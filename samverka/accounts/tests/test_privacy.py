# SPDX-License-Identifier: AGPL-3.0-or-later
import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samverka.accounts.models import ApiToken, Invitation, Membership, User
from samverka.accounts.privacy import erase_personal_data, purge_expired_personal_data
from samverka.accounts.services import create_api_token, invite_member
from samverka.core.models import LogEntry
from samverka.directory.services import update_organisation


def test_a_person_downloads_everything_held_about_them(client, cast):
    update_organisation(
        organisation=cast.municipality,
        data={"description": "Ny beskrivning."},
        by=cast.org_admin,
        version=cast.municipality.version,
    )
    create_api_token(user=cast.org_admin, name="my script")
    client.force_login(cast.org_admin)
    response = client.get(reverse("accounts:privacy_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == cast.org_admin.email
    assert data["memberships"] == [
        {
            "organisation": "Göteborgs Stad",
            "role": "admin",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert data["api_tokens"][0]["name"] == "my script"
    assert any(a["action"] == "organisation.updated" for a in data["activity"])


def test_erasure_anonymises_the_person_and_keeps_the_organisations_history(client, cast):
    update_organisation(
        organisation=cast.municipality,
        data={"description": "Ändrad."},
        by=cast.org_admin,
        version=cast.municipality.version,
    )
    entry = LogEntry.objects.get(action="organisation.updated")
    client.force_login(cast.member)
    response = client.post(
        reverse("accounts:privacy_erase"), {"password": cast.PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    member = User.objects.get(pk=cast.member.pk)
    assert member.email.endswith("@erased.invalid")
    assert (member.first_name, member.last_name, member.is_active) == ("", "", False)
    assert not member.has_usable_password()
    assert not Membership.objects.filter(user=member).exists()
    assert "_auth_user_id" not in client.session
    # Other people's records are untouched.
    entry.refresh_from_db()
    assert entry.actor_label == cast.org_admin.get_full_name()
    assert LogEntry.objects.filter(action="member.erased").count() == 1


def test_erasure_removes_the_name_from_history_but_keeps_the_entry(cast):
    update_organisation(
        organisation=cast.municipality,
        data={"description": "Ändrad."},
        by=cast.org_admin,
        version=cast.municipality.version,
    )
    erase_personal_data(user=cast.org_admin, by=cast.org_admin)
    entry = LogEntry.objects.get(action="organisation.updated")
    assert entry.actor_label == ""
    assert entry.actor_id == cast.org_admin.pk
    assert entry.data["changes"]["description"] == ["Kommunen.", "Ändrad."]


def test_erasure_scrubs_the_email_from_invitations_and_log_entries(cast):
    invite_member(
        organisation=cast.municipality, email="new@example.org", role="member", by=cast.org_admin
    )
    person = User.objects.create_user("new@example.org", "x-long-password-1")
    erase_personal_data(user=person, by=None)
    assert not Invitation.objects.filter(email="new@example.org").exists()
    assert not LogEntry.objects.filter(data__email="new@example.org").exists()


def test_erasure_scrubs_the_email_where_it_was_typed_into_the_profile_history(cast):
    # Mats typed his own address into an entry door and the description.
    from samverka.directory.services import add_entry_door, update_entry_door

    email = cast.member.email
    door = add_entry_door(
        organisation=cast.municipality,
        data={"topic": "Praktik", "who": "HR", "email": "hr@goteborg.example"},
        by=cast.org_admin,
    )
    update_entry_door(
        door=door,
        data={"topic": "Praktik", "who": "Mats", "email": email.upper()},
        by=cast.org_admin,
        version=door.version,
    )
    update_organisation(
        organisation=cast.municipality,
        data={"description": f"Kommunen. Frågor: {email}."},
        by=cast.org_admin,
        version=cast.municipality.version,
    )
    other = LogEntry.objects.get(action="entry_door.added")

    erase_personal_data(user=cast.member, by=cast.platform_admin)

    door_entry = LogEntry.objects.get(action="entry_door.updated")
    assert door_entry.data["changes"]["email"] == ["hr@goteborg.example", "[…]"]
    profile_entry = LogEntry.objects.get(action="organisation.updated")
    assert profile_entry.data["changes"]["description"] == [
        "Kommunen.",
        "Kommunen. Frågor: […].",
    ]
    assert not LogEntry.objects.filter(data__icontains=email).exists()
    # Nothing else in the history changes: entries are only ever added otherwise.
    assert LogEntry.objects.get(pk=other.pk).data == other.data


def test_erasure_needs_the_right_password_and_the_confirmation(client, cast):
    client.force_login(cast.member)
    for data in ({"password": "wrong", "confirm": "on"}, {"password": cast.PASSWORD}):
        response = client.post(reverse("accounts:privacy_erase"), data)
        assert response.status_code == 400
    assert User.objects.get(pk=cast.member.pk).is_active
    assert "password" in response.content.decode().lower()


def test_retention_purges_old_personal_data_only(cast, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    long_ago = timezone.now() - timedelta(days=400)
    invitation, _raw = invite_member(
        organisation=cast.municipality, email="old@example.org", role="member", by=cast.org_admin
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=long_ago)
    fresh, _raw = invite_member(
        organisation=cast.municipality, email="fresh@example.org", role="member", by=cast.org_admin
    )
    stale = User.objects.create_user("stale@example.org", "x-long-password-1")
    User.objects.filter(pk=stale.pk).update(date_joined=long_ago, last_login=None)
    User.objects.filter(pk=cast.outsider.pk).update(last_login=timezone.now())
    api_user_token, _raw = create_api_token(user=cast.member, name="t")
    User.objects.filter(pk=cast.member.pk).update(last_login=long_ago)  # member: kept

    counts = purge_expired_personal_data()

    assert counts == {"invitations": 1, "login_failures": 0, "accounts": 1}
    assert Invitation.objects.filter(pk=fresh.pk).exists()
    assert User.objects.get(pk=stale.pk).email.endswith("@erased.invalid")
    assert User.objects.get(pk=cast.outsider.pk).email == "ola@outside.example"
    assert ApiToken.objects.filter(pk=api_user_token.pk).exists()
    assert purge_expired_personal_data()["accounts"] == 0  # idempotent


def test_the_retention_command_queues_the_task(cast, settings, mailoutbox):
    from django.core.management import call_command

    settings.PERSONAL_DATA_RETENTION_DAYS = 1
    stale = User.objects.create_user("stale@example.org", "x-long-password-1")
    User.objects.filter(pk=stale.pk).update(date_joined=timezone.now() - timedelta(days=5))
    call_command("purge_personal_data")  # immediate backend in tests: runs now
    assert User.objects.get(pk=stale.pk).email.endswith("@erased.invalid")
