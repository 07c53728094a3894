# SPDX-License-Identifier: AGPL-3.0-or-later
from io import StringIO

import pytest
from django.core.management import call_command

from samverka.accounts.models import Membership, User
from samverka.agreements.models import Agreement, AgreementStatus
from samverka.core.demo.actors import DEMO_PASSWORD, DEMO_USERS, NAMED_ORGANISATIONS
from samverka.core.demo.local import LOCAL_KINDS, areas
from samverka.core.management.commands.demo import generated_organisations
from samverka.core.models import LogEntry
from samverka.directory import orgnumbers
from samverka.directory.models import Organisation, Place, PlaceKind
from samverka.directory.places import load_municipalities
from samverka.partnerships.demo import PARTNERSHIPS
from samverka.partnerships.models import Partnership, Status


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
    assert Partnership.objects.count() == len(PARTNERSHIPS)
    _demo()
    assert Partnership.objects.count() == len(PARTNERSHIPS)


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


# Issue 20: places that contradict geography ("Hammarkullen, Örebro") made a
# coordinator stop believing the demo.


@pytest.mark.django_db
def test_every_demo_district_lies_in_its_real_municipality():
    load_municipalities()
    municipalities = set(
        Place.objects.filter(kind=PlaceKind.MUNICIPALITY).values_list("country", "name")
    )
    seen: set[tuple[str, str]] = set()
    for area in areas():
        assert (area.country, area.municipality) in municipalities, area
        # One name per country: the demo finds places by name.
        assert (area.country, area.name) not in seen, area
        seen.add((area.country, area.name))
    assert ("SE", "Hammarkullen") in seen and ("SE", "Göteborg") in municipalities
    assert next(a for a in areas() if a.name == "Hammarkullen").municipality == "Göteborg"
    assert next(a for a in areas() if a.name == "Norra Hisingen").municipality == "Göteborg"


@pytest.mark.django_db
def test_generated_organisations_are_placed_in_a_district_of_their_own_municipality():
    call_command("demo", generated=120, stdout=StringIO())

    checked = 0
    for organisation in Organisation.objects.prefetch_related("places"):
        places = list(organisation.places.all())
        municipalities = [p for p in places if p.kind == PlaceKind.MUNICIPALITY]
        for place in places:
            if place.kind in (PlaceKind.DISTRICT, PlaceKind.NEIGHBOURHOOD):
                assert any(place.path.startswith(m.path) for m in municipalities), (
                    organisation.name,
                    place.name,
                    [m.name for m in municipalities],
                )
                checked += 1
    assert checked >= 120
    # The district a generated organisation is named after is one of its places.
    clubs = Organisation.objects.filter(name__startswith="Läxhjälpen ")
    assert clubs.exists()
    for club in clubs:
        area = club.name.removeprefix("Läxhjälpen ")
        assert area in set(club.places.values_list("name", flat=True)), club.name


def test_the_generator_names_only_districts_of_the_organisations_municipality():
    in_country = {(a.country, a.name): a for a in areas()}
    for fields in generated_organisations(2026, 1000):
        area = in_country[(fields["country"], fields["district_name"])]
        assert area.municipality == fields["municipality_name"], fields["name"]
        assert (
            area.name in fields["name"]
            or fields["municipality_name"] in fields["name"]
            or (fields["sector"] == "business")
        )


def test_generated_descriptions_use_the_varied_words_of_real_organisations():
    text = " ".join(kind.description.lower() for kind in LOCAL_KINDS["SE"])
    for word in ("ungdomar", "unga", "tonåringar", "idrottsförening", "läxhjälp", "nyanlända"):
        assert word in text, word
    many = generated_organisations(2026, 300)
    assert len({o["description"] for o in many}) > 150  # not one sentence for all
    assert all("{" not in o["description"] and "{" not in o["name"] for o in many)


@pytest.mark.django_db
def test_the_seed_partnerships_tell_the_seeds_stories():
    _demo()

    places = {
        p.name: set(p.places.values_list("name", flat=True)) for p in Partnership.objects.all()
    }
    assert places == {
        "Trygghet och fritid i Hammarkullen": {"Hammarkullen"},
        "Varsam renovering i Noltorp": {"Noltorp"},
        "Trivsel på Stenungsön": {"Stenungsön"},
        "Sosialt entreprenørskap i Bærum": {"Bærum"},
        "Østerbyen – stærkere sammen": {"Østerbyen"},
        "Partnerskab for Høje Gladsaxe": {"Høje Gladsaxe"},
    }
    # Seed 002: Stenungsund asked residents what makes them thrive and planned from it.
    stenungson = Partnership.objects.get(name="Trivsel på Stenungsön")
    outcomes = set(stenungson.involvements.values_list("outcomes__text", flat=True))
    assert "En kickbikeramp" in outcomes
    assert {"Stenungsunds kommun", "Stenungsundshem"} == set(
        stenungson.members.values_list("organisation__name", flat=True)
    )
    # Seed 003: Bærum's pilot says what happens after it, approved by every party.
    baerum = Partnership.objects.get(name="Sosialt entreprenørskap i Bærum")
    assert baerum.status == Status.AGREED and baerum.horizon == "pilot"
    agreement = Agreement.objects.get(partnership=baerum)
    assert agreement.status == AgreementStatus.APPROVED
    content = agreement.versions.get(number=agreement.version).content
    assert content["after_pilot"]["route"] == "procurement"
    assert content["after_pilot"]["decision_on"] == "2028-10-01"
    assert agreement.approvals.count() == 3
    # The timeline names the person who acted for Ferd: Ferd's own coordinator.
    ferd = agreement.approvals.get(organisation__name="Ferd Sosiale Entreprenører")
    assert ferd.by.email == "kari.solberg@ferd.example"


@pytest.mark.django_db
def test_it_leaves_records_of_an_earlier_run_as_they_are():
    _demo()
    anna = Partnership.objects.get(name="Trygghet och fritid i Hammarkullen")
    anna.problem_statement = "Edited by the coordinator."
    anna.save(update_fields=["problem_statement"])
    organisation = Organisation.objects.get(name="Alingsåshem")
    Organisation.objects.filter(pk=organisation.pk).update(description="Our own words.")

    _demo()

    anna.refresh_from_db()
    assert anna.problem_statement == "Edited by the coordinator."
    assert Organisation.objects.get(name="Alingsåshem").description == "Our own words."
