# SPDX-License-Identifier: AGPL-3.0-or-later
"""Choosing the form: a Norwegian coordinator planning a test of concepts with
social entrepreneurs (seed 003), in English on a desktop, and a Swedish
coordinator working on safety with the police and the housing company (seed 001),
in Swedish on a phone: no civil-society party, so the question about its own
resources is left unanswered, and the housing company is central to the place,
yet EST comes first and BID says why it ranked below."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


def answer(page: Page, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()


def test_a_coordinator_is_advised_in_english_on_a_desktop(live_server, page, check):
    page.goto("/partnerships/advisor/")
    expect(page.get_by_text("not legal advice").first).to_be_visible()
    check(page, "advisor")

    page.locator("#advisor button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Which sectors are at the table?")
    check(page, "advisor-errors")

    answer(page, "Country", "Norway")
    answer(page, "Which sectors are at the table?", "Municipality")
    answer(page, "Which sectors are at the table?", "Social enterprise")
    answer(page, "What is the purpose?", "Social inclusion")
    answer(page, "Where?", "The whole municipality")
    answer(page, "Horizon", "Fixed-term project")
    answer(page, "Does the public side want to buy a defined service?", "No")
    answer(page, "Does the civil-society party bring its own resources and share the goal?", "No")
    answer(page, "Is it a time-limited test of concepts?", "Yes")
    answer(page, "Are property owners central to the place?", "No")
    answer(page, "Is the police involved?", "No")
    page.locator("#advisor button[type=submit]").click()

    advice = page.locator("#advice")
    first = advice.locator("ol > li").first
    expect(first.get_by_role("heading", level=3)).to_have_text(
        "Pilot agreement with an explicit path to procurement"
    )
    expect(first).to_contain_text("decision date")
    expect(first).to_contain_text("Bærum")
    expect(advice).to_contain_text("innovation partnership")
    expect(
        advice.get_by_role("link", name=re.compile("Veier til samarbeid")).first
    ).to_have_attribute("href", re.compile(r"^https://www\.regjeringen\.no/"))
    expect(advice.locator("ol")).not_to_contain_text("IOP – idea-driven public partnership")
    expect(advice).to_contain_text("IOP is a Swedish form")
    # Norwegian advice cites Norwegian sources only, and says where it has none.
    expect(advice.locator("[hreflang=sv], cite[lang=sv]")).to_have_count(0)
    expect(advice.locator("[hreflang=da], cite[lang=da]")).to_have_count(0)
    expect(advice).to_contain_text("No source for Norway yet")
    check(page, "advisor-advice")


def test_a_coordinator_is_advised_in_swedish_on_a_phone(live_server, new_context, check):
    page = new_context(locale="sv-SE", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/partnerships/advisor/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    check(page, "phone-advisor-sv")

    answer(page, "Land", "Sverige")
    for sector in ("police", "public_housing", "municipality"):
        page.locator(f"input[name=sectors][value={sector}]").check()
    answer(page, "Vad är syftet?", "Trygghet")
    answer(page, "Var?", "En plats: ett bostadsområde eller en stadsdel")
    answer(page, "Tidshorisont", "Långsiktigt eller tills vidare")
    answer(page, "Vill den offentliga parten köpa en definierad tjänst?", "Nej")
    own_resources = page.get_by_role("group", name="Bidrar den idéburna parten")
    expect(own_resources).to_have_accessible_description(re.compile("Bara när en idéburen part"))
    answer(page, "Är det en tidsbegränsad test av koncept?", "Nej")
    answer(page, "Är fastighetsägarna centrala för platsen?", "Ja")
    answer(page, "Är polisen med?", "Ja")
    page.locator("#advisor button[type=submit]").click()

    first = page.locator("#advice ol > li").first
    expect(first.get_by_role("heading", level=3)).to_have_text(
        "EST – effektiv samordning för trygghet"
    )
    expect(first).to_contain_text("lägesbild")
    expect(first).to_contain_text("inte juridiskt bindande")
    expect(page.locator("#advice")).to_contain_text("Inte frågat, eftersom ingen idéburen part")
    second = page.locator("#advice ol > li").nth(1)
    expect(second.get_by_role("heading", level=3)).to_have_text("BID / fastighetsägarförening")
    why = second.get_by_role("heading", level=4, name=re.compile("rankas under EST"))
    expect(why).to_be_visible()
    expect(second).to_contain_text("EST är modellen för att samverka med polisen")
    check(page, "phone-advisor-sv-advice")
