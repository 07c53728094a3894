# SPDX-License-Identifier: AGPL-3.0-or-later
"""Resetting a forgotten password by e-mail, and changing it when logged in."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from samverka.accounts.models import LoginThrottle
from samverka.core.audit import history_for

NEW_PASSWORD = "Skärgårdsvind-över-Vänern-42"
LINK = re.compile(r"https?://\S+/accounts/password/reset/[^/\s]+/[^/\s]+/")


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    def ask(client, email, language="en"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("accounts:password_reset"),
                {"email": email},
                HTTP_ACCEPT_LANGUAGE=language,
            )

    return ask


def _link_in(message):
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0).removeprefix(settings.SITE_URL)


def _set_password(client, link, password=NEW_PASSWORD):
    """Follow the e-mailed link (Django moves the token into the session) and post."""
    form_page = client.get(link, follow=True)
    return form_page, client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_it_resets_a_password_through_the_emailed_link_in_the_users_language(cast, ask_reset):
    cast.member.language = "sv"
    cast.member.save(update_fields=["language"])
    client = Client()

    response = ask_reset(client, "Member@Goteborg.example", language="en")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.member.email]
    assert message.subject == "Återställ ditt lösenord i Samverka"
    assert "Välj ett nytt lösenord här:" in message.body
    link = _link_in(message)

    form_page, response = _set_password(client, link)

    assert "Choose a new password" in form_page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)
    assert history_for(cast.member).first().action == "account.password_reset"
    login = Client().post(
        reverse("accounts:login"), {"username": cast.member.email, "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_the_link_works_only_once(cast, ask_reset):
    client = Client()
    ask_reset(client, cast.member.email)
    link = _link_in(mail.outbox[0])
    _set_password(client, link)

    form_page, _response = _set_password(Client(), link, password="Another-long-passw0rd-9")

    assert "This link cannot be used" in form_page.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(cast, ask_reset, settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 24 * 3600
    client = Client()
    ask_reset(client, cast.member.email)
    link = _link_in(mail.outbox[0])

    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: real_now(self) + timedelta(hours=25)
    )
    form_page, _response = _set_password(client, link)

    assert "This link cannot be used" in form_page.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(cast.PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(cast, ask_reset):
    known = ask_reset(Client(), cast.member.email)
    mail.outbox.clear()

    unknown = ask_reset(Client(), "nobody@example.org")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []
    page = Client().get(unknown["Location"]).content.decode()
    assert "If an account uses that address" in page


def test_the_login_page_offers_a_reset_and_says_how_accounts_are_made(client, db):
    page = client.get(reverse("accounts:login")).content.decode()

    assert f'href="{reverse("accounts:password_reset")}"' in page
    assert "Forgot your password?" in page
    assert "Accounts are created by invitation" in page


def test_a_reset_lets_the_owner_in_from_a_throttled_address(cast, ask_reset, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    client = Client()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": cast.member.email, "password": "wrong"})
    assert LoginThrottle.objects.filter(user=cast.member).exists()

    ask_reset(client, cast.member.email)
    _set_password(client, _link_in(mail.outbox[0]))
    client.post(
        reverse("accounts:login"), {"username": cast.member.email, "password": NEW_PASSWORD}
    )

    assert client.session.get("_auth_user_id") == str(cast.member.pk)


def test_changing_the_password_requires_the_old_one(cast):
    client = Client()
    client.force_login(cast.member)
    url = reverse("accounts:password_change")

    wrong = client.post(
        url,
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert wrong.status_code == 200
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(cast.PASSWORD)

    right = client.post(
        url,
        {
            "old_password": cast.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    assert right.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Your password was changed." in right.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)
    # Still logged in: the session was moved to the new password.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_profile_links_to_changing_the_password(cast):
    client = Client()
    client.force_login(cast.member)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert f'href="{reverse("accounts:password_change")}"' in page


def test_repeated_requests_send_one_email_per_interval(cast, ask_reset, client):
    """The form cannot be used to flood someone's mailbox; the page says the same."""
    first = ask_reset(client, cast.member.email)
    again = ask_reset(client, cast.member.email)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url
    assert len(mail.outbox) == 1
    LoginThrottle.objects.filter(key=f"r {cast.member.pk}").update(
        last_failure_at=LoginThrottle.objects.get(key=f"r {cast.member.pk}").last_failure_at
        - timedelta(minutes=settings.PASSWORD_RESET_EMAIL_MINUTES + 1)
    )
    ask_reset(client, cast.member.email)
    assert len(mail.outbox) == 2
