# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anna, coordinator at Göteborgs Stad, works from a small phone (360 px wide):
no page of her journeys may scroll sideways. A page that does fails with the
widest element named, so the CSS or template to fix is easy to find."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.steps import log_in
from samverka.agreements.catalogue import load_templates
from samverka.agreements.models import AgreementTemplate
from samverka.agreements.services import create_agreement
from samverka.directory.services import add_entry_door
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist

pytestmark = pytest.mark.e2e

SMALL_PHONE = {"width": 360, "height": 740}

# Which element sticks out furthest to the right (its own right edge, so the
# innermost culprit rather than its parents is named).
WIDEST = """width => {
    let worst = null, right = width;
    for (const element of document.querySelectorAll('body *')) {
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 0.5 && box.right >= right) {
            worst = element; right = box.right;
        }
    }
    if (!worst) return null;
    const name = worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '')
        + (worst.className && typeof worst.className === 'string'
           ? '.' + worst.className.trim().split(/\\s+/).join('.') : '');
    return `${name} reaches ${Math.round(right)} px: "${(worst.textContent || '')
        .trim().slice(0, 60)}"`;
}"""


def fits(page: Page, name: str) -> str | None:
    """None when the page fits the viewport, else what sticks out."""
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    # A mobile browser widens innerWidth (zooms out) to fit a too-wide page, so
    # the screen's own width is the measure too.
    width = min(inner_width, page.viewport_size["width"])
    if scroll_width <= width:
        return None
    return f"{name} ({page.url}) is {scroll_width} px wide: {page.evaluate(WIDEST, width)}"


def a_partnership_with_everything(cast):
    """Göteborgs Stad leads; Røde Kors Esbjerg joined late, after step 1; an
    IOP agreement is drafted; Røde Kors lists an entry door."""
    load_checklist()
    load_templates()  # browser tests run in flushed databases
    partnership = partnership_services.create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement="Young people have nowhere safe to be in the evenings.",
        goal="More young people have a safe place to be at weekends.",
    )
    partnership_services.complete_step(
        partnership=partnership, number=1, by=cast.org_admin, note="Done."
    )
    member = partnership_services.invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="partner", by=cast.org_admin
    )
    partnership_services.respond(member=member, accept=True, by=cast.other_member)
    agreement = create_agreement(
        partnership=partnership,
        template=AgreementTemplate.objects.get(code="iop"),
        by=cast.coordinator,
        language="en",
    )
    add_entry_door(
        organisation=cast.ngo,
        data={
            "topic": "Samarbejde om udsatte boligområder og frivillige aktiviteter",
            "who": "De regionale Røde Kors-konsulenter i Syd- og Sønderjylland",
            "email": "samarbejde-om-udsatte-boligomraader@rodekors.example",
        },
        by=cast.other_member,
    )
    return partnership, agreement


def test_no_page_scrolls_sideways_on_a_small_phone(live_server, cast, new_context, check):
    partnership, agreement = a_partnership_with_everything(cast)
    page = new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(page, cast.coordinator.email)
    p, a, ngo = partnership.pk, agreement.pk, cast.ngo.pk
    pages = {
        "front page": "/",
        "directory search": "/organisations/search/?q=Kors",
        "organisation with entry doors": f"/organisations/{ngo}/",
        "find partners": "/organisations/find-partners/",
        "partnership overview": f"/partnerships/{p}/",
        "partnership members": f"/partnerships/{p}/members/",
        "checklist": f"/partnerships/{p}/checklist/",
        "timeline": f"/partnerships/{p}/timeline/",
        "agreement edit": f"/agreements/{a}/edit/",
        "contributions editor": f"/agreements/{a}/contributions/",
        "versions": f"/agreements/{a}/versions/",
        "advisor": "/partnerships/advisor/",
        "profile": "/accounts/profile/",
    }
    too_wide = []
    for name, url in pages.items():
        response = page.goto(url)
        assert response is not None, url
        problem = fits(page, name) if response.ok else f"{name}: {url} answered {response.status}"
        if problem:
            too_wide.append(problem)
    # The entry-door page of its own administrator, with its edit and delete buttons.
    admin = new_context(viewport=SMALL_PHONE, is_mobile=True, has_touch=True).new_page()
    log_in(admin, cast.other_member.email)
    admin.goto(f"/organisations/{ngo}/entry-doors/")
    expect(admin.get_by_role("link", name="Edit “Samarbejde om")).to_be_visible()
    problem = fits(admin, "entry doors")
    if problem:
        too_wide.append(problem)
    assert not too_wide, "Scrolls sideways at 360 px:\n" + "\n".join(too_wide)

    # Status buttons sit in a row, not as bullet points.
    page.goto(f"/partnerships/{p}/")
    moves = page.locator("ul.moves")
    expect(moves.get_by_role("button").first).to_be_visible()
    assert moves.evaluate("list => getComputedStyle(list).listStyleType") == "none"
    # The long checklist starts with a summary and a link to each step.
    page.goto(f"/partnerships/{p}/checklist/")
    summary = page.get_by_role("navigation", name="On this page")
    expect(summary).to_contain_text("1 of ")
    expect(summary).to_contain_text("mandatory steps left")
    summary.get_by_role("link").nth(2).click()
    expect(page).to_have_url(re.compile(r"#step-3$"))
    # The contributions editor: one empty row, its fields stacked on the phone.
    page.goto(f"/agreements/{a}/contributions/")
    expect(page.get_by_role("group", name=re.compile("contribution", re.IGNORECASE))).to_have_count(
        1
    )
    row = page.get_by_role("group", name="New contribution 1")
    party, year = row.get_by_label("Party"), row.get_by_label("Year")
    assert year.bounding_box()["y"] > party.bounding_box()["y"], "fields side by side"
    assert party.bounding_box()["width"] > 250, "the party's name is cut off"

    # The pages made to fit are still accessible.
    check(admin, "phone-360-entry-doors")
    page.goto(f"/agreements/{a}/contributions/")
    check(page, "phone-360-contributions")
    page.goto(f"/partnerships/{p}/")
    check(page, "phone-360-partnership")
