# SPDX-License-Identifier: AGPL-3.0-or-later
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverka.accounts.models import ApiToken, Invitation, Membership, User
from samverka.accounts.services import create_api_token, invite_member

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# Logging in


def test_it_logs_in_with_email_and_password(cast):
    client = Client()

    response = client.post(
        reverse("accounts:login"),
        {"username": "Member@Goteborg.example", "password": cast.PASSWORD},
    )

    # E-mail addresses are stored in lower case; people type them as they like.
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert _logged_in_user(client) == cast.member
    assert COOKIE not in response.cookies  # no language chosen yet


def test_it_refuses_a_wrong_password(cast):
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": cast.member.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password." in response.text
    assert _logged_in_user(client) is None


def test_it_sets_the_language_cookie_from_the_user_at_login(cast):
    cast.member.language = "nb"
    cast.member.save(update_fields=["language"])
    client = Client()

    response = client.post(
        reverse("accounts:login"), {"username": cast.member.email, "password": cast.PASSWORD}
    )

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "nb"
    page = client.get(reverse("core:home"))
    assert '<html lang="nb"' in page.text


def test_it_follows_a_safe_next_url_at_login(cast):
    next_url = reverse("directory:members", args=[cast.municipality.pk])

    response = Client().post(
        reverse("accounts:login"),
        {"username": cast.member.email, "password": cast.PASSWORD, "next": next_url},
    )

    assert response.url == next_url


def test_it_ignores_an_off_site_next_url_at_login(cast):
    response = Client().post(
        reverse("accounts:login"),
        {"username": cast.member.email, "password": cast.PASSWORD, "next": "https://evil.example/"},
    )

    assert response.url == reverse("core:home")


# Choosing a language


def test_it_remembers_the_chosen_language_in_a_cookie(db):
    client = Client()

    response = client.post(
        reverse("core:set_language"), {"language": "da", "next": "/organisations/"}
    )

    assert response.status_code == 302
    assert response.url == "/organisations/"
    assert response.cookies[COOKIE].value == "da"
    assert '<html lang="da"' in client.get("/").text


def test_it_saves_the_chosen_language_on_the_user(cast):
    response = _client(cast.member).post(reverse("core:set_language"), {"language": "sv"})

    assert response.cookies[COOKIE].value == "sv"
    cast.member.refresh_from_db()
    assert cast.member.language == "sv"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/path", "http://testserver.evil.example/"]
)
def test_it_refuses_an_off_site_next_url(cast, next_url):
    response = Client().post(reverse("core:set_language"), {"language": "sv", "next": next_url})

    assert response.status_code == 302
    assert response.url == "/"


def test_it_ignores_an_unknown_language(cast):
    response = _client(cast.member).post(reverse("core:set_language"), {"language": "fi"})

    assert response.status_code == 302
    assert COOKIE not in response.cookies
    cast.member.refresh_from_db()
    assert cast.member.language == ""


def test_it_answers_the_language_switch_only_to_post(db):
    assert Client().get(reverse("core:set_language")).status_code == 405


def test_it_uses_the_browser_language_until_one_is_chosen(db):
    response = Client().get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})

    assert response.status_code == 200
    assert '<html lang="sv"' in response.text


def test_it_prefers_the_cookie_to_the_browser_language(db):
    client = Client()
    client.cookies[COOKIE] = "da"

    response = client.get("/", headers={"Accept-Language": "sv"})

    assert '<html lang="da"' in response.text


# Profile


def test_it_saves_the_profile(cast):
    client = _client(cast.member)

    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Mats", "last_name": "Svensson", "language": "da"},
    )

    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "da"
    cast.member.refresh_from_db()
    assert (cast.member.last_name, cast.member.language) == ("Svensson", "da")
    page = client.get(response.url)
    assert '<html lang="da"' in page.text


def test_it_refuses_an_unknown_language_in_the_profile(cast):
    response = _client(cast.member).post(
        reverse("accounts:profile"), {"first_name": "Mats", "last_name": "X", "language": "fi"}
    )

    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    cast.member.refresh_from_db()
    assert cast.member.last_name == "Testsson"


def test_it_asks_for_login_before_the_profile(db):
    response = Client().get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# API tokens


def test_it_creates_a_token_and_shows_it_once(cast):
    client = _client(cast.member)

    response = client.post(reverse("accounts:tokens"), {"name": "Sync script"})

    # Redirected, so reloading the page cannot create a second token.
    assert response.status_code == 302
    assert response.url == reverse("accounts:tokens")
    token = ApiToken.objects.get(user=cast.member)
    shown = client.get(response.url)
    raw = shown.context["new_key"]
    assert raw.startswith(token.prefix)
    assert f'<code class="token" id="new-token">{raw}</code>' in shown.text
    assert ApiToken.user_for_key(raw) == cast.member
    later = client.get(reverse("accounts:tokens"))
    assert raw not in later.text
    assert "Sync script" in later.text
    assert ApiToken.objects.count() == 1


def test_it_requires_a_token_name(cast):
    response = _client(cast.member).post(reverse("accounts:tokens"), {"name": ""})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_it_lists_only_your_own_tokens(cast):
    create_api_token(user=cast.coordinator, name="Anna's script")

    response = _client(cast.member).get(reverse("accounts:tokens"))

    assert "Anna&#x27;s script" not in response.text


def test_it_revokes_a_token(cast):
    token, raw = create_api_token(user=cast.member, name="Old script")
    client = _client(cast.member)

    response = client.post(reverse("accounts:token_delete", args=[token.pk]))

    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert ApiToken.user_for_key(raw) is None
    assert "The token was revoked." in client.get(response.url).text


