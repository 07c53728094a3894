# SPDX-License-Identifier: AGPL-3.0-or-later
"""Anna, coordinator at Göteborgs Stad, drafts an IOP agreement with Røde Kors
Esbjerg: the live check warns her off procurement, Mette saves the same section
while Anna edits it, each party adds money in its own currency, both approve the
version by its hash, and the PDF carries that hash. Also: the agreement on a
phone, and the edit form without JavaScript."""

import datetime
import io
import re

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from e2e.steps import log_in
from samverka.agreements.catalogue import load_templates
from samverka.agreements.models import Agreement, AgreementStatus
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist

pytestmark = pytest.mark.e2e

MANDATORY = {
    "Roles, organisation and decision-making": "A steering group with one person from each "
    "party decides together; a working group meets every week.",
    "Activities and commitments": "Open evenings at the youth centre on Fridays and Saturdays.",
    "Follow-up and evaluation": "The steering group follows attendance and safety every "
    "quarter and adjusts the activities.",
    "Personal data and confidentiality": "Each party is controller of its own registers; "
    "no lists of participants are shared.",
    "Changes and additions": "Changes are made in writing and approved by every party.",
    "Conflict resolution": "Disagreements go to the steering group, then to the heads of "
    "the two organisations.",
}
ACTIVITIES = "Activities and commitments"
METTES = "Homework help on Tuesdays, run by Red Cross volunteers."
ANNAS = "Open evenings on Fridays and Saturdays, and homework help on Tuesdays."
PROCUREMENT = "This looks like procurement"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def a_partnership(cast):
    """Göteborgs Stad leads; Røde Kors Esbjerg has accepted its invitation."""
    load_checklist()
    # Browser tests run in flushed databases: the data migration's templates are gone.
    load_templates()
    partnership = partnership_services.create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement="Young people have nowhere safe to be in the evenings.",
        goal="More young people have a safe place to be at weekends.",
        starts_on=days(10),
        ends_on=days(730),
        review_on=days(180),
    )
    member = partnership_services.invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="partner", by=cast.org_admin
    )
    partnership_services.respond(member=member, accept=True, by=cast.other_member)
    return partnership


def contribution(page: Page, number: int) -> Locator:
    return page.get_by_role("group", name=f"New contribution {number}")


