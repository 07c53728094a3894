# SPDX-License-Identifier: AGPL-3.0-or-later
"""The resident groups reached are shown, not only saved (issue 20)."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse

from samverka.partnerships import services


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _record(partnership, by, groups):
    return services.record_involvement(
        partnership=partnership,
        by=by,
        kind="walk",
        held_on=datetime.date(2026, 5, 4),
        residents_reached=14,
        groups=groups,
    )


@pytest.mark.parametrize(
    ("language", "young", "elderly"),
    [
        ("sv", "Unga", "Äldre"),
        ("nb", "Unge", "Eldre"),
        ("da", "Unge", "Ældre"),
        ("en", "Young people", "Elderly"),
    ],
)
def test_the_groups_reached_show_on_the_partnership_and_residents_pages(
    cast, partnership, language, young, elderly
):
    _record(partnership, cast.org_admin, ["elderly", "young_people"])
    _record(partnership, cast.org_admin, ["young_people"])
    client = _client(cast.member)

    def page(name):
        url = reverse(f"partnerships:{name}", args=[partnership.pk])
        return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).text)

    overview = page("partnership")
    # In the list's order, each once, with the language's label, not the code.
    assert f"{young}, {elderly}</p>" in overview
    assert "young_people" not in overview
    residents = page("residents")
    assert f"{young}, {elderly}</p>" in residents  # the first involvement, in order
    assert residents.count(young) == 2
    assert "young_people" not in residents


def test_no_groups_reached_is_said_on_the_partnership_page(cast, partnership):
    overview = _client(cast.member).get(reverse("partnerships:partnership", args=[partnership.pk]))
    assert "No resident groups reached yet." in overview.text
    _record(partnership, cast.org_admin, [])
    overview = _client(cast.member).get(reverse("partnerships:partnership", args=[partnership.pk]))
    assert "No resident groups reached yet." in overview.text


def test_the_api_gives_the_groups_reached(cast, partnership):
    client = _client(cast.member)
    url = f"/api/partnerships/{partnership.pk}"
    assert client.get(url).json()["resident_groups_reached"] == []
    _record(partnership, cast.org_admin, ["tenants", "children"])
    _record(partnership, cast.org_admin, ["children"])
    assert client.get(url).json()["resident_groups_reached"] == ["children", "tenants"]