def test_it_does_not_reveal_or_revoke_another_users_token(cast):
    token, _raw = create_api_token(user=cast.coordinator, name="Anna's script")

    response = _client(cast.member).post(reverse("accounts:token_delete", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_it_revokes_only_with_post(cast):
    token, _raw = create_api_token(user=cast.member, name="Script")

    response = _client(cast.member).get(reverse("accounts:token_delete", args=[token.pk]))

    assert response.status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


# Invitations


@pytest.fixture
def invitation(cast):
    def make(email="ny.person@example.org", role="coordinator", language="sv"):
        invitation, raw = invite_member(
            organisation=cast.municipality,
            email=email,
            role=role,
            by=cast.org_admin,
            language=language,
        )
        return invitation, reverse("accounts:invitation", args=[raw])

    return make


def test_it_lets_a_new_person_register_and_join(cast, invitation):
    found, url = invitation()
    client = Client()

    form = client.get(url)
    assert form.status_code == 200
    assert "This invitation is for ny.person@example.org, with the role Coordinator." in form.text
    response = client.post(
        url, {"first_name": "Ny", "last_name": "Person", "password": cast.PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == cast.municipality.get_absolute_url()
    user = User.objects.get(email="ny.person@example.org")
    assert _logged_in_user(client) == user
    assert Membership.objects.get(user=user).role == "coordinator"
    assert response.cookies[COOKIE].value == "en"  # the language of the pages they used
    found.refresh_from_db()
    assert found.accepted_by == user
    assert client.get(url).status_code == 404  # used


def test_a_person_registering_in_a_danish_browser_keeps_danish(cast, invitation):
    """Issue 20: the invitation was sent in Swedish (or English) and the account
    got that language, so the person's own Danish was lost at the first login."""
    _found, url = invitation(language="sv")
    browser = Client(headers={"Accept-Language": "da-DK,da;q=0.9"})

    assert "Opret konto" in browser.get(url).text  # the page is in Danish
    browser.post(url, {"first_name": "Ny", "last_name": "Person", "password": cast.PASSWORD})

    assert browser.get("/api/me").json()["language"] == "da"
    # Logging in again (from a browser in another language) keeps it too.
    browser.post(reverse("accounts:logout"))
    again = Client(headers={"Accept-Language": "en"})
    response = again.post(
        reverse("accounts:login"), {"username": "ny.person@example.org", "password": cast.PASSWORD}
    )
    assert response.cookies[COOKIE].value == "da"
    assert 'lang="da"' in again.get(reverse("accounts:profile")).text


def test_it_refuses_a_weak_password_when_registering(cast, invitation):
    _found, url = invitation()
    client = Client()

    response = client.post(url, {"first_name": "Ny", "last_name": "Person", "password": "12345678"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="ny.person@example.org").exists()
    assert _logged_in_user(client) is None


def test_it_tells_a_person_with_an_account_to_log_in(cast, invitation):
    found, url = invitation(email=cast.outsider.email)
    client = Client()

    response = client.get(url)
    posted = client.post(url, {"first_name": "X", "last_name": "Y", "password": cast.PASSWORD})

    assert response.status_code == 200
    assert "You already have an account. Log in to accept." in response.text
    assert f'href="{reverse("accounts:login")}?next={url}"' in response.text
    assert posted.status_code == 200
    assert not Membership.objects.filter(user=cast.outsider).exists()
    found.refresh_from_db()
    assert found.is_open()
    assert User.objects.get(email=cast.outsider.email).check_password(cast.PASSWORD)


def test_it_lets_a_logged_in_person_accept(cast, invitation):
    _found, url = invitation(email=cast.outsider.email, role="member")
    client = _client(cast.outsider)

    page = client.get(url)
    assert "Accept as ola@outside.example" in page.text
    response = client.post(url)

    assert response.status_code == 302
    assert response.url == cast.municipality.get_absolute_url()
    assert Membership.objects.get(user=cast.outsider).role == "member"
    assert "Welcome to Göteborgs Stad." in client.get(response.url).text


def test_it_refuses_someone_logged_in_with_another_address(cast, invitation):
    found, url = invitation(email="ny.person@example.org", role="admin")
    client = _client(cast.outsider)

    page = client.get(url)
    posted = client.post(url)

    message = (
        "You are logged in as ola@outside.example, but this invitation was sent to "
        "ny.person@example.org. Only that address can accept it."
    )
    assert page.status_code == 200
    assert message in page.text
    assert "If you are ny.person@example.org, log out and open the link again." in page.text
    assert "Accept as" not in page.text
    assert posted.status_code == 403
    assert message in posted.text
    assert not Membership.objects.filter(user=cast.outsider).exists()
    found.refresh_from_db()
    assert found.is_open()


def test_it_does_not_accept_on_get(cast, invitation):
    _found, url = invitation(email=cast.outsider.email)

    _client(cast.outsider).get(url)

    assert not Membership.objects.filter(user=cast.outsider).exists()


@pytest.mark.parametrize("state", ["unknown", "expired", "used"])
def test_it_answers_404_for_an_invitation_that_cannot_be_used(cast, invitation, state):
    found, url = invitation(email=cast.outsider.email)
    if state == "unknown":
        url = reverse("accounts:invitation", args=["not-a-real-token"])
    elif state == "expired":
        Invitation.objects.filter(pk=found.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        Invitation.objects.filter(pk=found.pk).update(
            accepted_at=timezone.now(), accepted_by=cast.outsider
        )

    response = _client(cast.outsider).post(url)

    assert response.status_code == 404
    assert "This invitation cannot be used" in response.text
    assert not Membership.objects.filter(user=cast.outsider).exists()
