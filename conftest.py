# SPDX-License-Identifier: AGPL-3.0-or-later
"""The fixed cast every test can use: organisations across sectors and one
person per role, like Healthchecks' Alice, Bob and Charlie."""

import os
from dataclasses import dataclass

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's live
# server needs this to let the test thread touch the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _force_login_counts_both_factors(monkeypatch):
    """client.force_login() skips the login form; for a person with two-factor
    on it skips the code step too, as if the right code had been entered (the
    session is verified, as django-otp's login would leave it). The real
    two-step login is tested in accounts/tests/test_two_factor.py."""
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@dataclass
class Cast:
    municipality: object  # Göteborgs Stad
    ngo: object  # Röde Kors Esbjerg
    platform_admin: object
    org_admin: object  # admin of the municipality
    coordinator: object  # coordinator in the municipality
    member: object  # plain member of the municipality
    other_member: object  # admin of the NGO: a member of another organisation
    outsider: object  # logged in, no organisation

    PASSWORD = "a-long-test-password"


@pytest.fixture
def cast(db) -> Cast:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverka.accounts.models import Membership, User
    from samverka.directory.services import create_organisation

    def person(email, first, **extra):
        return User.objects.create_user(
            email, Cast.PASSWORD, first_name=first, last_name="Testsson", **extra
        )

    municipality = create_organisation(
        by=None,
        name="Göteborgs Stad",
        country="SE",
        sector="municipality",
        organisation_number="212000-1355",
        description="Kommunen.",
    )
    ngo = create_organisation(
        by=None,
        name="Røde Kors Esbjerg",
        country="DK",
        sector="civil_society",
        description_language="da",
    )
    cast = Cast(
        municipality=municipality,
        ngo=ngo,
        platform_admin=person("admin@test.example", "Pia", is_staff=True, is_superuser=True),
        org_admin=person("admin@goteborg.example", "Erik"),
        coordinator=person("coordinator@goteborg.example", "Anna"),
        member=person("member@goteborg.example", "Mats"),
        other_member=person("mette@rodekors.example", "Mette"),
        outsider=person("ola@outside.example", "Ola"),
    )
    # Platform administrators must have two-factor on (accounts/twofactor.py).
    TOTPDevice.objects.create(user=cast.platform_admin, name="app", confirmed=True)
    Membership.objects.create(user=cast.org_admin, organisation=municipality, role="admin")
    Membership.objects.create(user=cast.coordinator, organisation=municipality, role="coordinator")
    Membership.objects.create(user=cast.member, organisation=municipality, role="member")
    Membership.objects.create(user=cast.other_member, organisation=ngo, role="admin")
    # Both have their own administrators: their profiles are claimed.
    type(municipality).objects.filter(pk__in=[municipality.pk, ngo.pk]).update(claimed=True)
    municipality.claimed = ngo.claimed = True
    return cast
