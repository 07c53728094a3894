# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest

from samverka.directory.models import Organisation

pytestmark = pytest.mark.django_db


def test_any_matches_the_listed_values_once_each():
    orgs = [
        Organisation.objects.create(name=f"Förening {i}", country="SE", sector="other")
        for i in range(4)
    ]
    wanted = [orgs[2].pk, orgs[0].pk, orgs[2].pk, 10**9]
    found = Organisation.objects.filter(pk__any=wanted).order_by("pk")
    assert list(found) == [orgs[0], orgs[2]]
    assert list(Organisation.objects.filter(pk__any=[])) == []
    assert Organisation.objects.exclude(pk__any=[orgs[1].pk]).count() == 3
