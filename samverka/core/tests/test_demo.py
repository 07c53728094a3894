# SPDX-License-Identifier: AGPL-3.0-or-later
from io import StringIO

import pytest
from django.core.management import call_command

from samverka.accounts.models import Membership, User
from samverka.core.demo.actors import DEMO_PASSWORD, DEMO_USERS, NAMED_ORGANISATIONS
from samverka.core.management.commands.demo import generated_organisations
from samverka.core.models import LogEntry
from samverka.directory import orgnumbers
from samverka.directory.models import Organisation
from samverka.partnerships.models import Partnership


def _demo(**options):
    out = StringIO()
    call_command("demo", generated=20, stdout=out, **options)
    return out.getvalue()


def _counts():
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "log entries": LogEntry.objects.count(),
    }


@pytest.mark.django_db
def test_it_creates_the_named_organisations_and_the_demo_users():
    output = _demo()

    named = {(country, name) for country, _s, _m, name, _l, _d in NAMED_ORGANISATIONS}
    assert named <= set(Organisation.objects.values_list("country", "name"))
    assert Organisation.objects.count() == len(named) + 20
    assert f"{len(named) + 20} organisations created" in output
    for email, first, _last, language, roles, platform_admin, _what in DEMO_USERS:
        user = User.objects.get(email=email)
        assert (user.first_name, user.language) == (first, language)
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_superuser == platform_admin
        assert set(
            Membership.objects.filter(user=user).values_list("organisation__name", "role")
        ) == set(roles)
        assert email in output


@pytest.mark.django_db
def test_it_gives_every_organisation_a_valid_unique_number_or_none():
    _demo()

    numbers = list(
        Organisation.objects.exclude(organisation_number="").values_list(
            "country", "organisation_number"
        )
    )
    assert len(numbers) == len(set(numbers))
    assert len(numbers) > len(NAMED_ORGANISATIONS)  # most generated ones have one
    for country, number in numbers:
        assert orgnumbers.normalise(country, number) == number


@pytest.mark.django_db
def test_it_changes_nothing_when_run_again():
    _demo()
    first = _counts()
    numbers = dict(Organisation.objects.values_list("name", "organisation_number"))

    output = _demo()

    assert _counts() == first
    assert dict(Organisation.objects.values_list("name", "organisation_number")) == numbers
    assert "0 organisations created" in output


@pytest.mark.django_db
def test_it_builds_the_same_data_from_the_same_seed():
    _demo(seed=7)
    first = sorted(Organisation.objects.values_list("country", "name", "organisation_number"))
    Partnership.objects.all().delete()  # members protect their organisations
    Organisation.objects.all().delete()
    User.objects.all().delete()

    _demo(seed=7)

    assert sorted(Organisation.objects.values_list("country", "name", "organisation_number")) == (
        first
    )


@pytest.mark.django_db
def test_it_lets_a_demo_coordinator_log_in(client):
    _demo()

    assert client.login(username="anna.lindqvist@goteborg.example", password=DEMO_PASSWORD)


def test_it_generates_more_organisations_than_the_name_patterns_allow():
    # The patterns yield only some hundred distinct names; a larger dataset
    # (for benchmarks) must still finish, with unique names.
    many = generated_organisations(2026, 1500)

    assert len({(o["country"], o["name"]) for o in many}) == 1500
    numbers = [(o["country"], o["organisation_number"]) for o in many if o["organisation_number"]]
    assert len(numbers) == len(set(numbers))
    assert many[:300] == generated_organisations(2026, 300)  # a larger run extends a smaller one


@pytest.mark.django_db
def test_it_starts_the_seed_partnerships_with_late_civil_society_in_goteborg():
    _demo()

    hammarkullen = Partnership.objects.get(name="Trygghet och fritid i Hammarkullen")
    osterbyen = Partnership.objects.get(name="Østerbyen – stærkere sammen")
    # Seed 000: civil society brought in after the first steps; seed 004: at the table early.
    assert hammarkullen.has_late_joiners
    assert not osterbyen.has_late_joiners
    assert osterbyen.form == "partnerskabsaftale"
    assert Partnership.objects.count() == 2
    _demo()
    assert Partnership.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_admin_can_log_in_with_a_printed_recovery_code(client):
    import re

    from django.urls import reverse

    output = _demo()
    again = _demo()

    line = re.search(r"Two-factor for admin@samverka\.example: add the key ([A-Z2-7 ]+) to", output)
    assert line is not None
    codes = output.rsplit("recovery codes: ", 1)[1].split()
    assert len(codes) == 10 and codes[0] in again  # a second run keeps them
    client.post(
        reverse("accounts:login"), {"username": "admin@samverka.example", "password": DEMO_PASSWORD}
    )
    client.post(reverse("accounts:two_factor_login"), {"code": codes[0]})
    assert client.get("/admin/").status_code == 200
