# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anna, coordinator at Göteborgs Stad, starts a partnership in English, invites
two organisations while the problem is still being defined, both confirm the
problem statement (one of them in Danish, on a phone), and she chooses the form
with the advisor."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE
from e2e.steps import PASSWORD, log_in
from samverka.accounts.models import Membership
from samverka.directory.services import add_entry_door, create_organisation
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import Partnership

pytestmark = pytest.mark.e2e


def answer_for(page: Page, organisation: str) -> None:
    form = (
        page.locator("form", has=page.locator("input[name=organisation]"))
        .filter(has_text=organisation)
        .first
    )
    form.locator("input[name=agrees][value=yes]").check()
    form.locator("button[type=submit]").click()


def test_a_coordinator_starts_a_partnership_with_two_partners(
    live_server, cast, new_context, page, check
):
    load_checklist()
    tenants = create_organisation(
        by=None,
        name="Hyresgästföreningen Hammarkullen",
        country="SE",
        sector="residents_association",
    )
    Membership.objects.create(user=cast.member, organisation=tenants, role="admin")
    add_entry_door(
        organisation=cast.ngo,
        data={"topic": "Samarbejde", "who": "Konsulenterne", "email": "a@rodekors.example"},
        by=None,
    )
    cast.other_member.language = "da"
    cast.other_member.save(update_fields=["language"])

    # Anna starts the partnership with the problem (step 1).
    log_in(page, cast.coordinator.email)
    page.get_by_role("link", name="Partnerships").first.click()
    page.get_by_role("link", name="Start a partnership").click()
    check(page, "partnership-start")
    page.get_by_label("Name").fill("Fritid i Hammarkullen")
    page.get_by_label(re.compile("^Which problem")).fill("Unga saknar fritid på helgerna.")
    page.get_by_role("group", name="Themes").get_by_label("Children and youth").check()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("status")).to_contain_text("The partnership was started.")
    partnership = Partnership.objects.get()
    check(page, "partnership-overview")

    # She invites the two others before any step is done: nobody joins late.
    page.get_by_role("link", name="Members").click()
    for name, prefix in (
        ("Røde Kors Esbjerg", "Røde"),
        ("Hyresgästföreningen Hammarkullen", "Hyres"),
    ):
        page.get_by_label("Find an organisation").fill(prefix)
        page.get_by_role("button", name="Search").click()
        page.get_by_role("button", name=f"Invite {name}").click()
        expect(page.get_by_role("status")).to_contain_text(f"{name} was invited.")
    check(page, "partnership-members")

    # The Red Cross answers in Danish, on a phone.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    log_in_any_language(phone, cast.other_member.email)
    phone.goto(f"/partnerships/{partnership.pk}/")
    expect(phone.locator("html")).to_have_attribute("lang", "da")
    phone.locator("button[name=answer][value=accept]").click()
    phone.goto(f"/partnerships/{partnership.pk}/consensus/")
    answer_for(phone, "Røde Kors Esbjerg")
    with translation.override("da"):
        recorded = gettext("Your organisation's answer was recorded.")
    assert recorded != "Your organisation's answer was recorded."  # really in Danish
    expect(phone.get_by_role("status")).to_contain_text(recorded)
    check(phone, "partnership-consensus-phone-da")

    # The tenants' association answers in English.
    tenant = new_context().new_page()
    log_in(tenant, cast.member.email)
    tenant.goto(f"/partnerships/{partnership.pk}/")
    tenant.get_by_role("button", name="Join for Hyresgästföreningen Hammarkullen").click()
    tenant.goto(f"/partnerships/{partnership.pk}/consensus/")
    answer_for(tenant, "Hyresgästföreningen Hammarkullen")

    # Anna confirms for the municipality; everyone has now agreed.
    page.get_by_role("link", name="Problem and goal").click()
    answer_for(page, "Göteborgs Stad")
    expect(page.get_by_role("status")).to_contain_text("answer was recorded")
    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_text("Every member has confirmed it.")).to_be_visible()
    expect(page.get_by_text("after the problem was formulated")).to_have_count(0)

    # She compares the forms with the advisor and chooses one.
    page.get_by_role("link", name="Compare the forms with the advisor").click()
    group = page.get_by_role("group", name="Which sectors are at the table?")
    expect(group.get_by_label("Municipality", exact=True)).to_be_checked()
    page.get_by_role("group", name="What is the purpose?").get_by_label("Social inclusion").check()
    for question, option in (
        ("Does the public side want to buy a defined service?", "No"),
        ("Does the civil-society party bring its own resources and share the goal?", "Yes"),
        ("Is it a time-limited test of concepts?", "No"),
        ("Are property owners central to the place?", "No"),
    ):
        page.get_by_role("group", name=question).get_by_label(option, exact=True).check()
    page.locator("#advisor button[type=submit]").click()
    check(page, "partnership-advisor")
    page.get_by_role(
        "button", name=re.compile(r"^Choose .* for Fritid i Hammarkullen")
    ).first.click()
    expect(page.get_by_role("status")).to_contain_text("was chosen as the form of collaboration")
    partnership.refresh_from_db()
    assert partnership.form
    assert partnership.completions.filter(number=7).exists()
    assert partnership.members.filter(status="active").count() == 3


def log_in_any_language(page: Page, email: str) -> None:
    """Logs in on the English login page; afterwards the site speaks the user's
    language, so this waits for the log-out button by its form, not its text."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()
