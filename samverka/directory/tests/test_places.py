# SPDX-License-Identifier: AGPL-3.0-or-later
from samverka.directory.models import Place


def add_place(client, **data):
    return client.post("/admin/directory/place/add/", data)


def test_a_platform_admin_builds_the_place_hierarchy_in_the_admin(client, cast):
    client.force_login(cast.platform_admin)
    assert (
        add_place(client, kind="country", name="Sverige", country="SE", code="SE").status_code
        == 302
    )
    sweden = Place.objects.get()
    add_place(
        client, kind="municipality", name="Göteborg", country="SE", code="1480", parent=sweden.pk
    )
    goteborg = Place.objects.get(code="1480")
    add_place(client, kind="district", name="Angered", country="SE", code="1", parent=goteborg.pk)
    assert list(Place.objects.order_by("path").values_list("path", flat=True)) == [
        "SE/",
        "SE/1480/",
        "SE/1480/1/",
    ]
    assert [p.name for p in Place.objects.within(goteborg)] == ["Göteborg", "Angered"]


def test_a_place_cannot_lie_in_another_country(client, cast):
    client.force_login(cast.platform_admin)
    add_place(client, kind="country", name="Norge", country="NO", code="NO")
    response = add_place(
        client,
        kind="municipality",
        name="Göteborg",
        country="SE",
        code="1480",
        parent=Place.objects.get().pk,
    )
    assert response.status_code == 200
    assert "lies in its parent" in response.content.decode()
    assert Place.objects.count() == 1
