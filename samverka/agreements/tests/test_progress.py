# SPDX-License-Identifier: AGPL-3.0-or-later
"""How far each version got, said the same way in the versions list and on the
version's documents; the contributions table and the payment sentence of a PDF."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from samverka.agreements import documents, services
from samverka.agreements.models import AgreementVersion, RenderedDocument
from samverka.agreements.tests.conftest import (
    approve,
    complete,
    complete_changes,
    current,
    fresh,
    join,
    other_organisation,
    save,
)

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


def versions_page(client, agreement) -> str:
    html = client.get(reverse("agreements:versions", args=[agreement.pk])).content.decode()
    return re.sub(r"\s+", " ", html)


def change_activities(agreement, by) -> None:
    sections = {**current(agreement).content["sections"], "activities": "Läxhjälp på tisdagar."}
    save(agreement, by, sections=sections)


def two_more_partners(partnership) -> list[tuple]:
    extra = []
    for name, sector, email in [
        ("Polisen Storgöteborg", "police", "p@polis.example"),
        ("Arvsfonden", "foundation", "f@arv.example"),
    ]:
        organisation, admin = other_organisation(name, sector, email)
        join(partnership, organisation, admin)
        extra.append((organisation, admin))
    return extra


@pytest.fixture
def four_parties(cast, partnership, iop):
    """Göteborgs Stad, Røde Kors Esbjerg and two more partners: an agreement in
    review, approved by two of its four parties."""
    extra = two_more_partners(partnership)
    agreement = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language="en"
    )
    complete(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    approve(agreement, cast.municipality, cast.coordinator)
    approve(agreement, cast.ngo, cast.other_member)
    return fresh(agreement), extra


def test_the_versions_list_says_how_far_each_version_got(client, cast, four_parties):
    agreement, extra = four_parties
    reviewed = agreement.version
    client.force_login(cast.coordinator)
    assert "approved by 2 of 4 parties" in versions_page(client, agreement)

    # A change after two approvals replaces the version; the new one goes round.
    change_activities(agreement, cast.coordinator)
    agreement = fresh(agreement)
    page = versions_page(client, agreement)
    assert f"approved by 2 of 4 parties, then replaced by version {reviewed + 1}" in page
    assert ">approved<" not in page  # no longer the bare tag that said too much
    for organisation, by in [(cast.municipality, cast.coordinator), (cast.ngo, cast.other_member)]:
        approve(agreement, organisation, by)
    for organisation, admin in extra:
        approve(agreement, organisation, admin)
    page = versions_page(client, fresh(agreement))
    assert "approved by all parties" in page
    assert f"approved by 2 of 4 parties, then replaced by version {reviewed + 1}" in page


def test_drafts_and_versions_sent_for_review_say_so(client, cast, agreement):
    client.force_login(cast.coordinator)
    assert "draft" in versions_page(client, agreement)
    assert "sent for review" not in versions_page(client, agreement)
    complete(agreement, cast.coordinator)  # without the hash: a new version, as before
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    page = versions_page(client, fresh(agreement))
    assert "draft, then replaced by version 2" in page
    assert re.search(r">\s*sent for review\s*<", page)


def test_an_old_version_prints_its_own_status_not_the_agreements(cast, four_parties):
    """Version n was approved by two parties and then replaced; the agreement was
    later approved by all in version n+1. Version n's PDF and Word file must not
    say "approved by all"."""
    agreement, extra = four_parties
    old = current(agreement)
    change_activities(agreement, cast.coordinator)
    agreement = fresh(agreement)
    for organisation, by in [
        (cast.municipality, cast.coordinator),
        (cast.ngo, cast.other_member),
        *extra,
    ]:
        approve(agreement, organisation, by)
    old = AgreementVersion.objects.get(pk=old.pk)
    pdf = pdf_text(documents.rendered(old, "pdf"))
    expected = f"Approved by 2 of 4 parties, then replaced by version {old.number + 1}"
    assert expected in pdf
    assert "Approved by all" not in pdf
    docx_text = documents.rendered(old, "docx")
    assert expected.encode() in _docx_xml(docx_text)
    newest = current(agreement)
    assert "Approved by all parties" in pdf_text(documents.rendered(newest, "pdf"))


def _docx_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def test_a_kept_document_follows_its_versions_status(cast, in_review):
    """Rendered while in review and kept; once every party approved that same
    version, the document says so (the kept one is not served)."""
    version = current(in_review)  # in Swedish
    assert "Skickad för granskning" in pdf_text(documents.rendered(version, "pdf"))
    approve(in_review, cast.municipality, cast.coordinator)
    assert "Godkänd av 1 av 2 parter" in pdf_text(documents.rendered(version, "pdf"))
    approve(in_review, cast.ngo, cast.other_member)
    assert "Godkänd av alla parter" in pdf_text(documents.rendered(version, "pdf"))
    assert RenderedDocument.objects.filter(version=version, kind="pdf").count() == 1


def test_the_contributions_table_keeps_long_words_whole(cast, partnership, iop):
    """Swedish kind names such as "Volontärtimmar" were split in two in the
    contributions table ("Volontärtimm" / "ar")."""
    agreement = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language="sv"
    )
    parties = [party["organisation"] for party in current(agreement).content["parties"]]
    rows = [
        {
            "party": party,
            "year": 2026,
            "kind": kind,
            "amount": "1250000",
            "currency": "SEK" if kind != "volunteers" else "",
            "description": "Fritidsledare och nattvandrare i Hammarkullen",
        }
        for party in parties
        for kind in ("volunteers", "staff_hours", "premises")
    ]
    save(agreement, cast.coordinator, **complete_changes(agreement, contributions=rows))
    text = pdf_text(documents.render_pdf(current(agreement)))
    assert "Volontärtimmar" in text
    assert "Personaltimmar" in text
    assert not re.search(r"Volontärtimm\s*\n", text)


@pytest.mark.parametrize(
    ("language", "both", "all_four"),
    [
        ("en", "Both parties co-finance", "All 4 parties co-finance"),
        ("sv", "Båda parter medfinansierar", "Alla 4 parter medfinansierar"),
    ],
)
def test_the_payment_sentence_fits_the_number_of_parties(
    cast, partnership, iop, language, both, all_four
):
    two = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language=language
    )
    save(two, cast.coordinator, public_payment="co_financing")
    assert both in pdf_text(documents.render_pdf(current(two)))
    two_more_partners(partnership)
    four = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language=language
    )
    save(four, cast.coordinator, public_payment="co_financing")
    text = pdf_text(documents.render_pdf(current(four)))
    assert all_four in text
    assert both not in text


def test_the_migration_marks_what_was_sent_and_rewords_both_parties(cast, in_review, iop):
    """Existing agreements: the versions from the one first sent for review on are
    marked (the drafts before are not), and stored templates lose "both parties"."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("samverka.agreements.migrations.0004_version_sent_for_review")
    change_activities(in_review, cast.coordinator)  # version 3, saved in review
    AgreementVersion.objects.update(sent_for_review=False)
    iop.sections = [
        {**section, "guidance": {"en": "Both parties must co-finance, in money."}}
        for section in iop.sections
    ]
    iop.save(update_fields=["sections"])
    migration.forward(apps, None)
    sent = dict(in_review.versions.values_list("number", "sent_for_review"))
    assert sent == {1: False, 2: True, 3: True}
    iop.refresh_from_db()
    assert iop.sections[0]["guidance"]["en"] == "The parties must co-finance, in money."