def test_two_parties_draft_and_approve_an_iop_agreement(
    live_server, cast, new_context, page, phone_page, no_js_page, check
):
    partnership = a_partnership(cast)

    # Anna drafts an IOP agreement in English from the partnership's Agreements tab.
    log_in(page, cast.coordinator.email)
    page.goto(f"/partnerships/{partnership.pk}/")
    page.get_by_role("navigation", name="Partnership").get_by_role(
        "link", name="Agreements"
    ).click()
    expect(page.get_by_text("No agreement yet.")).to_be_visible()
    check(page, "agreement-list")
    page.get_by_label("Template").select_option(label="IOP – idea-driven public partnership")
    page.get_by_label("Language of the agreement").select_option(label="English")
    page.get_by_role("button", name="Draft the agreement").click()
    expect(page.get_by_role("status")).to_contain_text("The agreement was drafted")
    agreement = Agreement.objects.get(partnership=partnership)
    edit_url = f"/agreements/{agreement.pk}/edit/"
    expect(page).to_have_url(re.compile(re.escape(edit_url) + "$"))
    assert agreement.language == "en"
    findings = page.locator("#findings")
    expect(findings.locator("[data-finding=mandatory_section_empty]")).to_have_count(len(MANDATORY))

    # She writes the mandatory sections.
    for label, text in MANDATORY.items():
        page.get_by_label(label).fill(text)
    page.get_by_label("Notice period in months").fill("6")

    # Saying the municipality pays a price brings the procurement warning, live.
    page.evaluate("window.samverkaSamePage = true")
    payment = page.get_by_label("How does the public party pay?")
    with page.expect_response(lambda r: r.url.endswith(f"/agreements/{agreement.pk}/check/")):
        payment.select_option(label="The public party pays a price for a defined service")
    expect(findings.locator("[data-finding=looks_like_procurement]")).to_contain_text(PROCUREMENT)
    expect(findings).to_contain_text("Checks of the text as you edit it")
    expect(findings.locator("[data-finding=mandatory_section_empty]")).to_have_count(0)
    assert page.evaluate("window.samverkaSamePage") is True  # no page load
    check(page, "agreement-edit")
    payment.select_option(label="The parties co-finance a shared effort")
    expect(findings.locator("[data-finding=looks_like_procurement]")).to_have_count(0)
    assert page.evaluate("window.samverkaSamePage") is True
    page.get_by_label("What did you change? (optional)").fill("The mandatory sections")
    page.get_by_role("button", name="Save", exact=True).click()
    # Before anyone reviews it, saves update the working draft: still version 1.
    expect(page.get_by_role("status")).to_contain_text("The working draft was saved.")
    expect(page.locator("#findings")).not_to_contain_text("Must be fixed")

    # Anna and Mette edit the same section at once; Mette saves first.
    page.goto(edit_url)
    mette = new_context().new_page()
    log_in(mette, cast.other_member.email)
    mette.goto(edit_url)
    mette.get_by_role("textbox", name=ACTIVITIES).fill(METTES)
    mette.get_by_role("button", name="Save", exact=True).click()
    expect(mette.get_by_role("status")).to_contain_text("The working draft was saved.")

    page.get_by_role("textbox", name=ACTIVITIES).fill(ANNAS)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_role(
            "heading", name="Someone else saved this agreement while you were editing it"
        )
    ).to_be_visible()
    block = page.locator(".conflict-block").filter(has_text=ACTIVITIES)
    expect(block).to_contain_text(METTES)
    expect(block).to_contain_text(ANNAS)
    expect(page.get_by_role("textbox", name=ACTIVITIES)).to_have_value(ANNAS)
    check(page, "agreement-conflict")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The working draft was saved.")
    expect(page.locator("#section-activities")).to_contain_text(ANNAS)
    agreement.refresh_from_db()
    assert agreement.version == 1

    # Each party puts in money in its own currency, one row at a time: the
    # editor offers one empty row, and a new one after each save.
    for number, party, amount, currency, what in (
        (1, "Göteborgs Stad", "150000", "SEK", "Staff at the youth centre"),
        (2, "Røde Kors Esbjerg", "40000", "DKK", "Training of volunteers"),
    ):
        page.get_by_role("link", name="Contributions").click()
        expect(contribution(page, number + 1)).to_have_count(0)
        row = contribution(page, number)
        row.get_by_label("Party").select_option(label=party)
        row.get_by_label("Year").fill("2026")
        row.get_by_label("Kind").select_option(label="Money")
        row.get_by_label("Amount").fill(amount)
        row.get_by_label("Currency").select_option(currency)
        row.get_by_label("Description").fill(what)
        if number == 2:
            expect(page.get_by_role("group", name="Contribution 1", exact=True)).to_contain_text(
                "Delete this row"
            )
            check(page, "agreement-contributions")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status")).to_contain_text("The working draft was saved.")
    totals = page.locator("#section-contributions")
    expect(totals).to_contain_text("150\u00a0000\u00a0SEK")
    expect(totals).to_contain_text("40\u00a0000\u00a0DKK")
    expect(totals).to_contain_text("never added together")
    expect(totals).not_to_contain_text("190\u00a0000")
    expect(page.locator("[data-finding=party_without_contribution]")).to_have_count(0)
    saved = agreement.versions.order_by("-number").first().content["contributions"]
    assert [(row["amount"], row["currency"]) for row in saved] == [
        ("150000", "SEK"),
        ("40000", "DKK"),
    ]

    # The six principles are there; Anna adds one of their own.
    page.get_by_role("navigation", name="Agreement").get_by_role("link", name="Principles").click()
    expect(page.locator("fieldset legend")).to_contain_text(["Dialogue"])
    page.get_by_label("Principle").nth(6).fill("Children's voices")
    page.get_by_label("What it means in this agreement").nth(6).fill(
        "Children are asked before every decision that concerns them."
    )
    check(page, "agreement-principles")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The working draft was saved.")
    expect(page.locator("#section-principles")).to_contain_text("Children's voices")

    # Without JavaScript, the edit form saves by itself.
    log_in(no_js_page, cast.coordinator.email)
    no_js_page.goto(edit_url)
    no_js_page.get_by_label("Communication").fill(
        "Each party tells its own members; joint news is agreed in the working group."
    )
    check(no_js_page, "agreement-edit-no-js")
    no_js_page.get_by_role("button", name="Save", exact=True).click()
    expect(no_js_page.get_by_role("status")).to_contain_text("The working draft was saved.")
    expect(no_js_page.locator("#section-communication")).to_contain_text("joint news")

    # Anna sends it for review and approves for Göteborgs Stad.
    page.reload()
    page.get_by_role("button", name="Send for review and approval").click()
    expect(page.get_by_role("status")).to_contain_text("In review")
    version = agreement.versions.get(number=Agreement.objects.get(pk=agreement.pk).version)
    expect(page.locator("[data-hash]")).to_have_text(version.content_hash)
    approve = page.get_by_role("form", name=f"Approve version {version.number}")
    expect(approve.get_by_label("Approve for")).to_have_value(str(cast.municipality.pk))
    check(page, "agreement-review")
    approve.get_by_label("Name and title of the signatory").fill("Anna Testsson, head of unit")
    approve.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Göteborgs Stad approved version {version.number}."
    )
    assert version.number == 1  # the first version the parties see is version 1

    # Mette changes a sentence in review: a new version, and Anna approves it again.
    mette.goto(edit_url)
    mette.get_by_role("textbox", name=ACTIVITIES).fill(ANNAS + " " + METTES)
    mette.get_by_role("button", name="Save", exact=True).click()
    expect(mette.get_by_role("status")).to_contain_text("saved as a new version")
    version = agreement.versions.get(number=Agreement.objects.get(pk=agreement.pk).version)
    assert version.number == 2
    page.reload()
    page.get_by_label("Name and title of the signatory").fill("Anna Testsson, head of unit")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Göteborgs Stad approved version 2.")

    # Mette approves for Røde Kors Esbjerg: approved by all.
    mette.goto(f"/agreements/{agreement.pk}/")
    mette.get_by_label("Name and title of the signatory").fill("Mette Testsson, chair")
    mette.get_by_role("button", name="Approve").click()
    expect(mette.get_by_role("status")).to_contain_text("Røde Kors Esbjerg approved version")
    expect(mette.locator(".lead .ds-tag")).to_have_text("Approved by all")
    page.reload()
    expect(page.locator(".lead .ds-tag")).to_have_text("Approved by all")
    expect(page.locator("#approval-heading + dl + .org-list")).to_contain_text(
        "approved by Mette Testsson, chair"
    )
    check(page, "agreement-approved")
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.APPROVED

    # The PDF carries the hash the parties approved; the Word file downloads too.
    shown = page.locator("[data-hash]").inner_text().strip()
    assert shown == version.content_hash
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF").click()
    pdf = PdfReader(info.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert shown in text
    assert "Røde Kors Esbjerg" in text
    assert "Approved by all parties" in text  # this version's own status
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (DOCX)").click()
    assert info.value.suggested_filename.endswith(".docx")
    word = docx.Document(io.BytesIO(info.value.path().read_bytes()))
    assert shown in "\n".join(paragraph.text for paragraph in word.paragraphs)

    # The versions say how far each got, and what changed from the one sent for review.
    page.get_by_role("navigation", name="Agreement").get_by_role("link", name="Versions").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody tr").nth(0)).to_contain_text("approved by all parties")
    expect(page.locator("tbody tr").nth(1)).to_contain_text(
        "approved by 1 of 2 parties, then replaced by version 2"
    )
    page.get_by_label("Compare version").select_option("1")
    page.get_by_label("with version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(
        page.get_by_role("heading", name="What changed from version 1 to version 2")
    ).to_be_visible()
    changed = page.locator(".diff-block").filter(has_text=ACTIVITIES)
    expect(changed.locator("ins")).not_to_have_count(0)
    check(page, "agreement-versions")
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_text("You are reading version 1.")).to_be_visible()
    check(page, "agreement-version")

    # On a phone, the approved agreement reads top to bottom.
    log_in(phone_page, cast.other_member.email)
    phone_page.goto(f"/agreements/{agreement.pk}/")
    expect(phone_page.locator(".lead .ds-tag")).to_have_text("Approved by all")
    scroll_width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= 390, "scrolls sideways"
    check(phone_page, "agreement-phone")
