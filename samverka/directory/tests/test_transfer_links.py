# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import and export are reachable from the directory page for those who may use them."""

from django.test import Client
from django.urls import reverse


def _page(user=None) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("directory:organisations")).text


def test_a_platform_administrator_sees_import_and_export(cast):
    page = _page(cast.platform_admin)
    assert f'href="{reverse("directory:import")}"' in page
    assert f'href="{reverse("directory:export")}"' in page


def test_one_logged_in_sees_export_only(cast):
    page = _page(cast.member)
    assert f'href="{reverse("directory:export")}"' in page
    assert f'href="{reverse("directory:import")}"' not in page
    # The link leads to a page the person may use.
    client = Client()
    client.force_login(cast.member)
    assert client.get(reverse("directory:export")).status_code == 200


def test_a_visitor_sees_neither(db):
    page = _page()
    assert f'href="{reverse("directory:export")}"' not in page
    assert f'href="{reverse("directory:import")}"' not in page
