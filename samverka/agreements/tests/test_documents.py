# SPDX-License-Identifier: AGPL-3.0-or-later
import io
import re
from decimal import Decimal

import docx
import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverka.agreements import documents, services
from samverka.agreements.catalogue import in_language
from samverka.agreements.content import format_amount
from samverka.agreements.models import AgreementTemplate, AgreementVersion
from samverka.agreements.tests.conftest import approve, complete_changes, current, fresh, save
from samverka.directory.models import Organisation
from samverka.directory.orgnumbers import make_valid

CVR = make_valid("DK", "2531376")
SEK_ROW = {
    "year": 2026,
    "kind": "money",
    "amount": "150000",
    "currency": "SEK",
    "description": "Lokalhyra och material",
}
EUR_ROW = {
    "year": 2026,
    "kind": "money",
    "amount": "12500.50",
    "currency": "EUR",
    "description": "Frivilligsamordning",
}


def docx_lines(data: bytes) -> list[str]:
    """Every paragraph, every table row (cells joined) and the footers' text."""
    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in document.sections:
        lines += [paragraph.text for paragraph in section.footer.paragraphs]
    return [part.replace("\u00a0", " ") for line in lines for part in line.split("\n")]


def pdf_lines(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\u00a0", " ").splitlines()


def text_of(lines: list[str]) -> str:
    return "\n".join(lines)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture
def ngo_with_number(cast):
    Organisation.objects.filter(pk=cast.ngo.pk).update(organisation_number=CVR)
    cast.ngo.organisation_number = CVR
    return cast.ngo


def draft(cast, partnership, template, language: str, contributions=None, **overrides):
    """An agreement in `language` with every section written and contributions in SEK
    (Göteborgs Stad) and EUR (Røde Kors Esbjerg); version 2."""
    agreement = services.create_agreement(
        partnership=partnership, template=template, by=cast.org_admin, language=language
    )
    if contributions is None:
        contributions = [
            {**SEK_ROW, "party": cast.municipality.pk},
            {**SEK_ROW, "party": cast.municipality.pk, "year": 2027, "amount": "50000"},
            {**EUR_ROW, "party": cast.ngo.pk},
            {
                "party": cast.ngo.pk,
                "year": 2026,
                "kind": "volunteers",
                "amount": "400",
                "currency": "",
                "description": "Nattvandringar",
            },
        ]
    changes = complete_changes(agreement, contributions=contributions, **overrides)
    save(agreement, cast.coordinator, **changes)
    return fresh(agreement)


@pytest.fixture
def mixed(cast, partnership, iop, ngo_with_number):
    return draft(cast, partnership, iop, "en")


def expected_amounts() -> list[str]:
    return [
        plain(format_amount(Decimal(amount), unit))
        for amount, unit in [
            ("150000", "SEK"),
            ("50000", "SEK"),
            ("12500.50", "EUR"),
            ("400", "h"),
            # The totals: Göteborgs Stad's money, all SEK, all EUR.
            ("200000", "SEK"),
        ]
    ]


def assert_never_summed(lines: list[str]) -> None:
    for line in lines:
        assert not ("SEK" in line and "EUR" in line), line
    # 150 000 + 50 000 + 12 500.50, as a mixed total would show it.
    assert not any(re.search(r"212\s?500", line) for line in lines)


def test_it_renders_parties_amounts_and_hash_in_docx(cast, mixed):
    version = current(mixed)
    data = documents.render_docx(version)
    assert data[:2] == b"PK"
    text = text_of(docx_lines(data))
    for expected in [
        "Göteborgs Stad",
        "Røde Kors Esbjerg",
        "212000-1355",
        CVR,
        "Trygghet i Hammarkullen",
        version.content_hash,
        f"Version {version.number}",
        "Content hash (SHA-256)",
        "Both parties co-finance a shared effort",
        *expected_amounts(),
    ]:
        assert expected in text, expected
    assert "Lead" in text and "Partner" in text
    assert_never_summed(docx_lines(data))


def test_it_renders_parties_amounts_and_hash_in_pdf(cast, mixed):
    version = current(mixed)
    data = documents.render_pdf(version)
    assert data.startswith(b"%PDF")
    lines = pdf_lines(data)
    text = text_of(lines)
    for expected in [
        "Göteborgs Stad",
        "Røde Kors Esbjerg",
        "212000-1355",
        CVR,
        version.content_hash,
        f"Version {version.number}",
        *expected_amounts(),
    ]:
        assert expected in text, expected
    assert_never_summed(lines)
    # Every page's footer carries the version and the start of the hash.
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert version.content_hash[:12] in page.extract_text()


def test_it_totals_each_currency_separately(cast, mixed):
    """Two SEK rows of one party add up; the EUR row of the other stays its own."""
    for render, lines_of in [
        (documents.render_docx, docx_lines),
        (documents.render_pdf, pdf_lines),
    ]:
        lines = lines_of(render(current(mixed)))
        sek = [line for line in lines if "200 000 SEK" in line]
        eur = [line for line in lines if "12 500.50 EUR" in line]
        assert sek and eur
        assert "Amounts in different currencies are totalled separately" in text_of(lines)


@pytest.mark.parametrize(
    ("language", "letters"), [("sv", "åäö"), ("da", "øæå")], ids=["swedish", "danish"]
)
def test_it_writes_in_the_agreements_language(cast, partnership, iop, language, letters):
    text = f"Vi ses på Hammarkullen – “{letters}” og Ærø, Øresund, Åbo."
    sections = {
        section["code"]: text for section in iop.sections if section["kind"] in ("text", "duration")
    }
    agreement = draft(cast, partnership, iop, language, sections=sections)
    version = current(agreement)
    titles = [in_language(section["title"], language) for section in iop.sections]
    english = [in_language(section["title"], "en") for section in iop.sections]
    assert titles != english
    for render, lines_of in [
        (documents.render_docx, docx_lines),
        (documents.render_pdf, pdf_lines),
    ]:
        rendered = text_of(lines_of(render(version)))
        # Headings are short enough never to wrap.
        for title in titles:
            assert title in rendered, (render.__name__, title)
        assert text in rendered.replace("\n", " ")
        assert "Røde Kors Esbjerg" in rendered
        assert in_language(iop.name, language) in rendered


def test_it_shows_who_approved_and_leaves_a_line_for_the_others(cast, mixed):
    services.submit_for_review(agreement=mixed, by=cast.coordinator)
    approve(mixed, cast.municipality, cast.coordinator, signatory="Erik Testsson, stadsdirektör")
    version = current(mixed)
    for render, lines_of in [
        (documents.render_docx, docx_lines),
        (documents.render_pdf, pdf_lines),
    ]:
        text = text_of(lines_of(render(version)))
        assert "Approved by Erik Testsson, stadsdirektör on" in text
        # One signature approved (the title page says how far the version got).
        assert len(re.findall(r"Approved by .+ on ", text)) == 1
        # Røde Kors Esbjerg has not approved: a line to sign on.
        assert text.count("Signature, name and title, date") == 1
        assert "Approved by 1 of 2 parties" in text


def test_it_renders_an_older_version_as_it_was(cast, mixed):
    first = mixed.versions.get(number=1)
    newest = current(mixed)
    assert (first.number, newest.number) == (1, 2)
    for render, lines_of in [
        (documents.render_docx, docx_lines),
        (documents.render_pdf, pdf_lines),
    ]:
        text = text_of(lines_of(render(AgreementVersion.objects.get(pk=first.pk))))
        assert first.content_hash in text
        assert newest.content_hash not in text
        assert newest.content_hash[:12] not in text
        assert "Version 1" in text
        assert "Version 2" not in text
        assert "replaced by version 2" in text
        # Version 1 had no contributions yet.
        assert "150 000 SEK" not in text
        assert "No contributions yet." in text


def test_it_prints_empty_mandatory_sections_and_skips_empty_optional_ones(cast, partnership, iop):
    AgreementTemplate.objects.filter(pk=iop.pk).update(
        sections=[
            {
                "code": "purpose",
                "kind": "text",
                "mandatory": True,
                "title": {"en": "Purpose of the partnership"},
                "guidance": {},
            },
            {
                "code": "insurance",
                "kind": "text",
                "mandatory": False,
                "title": {"en": "Insurance of volunteers"},
                "guidance": {},
            },
            {
                "code": "background",
                "kind": "text",
                "mandatory": False,
                "title": {"en": "Background"},
                "guidance": {},
            },
        ],
        requires_post_pilot=False,
    )
    iop.refresh_from_db()
    agreement = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language="en"
    )
    save(
        agreement,
        cast.coordinator,
        sections={
            "purpose": "",
            "insurance": "",
            "background": "Första stycket.\n\n\nAndra stycket\nmed en ny rad.",
        },
    )
    for render, lines_of in [
        (documents.render_docx, docx_lines),
        (documents.render_pdf, pdf_lines),
    ]:
        lines = lines_of(render(current(agreement)))
        text = text_of(lines)
        assert "1. Purpose of the partnership" in text
        assert "—" in lines
        assert "Insurance of volunteers" not in text
        assert "2. Background" in text
        assert "Första stycket." in lines
        assert "Andra stycket" in lines
        assert "med en ny rad." in lines
        # No template section holds the parties: they come first, under their own title.
        assert "Parties" in text


