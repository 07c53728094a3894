# SPDX-License-Identifier: AGPL-3.0-or-later
import io

import pytest
from django.core.management import CommandError, call_command

from samverka.accounts.models import Membership, User
from samverka.directory.models import Organisation, Place
from samverka.directory.orgnumbers import normalise


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_generates_a_scaled_national_dataset():
    report = generate(scale=0.005, seed=7)
    assert Organisation.objects.count() == 2000
    assert User.objects.count() == 1000
    assert Membership.objects.count() >= 1000
    municipalities = Place.objects.filter(kind="municipality")
    assert {c: municipalities.filter(country=c).count() for c in ("SE", "NO", "DK")} == {
        "SE": 290,
        "NO": 357,
        "DK": 98,
    }
    goteborg = municipalities.get(country="SE", name="Göteborg")
    assert goteborg.parent.kind == "country"
    assert Place.objects.within(goteborg).filter(kind="neighbourhood").exists()
    for organisation in Organisation.objects.exclude(organisation_number="")[:300]:
        assert normalise(organisation.country, organisation.organisation_number)
    assert "organisations" in report and " s" in report  # says how long each part took
    # New rows after a bulk load get fresh keys (sequences were moved past the data).
    assert User.objects.create_user("after@example.org", "x-long-password-1").pk == 1001


@pytest.mark.django_db(transaction=True)
def test_it_is_deterministic_from_the_seed():
    generate(scale=0.001, seed=3)
    first = list(Organisation.objects.order_by("id").values_list("name", "sector", "country"))
    call_command("flush", interactive=False)
    generate(scale=0.001, seed=3)
    assert (
        list(Organisation.objects.order_by("id").values_list("name", "sector", "country")) == first
    )


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_database_with_data_but_can_reuse_it():
    generate(scale=0.001, seed=1)
    with pytest.raises(CommandError, match="already has organisations"):
        generate(scale=0.001, seed=1)
    assert "Reusing 400 organisations" in generate(scale=0.001, seed=1, reuse=True)
    assert Organisation.objects.count() == 400
