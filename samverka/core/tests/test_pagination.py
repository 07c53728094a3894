# SPDX-License-Identifier: AGPL-3.0-or-later
import base64

import pytest
from django.test import Client

from samverka.core.pagination import decode, encode, keyset_page
from samverka.directory.models import Organisation

# Repeated names: the id must break ties, or rows are skipped or repeated.
NAMES = ["Åby IF", "Alingsåshem", "Biskopsgården", "Biskopsgården", "Biskopsgården", "Chalmers"]
NAMES += ["Hyresgästföreningen", "Kungälvs kommun", "Lerums kommun", "Lerums kommun", "Zeta"]


@pytest.fixture
def organisations(db):
    Organisation.objects.bulk_create(
        Organisation(name=name, country="SE", sector="other") for name in NAMES
    )
    return list(Organisation.objects.order_by("name", "id").values_list("id", flat=True))


def _walk(size, queryset=None):
    queryset = queryset if queryset is not None else Organisation.objects.all()
    seen, pages, cursor = [], 0, None
    while True:
        page = keyset_page(queryset, order=("name", "id"), cursor=cursor, size=size)
        assert len(page.items) <= size
        seen += [item.pk for item in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("size", [1, 2, 3, 4, 10, 11, 12, 50])
def test_it_walks_every_row_exactly_once_in_order(organisations, size):
    seen, pages = _walk(size)

    assert seen == organisations
    assert pages == max(1, -(-len(NAMES) // size))


def test_it_gives_no_next_cursor_on_a_full_last_page(organisations):
    page = keyset_page(
        Organisation.objects.all(), order=("name", "id"), cursor=None, size=len(NAMES)
    )

    assert page.next_cursor is None
    assert len(page.items) == len(NAMES)


def test_it_pages_an_empty_table(db):
    page = keyset_page(Organisation.objects.all(), order=("name", "id"), cursor=None, size=5)

    assert (page.items, page.next_cursor) == ([], None)


def test_it_keeps_the_filters_of_the_queryset(organisations):
    queryset = Organisation.objects.filter(name__startswith="Biskops")

    seen, _pages = _walk(1, queryset)

    assert len(seen) == 3
    assert seen == sorted(seen)


def test_it_continues_after_the_cursor_row_even_if_it_was_deleted(organisations):
    first = keyset_page(Organisation.objects.all(), order=("name", "id"), cursor=None, size=3)
    Organisation.objects.filter(pk=first.items[-1].pk).delete()

    second = keyset_page(
        Organisation.objects.all(), order=("name", "id"), cursor=first.next_cursor, size=3
    )

    assert [o.pk for o in second.items] == organisations[3:6]


def _raw_cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        "",
        "=",
        _raw_cursor("not json"),
        _raw_cursor('{"name": "x"}'),
        _raw_cursor('["only one value"]'),
        _raw_cursor('["a", "b", "c"]'),
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
        # The right shape, but values the database cannot compare with.
        _raw_cursor('["Biskopsgården", "not a number"]'),
        _raw_cursor("[null, null]"),
        _raw_cursor('["Biskopsgården", {"id": 1}]'),
    ],
)
def test_it_starts_at_the_top_for_a_garbage_cursor(organisations, cursor):
    page = keyset_page(Organisation.objects.all(), order=("name", "id"), cursor=cursor, size=4)

    assert [o.pk for o in page.items] == organisations[:4]
    assert page.next_cursor is not None


def test_it_round_trips_cursor_values():
    assert decode(encode(["Göteborgs Stad", 42]), 2) == ["Göteborgs Stad", 42]
    assert decode(encode(["x", 1]), 3) is None


def test_it_shows_the_first_directory_page_for_a_garbage_cursor(organisations):
    client = Client()

    top = client.get("/organisations/")
    garbage = client.get("/organisations/", {"after": _raw_cursor('["x", "not a number"]')})

    assert top.status_code == garbage.status_code == 200
    assert [o.pk for o in garbage.context["page"].items] == organisations