def test_it_keeps_text_that_xml_cannot_hold_out_of_the_document(cast, mixed):
    save(mixed, cast.coordinator, sections={"background": "Rad ett\x0bRad två & <b>tre</b>"})
    version = current(mixed)
    assert "Rad ettRad två & <b>tre</b>" in text_of(docx_lines(documents.render_docx(version)))
    assert "Rad ettRad två & <b>tre</b>" in text_of(pdf_lines(documents.render_pdf(version)))


def test_it_reads_the_database_a_fixed_number_of_times(cast, partnership, iop, ngo_with_number):
    few = draft(cast, partnership, iop, "en", contributions=[{**SEK_ROW, "party": cast.ngo.pk}])
    many = draft(
        cast,
        partnership,
        iop,
        "en",
        contributions=[
            {**row, "party": party, "year": year}
            for year in range(2020, 2035)
            for row, party in [(SEK_ROW, cast.municipality.pk), (EUR_ROW, cast.ngo.pk)]
        ],
    )
    services.submit_for_review(agreement=many, by=cast.coordinator)
    approve(many, cast.municipality, cast.coordinator)
    approve(many, cast.ngo, cast.other_member)
    counts = []
    for agreement in (few, many):
        for render in (documents.render_docx, documents.render_pdf):
            version = AgreementVersion.objects.get(pk=current(agreement).pk)
            with CaptureQueriesContext(connection) as queries:
                render(version)
            counts.append(len(queries))
    # The version with its agreement, its approvals, and whether all approved it.
    assert counts == [3, 3, 3, 3]
    # With its agreement, template and partnership already loaded, only the approvals
    # and whether every party approved.
    version = AgreementVersion.objects.select_related(
        "agreement__template", "agreement__partnership"
    ).get(pk=current(many).pk)
    with CaptureQueriesContext(connection) as queries:
        documents.render_pdf(version)
    assert len(queries) == 2


def test_it_falls_back_to_the_font_bundled_with_reportlab(mixed, monkeypatch, tmp_path):
    monkeypatch.setattr(documents, "DEJAVU", tmp_path)
    documents.pdf_fonts.cache_clear()
    try:
        data = documents.render_pdf(current(mixed))
    finally:
        documents.pdf_fonts.cache_clear()
    assert b"Vera" in data
    assert "Røde Kors Esbjerg" in text_of(pdf_lines(data))


def test_it_embeds_dejavu_when_it_is_installed(mixed):
    if not documents.DEJAVU.joinpath("DejaVuSans.ttf").is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    assert b"DejaVuSans" in documents.render_pdf(current(mixed))


def test_it_names_files_in_ascii(cast, mixed):
    save(mixed, cast.coordinator, title="Samverkan: Røde Kors – Göteborgs Stad & Ærø")
    version = current(mixed)
    assert documents.filename(version, "pdf") == "samverkan-rode-kors-goteborgs-stad-aero-v3.pdf"
    assert documents.filename(version, ".docx").endswith("-v3.docx")
    save(mixed, cast.coordinator, title="“–”")
    assert documents.filename(current(mixed), "docx") == "agreement-v4.docx"
