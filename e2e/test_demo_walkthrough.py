# SPDX-License-Identifier: AGPL-3.0-or-later
"""The closing walk-through of issue 20: a new user loads the demo and walks
through the directory, search, find partners, a partnership and an agreement,
in Swedish and in Danish, on a desktop and on a phone. Every page is in the
person's language, passes axe, fits the phone, and the demo's places agree with
geography. The screenshots are the user guide's."""

from io import StringIO
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE
from e2e.test_phone_width import fits
from samverka.core.demo.actors import DEMO_PASSWORD
from samverka.directory.models import Organisation, Place, PlaceKind
from samverka.partnerships.models import Partnership

pytestmark = pytest.mark.e2e

# Per language: who walks, what they search for (a word the demo's texts do
# not use: its synonyms find the organisations), and their partnership.
WALKS = {
    "sv": {
        "email": "anna.lindqvist@goteborg.example",
        "search": "ungdom",
        "need": "Trygghet och fritid för unga på kvällar och helger",
        "place": ("SE", "Hammarkullen"),
        "partnership": "Trygghet och fritid i Hammarkullen",
        "organisation": "Göteborgs Stad",
    },
    "da": {
        "email": "mette.jensen@rodekors-esbjerg.example",
        "search": "idræt",
        "need": "Fritidsjob og praktikpladser til unge",
        "place": ("DK", "Østerbyen"),
        "partnership": "Østerbyen – stærkere sammen",
        "organisation": "Røde Kors Esbjerg",
    },
}
# English a Swedish or Danish page must not show (the leftovers).
ENGLISH = ("Select an option", "Search", "Partnerships", "an organisation")
DEVICES = {
    "desktop": {},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def demo(transactional_db):
    call_command("demo", generated=60, stdout=StringIO())


def _log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("form[action$='/accounts/logout/'] button")).to_be_attached()


def _looks_right(page: Page, language: str, device: str, name: str, check, english) -> None:
    check(page, f"walk-{language}-{device}-{name}")
    assert page.locator("html").get_attribute("lang") == language
    main = page.locator("main").inner_text()
    for phrase in english:
        assert phrase not in main, f"{name}: English “{phrase}” in the {language} page"
    if device == "phone":
        assert fits(page, name) is None, fits(page, name)


@pytest.mark.parametrize("language", ["sv", "da"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_new_user_walks_through_the_demo(new_context, check, demo, language, device):
    walk = WALKS[language]
    page = new_context(locale=language, **DEVICES[device]).new_page()
    _log_in(page, walk["email"])
    seen = lambda name: _looks_right(page, language, device, name, check, ENGLISH)  # noqa: E731

    page.goto("/")
    seen("home")

    page.goto("/organisations/")
    seen("organisations")

    # Search by a theme word the demo's descriptions do not use.
    page.goto(f"/organisations/search/?q={walk['search']}")
    expect(page.locator("main li.search-hit").first).to_be_visible()
    seen("search")

    # Find partners for the partnership's place: the result cards explain themselves.
    country, place_name = walk["place"]
    place = Place.objects.get(country=country, name=place_name)
    page.goto(
        "/organisations/find-partners/?"
        + urlencode({"text": walk["need"], "place": place_name, "place_id": place.pk})
    )
    expect(page.locator("main li.match").first).to_be_visible()
    seen("find-partners")

    # Every generated organisation's district lies in its own municipality, so
    # no card reads "Hammarkullen, Örebro".
    for organisation in Organisation.objects.prefetch_related("places"):
        places = list(organisation.places.all())
        towns = [p.path for p in places if p.kind == PlaceKind.MUNICIPALITY]
        for place in places:
            if place.kind in (PlaceKind.DISTRICT, PlaceKind.NEIGHBOURHOOD):
                assert any(place.path.startswith(town) for town in towns), (
                    organisation.name,
                    place.name,
                )

    partnership = Partnership.objects.get(name=walk["partnership"])
    page.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("heading", name=walk["partnership"])).to_be_visible()
    seen("partnership")

    page.goto(f"/partnerships/{partnership.pk}/timeline/")
    seen("timeline")

    agreement = partnership.agreements.get()
    page.goto(f"/agreements/{agreement.pk}/")
    seen("agreement")
    page.goto(f"/agreements/{agreement.pk}/versions/")
    seen("versions")

    organisation = Organisation.objects.get(name=walk["organisation"])
    page.goto(f"/organisations/{organisation.pk}/")
    expect(page.get_by_role("heading", name=walk["organisation"]).first).to_be_visible()
    seen("organisation")
