# SPDX-License-Identifier: AGPL-3.0-or-later
"""An agreement version as a document to read, print and sign: DOCX (python-docx)
and PDF (reportlab), in the agreement's language.

Both formats render the same outline, built once from the version's content: a
title page with the content hash the parties approve, the parties, then the
template's sections in order. Every page shows the version number, its date and
the start of the hash, so a printed page can be matched to the version it is from.
"""

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, date
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    ContributionKind,
    PilotRoute,
    contribution_totals,
    date_or_none,
    decimal_or_none,
    format_amount,
    formatted_totals,
    public_payment_label,
)
from samverka.agreements.models import (
    Agreement,
    AgreementVersion,
    Approval,
    RenderedDocument,
)
from samverka.agreements.permissions import approved_by_all
from samverka.agreements.present import contribution_cells
from samverka.agreements.progress import describe
from samverka.core.choices import labels
from samverka.directory.models import Country
from samverka.partnerships.models import MemberRole

__all__ = ["filename", "outline", "render_docx", "render_pdf", "rendered"]

EMPTY = "—"
SHORT_HASH = 12
# XML 1.0 refuses these; a pasted text can carry them, and python-docx would fail.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# Letters that slugify() would drop rather than spell in ASCII.
ASCII_SPELLING = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ð": "d", "Ð": "D"}
    | {"þ": "th", "Þ": "Th", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L"}
)
DOCX_LANGUAGES = {"sv": "sv-SE", "nb": "nb-NO", "da": "da-DK", "en": "en-GB"}


# The outline: what both formats print, as plain text.


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Text:
    """One paragraph; single line breaks inside it are kept."""

    text: str
    bold: bool = False
    small: bool = False


@dataclass(frozen=True)
class Grid:
    """A table with a header row. `widths` are fractions of the text width;
    `right` the columns of numbers."""

    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    widths: tuple[float, ...]
    right: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Fields:
    """Label and value pairs, as a table without a header."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Signature:
    party: str
    # "Approved by … on …", or "" for an empty line to sign on.
    approved: str
    caption: str


Block = Heading | Text | Grid | Fields | Signature


@dataclass
class Outline:
    language: str
    title: str
    subtitle: str
    template: str
    version: str
    cover: list[tuple[str, str]]
    hash_label: str
    content_hash: str
    footer: str
    page_label: str
    blocks: list[Block] = field(default_factory=list)


def _clean(value: Any) -> str:
    return CONTROL_CHARACTERS.sub("", str(value if value is not None else "")).replace("\r", "")


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in PARAGRAPH_BREAK.split(_clean(text).strip()) if part.strip()]


def _date(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else EMPTY


def _iso_date(value: Any) -> str:
    return _date(date_or_none(value))


def _load(version: AgreementVersion) -> tuple[AgreementVersion, dict[int, Approval]]:
    """The version with its agreement, template and partnership (one query unless
    already loaded), and its approvals by organisation (one query)."""
    loaded = AgreementVersion.agreement.is_cached(version) and all(
        relation.is_cached(version.agreement)
        for relation in (Agreement.template, Agreement.partnership)
    )
    if not loaded:
        version = AgreementVersion.objects.select_related(
            "agreement__template", "agreement__partnership"
        ).get(pk=version.pk)
    approvals = {
        approval.organisation_id: approval
        for approval in version.approvals.select_related("organisation")
        if approval.content_hash == version.content_hash
    }
    return version, approvals


def outline(version: AgreementVersion) -> Outline:
    """What the document says, in the agreement's language."""
    return _prepare(version)[1]


def _prepare(version: AgreementVersion) -> tuple[AgreementVersion, Outline]:
    version, approvals = _load(version)
    language = version.agreement.language
    with override(language):
        return version, _outline(version, approvals, language)


def _outline(version: AgreementVersion, approvals: dict[int, Approval], language: str) -> Outline:
    agreement = version.agreement
    content = version.content
    made_on = _date(timezone.localtime(version.created_at).date())
    # This version's own progress, as the versions list says it: an old version
    # was never "approved by all" because a later one was.
    progress = describe(
        number=version.number,
        newest=agreement.version,
        sent=version.sent_for_review,
        approvals=len(approvals),
        parties=len(content.get("parties", [])),
        by_all=approved_by_all(AgreementVersion.objects.filter(pk=version.pk)).exists(),
    )
    cover = [
        (_("Date of this version"), made_on),
        (_("Status of this version"), capfirst(progress)),
    ]
    if version.number < agreement.version:
        cover.append(
            (
                _("Newer version"),
                _("This version has been replaced by version %(number)s.")
                % {"number": agreement.version},
            )
        )
    result = Outline(
        language=language,
        title=_clean(content.get("title") or agreement.title),
        subtitle=_clean(agreement.partnership.name),
        template=_clean(in_language(agreement.template.name, language)),
        version=_("Version %(number)s") % {"number": version.number},
        cover=cover,
        hash_label=_("Content hash (SHA-256)"),
        content_hash=version.content_hash,
        footer=_("Version %(number)s · %(date)s · Content hash %(hash)s")
        % {"number": version.number, "date": made_on, "hash": version.content_hash[:SHORT_HASH]},
        page_label=_("Page %(page)s"),
    )
    sections = agreement.template.sections
    if not any(section["kind"] == "parties" for section in sections):
        result.blocks.append(Heading(_("Parties")))
        result.blocks.extend(_parties(content))
    number = 0
    for section in sections:
        body = _section(section, content, approvals)
        if body is None:
            continue
        number += 1
        title = _clean(in_language(section["title"], language))
        result.blocks.append(Heading(f"{number}. {title}"))
        result.blocks.extend(body)
    return result


def _section(
    section: dict[str, Any], content: dict[str, Any], approvals: dict[int, Approval]
) -> list[Block] | None:
    """The blocks under one section's title, or None to leave it out."""
    kind, code = section["kind"], section["code"]
    texts = content.get("sections", {})
    if kind == "parties":
        return _parties(content)
    if kind == "contributions":
        return _contributions(content)
    if kind == "principles":
        return _principles(content)
    if kind == "after_pilot":
        return _after_pilot(content)
    if kind == "duration":
        return _duration(content, texts.get(code, ""))
    if kind == "signatures":
        return _signatures(content, approvals)
    paragraphs = _paragraphs(texts.get(code, ""))
    if not paragraphs:
        return [Text(EMPTY)] if section.get("mandatory") else None
    return [Text(paragraph) for paragraph in paragraphs]


def _parties(content: dict[str, Any]) -> list[Block]:
    roles, countries = labels(MemberRole), labels(Country)
    rows = [
        (
            _clean(party.get("name")),
            _clean(party.get("organisation_number")) or EMPTY,
            countries.get(party.get("country", ""), _clean(party.get("country"))) or EMPTY,
            roles.get(party.get("role", ""), _clean(party.get("role"))),
        )
        for party in content.get("parties", [])
    ]
    if not rows:
        return [Text(_("No parties yet."))]
    headers = (_("Party"), _("Organisation number"), _("Country"), _("Role"))
    return [Grid(headers, rows, (0.34, 0.27, 0.17, 0.22))]


def _contributions(content: dict[str, Any]) -> list[Block]:
    names = {party["organisation"]: party["name"] for party in content.get("parties", [])}
    kinds = labels(ContributionKind)
    rows = content.get("contributions", [])

    def party_name(party: Any) -> str:
        return _clean(names.get(party) or _("Former party"))

    blocks: list[Block] = []
    if rows:
        table = [
            (party, year, kind, amount or EMPTY, description)
            for party, year, kind, amount, description in (
                tuple(_clean(cell) for cell in cells) for cells in contribution_cells(content)
            )
        ]
        headers = (_("Party"), _("Year"), _("Kind"), _("Amount"), _("Description"))
        blocks.append(Grid(headers, table, (0.24, 0.08, 0.16, 0.2, 0.32), frozenset({1, 3})))
    else:
        blocks.append(Text(_("No contributions yet.")))

    totals = contribution_totals(rows)
    kind_order = {kind: index for index, kind in enumerate(ContributionKind.values)}
    if totals.by_party:
        parties = [p["organisation"] for p in content.get("parties", [])]
        order = [p for p in parties if p in totals.by_party]
        order += [p for p in totals.by_party if p not in parties]
        by_party = [
            (party_name(party), kinds.get(kind, _clean(kind)), amount)
            for party in order
            for kind in sorted(totals.by_party[party], key=lambda k: kind_order.get(k, 99))
            for amount in formatted_totals(totals.by_party[party][kind])
        ]
        blocks.append(Text(_("Totals per party"), bold=True))
        blocks.append(
            Grid((_("Party"), _("Kind"), _("Total")), by_party, (0.45, 0.3, 0.25), frozenset({2}))
        )
        by_kind = [
            (kinds.get(kind, _clean(kind)), amount)
            for kind in sorted(totals.by_kind, key=lambda k: kind_order.get(k, 99))
            for amount in formatted_totals(totals.by_kind[kind])
        ]
        by_kind += [(_("All contributions"), amount) for amount in formatted_totals(totals.by_unit)]
        blocks.append(Text(_("Totals per kind"), bold=True))
        blocks.append(Grid((_("Kind"), _("Total")), by_kind, (0.6, 0.4), frozenset({1})))
        if totals.mixed_currencies:
            blocks.append(
                Text(
                    _(
                        "Amounts in different currencies are totalled separately and never "
                        "added together."
                    ),
                    small=True,
                )
            )
    payment = content.get("public_payment", "")
    if payment:
        label = _clean(public_payment_label(content))
        blocks.append(Fields([(_("Payment from the public party"), label)]))
    return blocks


def _principles(content: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    for principle in content.get("principles", []):
        blocks.append(Text(_clean(principle.get("name")), bold=True))
        blocks.extend(Text(paragraph) for paragraph in _paragraphs(principle.get("meaning", "")))
    return blocks or [Text(EMPTY)]


def _after_pilot(content: dict[str, Any]) -> list[Block]:
    after = content.get("after_pilot", {})
    budget = decimal_or_none(after.get("budget"))
    route = after.get("route", "")
    rows = [
        (_("Decision date"), _iso_date(after.get("decision_on"))),
        (_("Criteria for success"), _clean(after.get("criteria")).strip() or EMPTY),
        (_("Route after success"), labels(PilotRoute).get(route, _clean(route)) or EMPTY),
        (
            _("Budget"),
            format_amount(budget, _clean(after.get("currency"))) if budget is not None else EMPTY,
        ),
    ]
    blocks: list[Block] = [Fields(rows)]
    blocks.extend(Text(paragraph) for paragraph in _paragraphs(after.get("detail", "")))
    return blocks


def _duration(content: dict[str, Any], text: str) -> list[Block]:
    dates = content.get("dates", {})
    notice = dates.get("notice_months")
    reviews = [_iso_date(d) for d in dates.get("review_dates", []) if date_or_none(d)]
    rows = [
        (_("Starts"), _iso_date(dates.get("starts_on"))),
        (_("Ends"), _iso_date(dates.get("ends_on"))),
        (_("Notice period in months"), EMPTY if notice in (None, "") else _clean(notice)),
        (_("Review dates"), "\n".join(reviews) or EMPTY),
    ]
    blocks: list[Block] = [Fields(rows)]
    blocks.extend(Text(paragraph) for paragraph in _paragraphs(text))
    return blocks


def _signatures(content: dict[str, Any], approvals: dict[int, Approval]) -> list[Block]:
    caption = _("Signature, name and title, date")
    blocks: list[Block] = []
    for party in content.get("parties", []):
        approval = approvals.get(party["organisation"])
        approved = ""
        if approval is not None:
            approved = _("Approved by %(signatory)s on %(date)s") % {
                "signatory": _clean(approval.signatory),
                "date": _date(timezone.localtime(approval.at).date()),
            }
        blocks.append(Signature(_clean(party.get("name")), approved, caption))
    return blocks or [Text(EMPTY)]


def filename(version: AgreementVersion, extension: str) -> str:
    """An ASCII file name: "samverkansavtal-hammarkullen-v3.pdf"."""
    title = (version.content or {}).get("title") or ""
    if not title:
        title = version.agreement.title
    slug = slugify(str(title).translate(ASCII_SPELLING))[:80].strip("-_") or "agreement"
    extension = slugify(extension.lstrip(".")) or "bin"
    return f"{slug}-v{version.number}.{extension}"


# Kept documents


# Raise when the renderers change what they draw, so kept documents render anew.
RENDERER_VERSION = 2


def _key(kind: str, doc_outline: Outline) -> str:
    """SHA-256 of all a rendering depends on: the outline (every word the document
    prints, in its language), the format, the renderer and, for PDF, the font."""
    fonts = pdf_fonts() if kind == "pdf" else ()
    printed = json.dumps(
        [RENDERER_VERSION, kind, fonts, asdict(doc_outline)],
        ensure_ascii=False,
        sort_keys=True,
        default=sorted,  # the frozensets of right-aligned columns
    )
    return hashlib.sha256(printed.encode("utf-8")).hexdigest()


def rendered(version: AgreementVersion, kind: str) -> bytes:
    """The version's document, rendered once and then served from the database
    while nothing it prints has changed. A newer rendering of the same version
    replaces the older one, so each version keeps at most one per format."""
    version, doc_outline = _prepare(version)
    key = _key(kind, doc_outline)
    kept = RenderedDocument.objects.filter(version=version, kind=kind, key=key).first()
    if kept is not None:
        return bytes(kept.data)
    data = (_pdf if kind == "pdf" else _docx)(version, doc_outline)
    with transaction.atomic():
        RenderedDocument.objects.filter(version=version, kind=kind).exclude(key=key).delete()
        # Two first downloads at once both render; the second row is dropped.
        RenderedDocument.objects.bulk_create(
            [RenderedDocument(version=version, kind=kind, key=key, data=data)],
            ignore_conflicts=True,
        )
    return data


# DOCX


def render_docx(version: AgreementVersion) -> bytes:
    return _docx(*_prepare(version))


def _docx(version: AgreementVersion, doc_outline: Outline) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    document = Document()

    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), DOCX_LANGUAGES.get(doc_outline.language, doc_outline.language))
    normal.element.get_or_add_rPr().append(language)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    width = section.page_width - section.left_margin - section.right_margin

    properties = document.core_properties
    properties.title = doc_outline.title[:255]
    properties.subject = doc_outline.subtitle[:255]
    properties.author = properties.last_modified_by = "Samverka"
    properties.identifier = doc_outline.content_hash
    properties.language = doc_outline.language
    properties.revision = version.number
    properties.version = str(version.number)
    properties.comments = ""
    properties.keywords = ""
    properties.created = properties.modified = version.created_at.astimezone(UTC).replace(
        tzinfo=None
    )

    def paragraph(text: str, *, bold: bool = False, small: bool = False, style: str = ""):
        para = document.add_paragraph(style=style or None)
        _docx_text(para, text, bold=bold, size=Pt(9) if small else None)
        return para

    def cell_text(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
        para = cell.paragraphs[0]
        _docx_text(para, text, bold=bold)
        if right:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    # Title page.
    document.add_paragraph(doc_outline.title, style="Title")
    document.add_paragraph(doc_outline.subtitle, style="Subtitle")
    paragraph(doc_outline.template)
    paragraph(doc_outline.version, bold=True)
    for label, value in doc_outline.cover:
        para = paragraph(label, small=True)
        para.paragraph_format.space_after = Pt(0)
        paragraph(value, bold=True)
    para = paragraph(doc_outline.hash_label, small=True)
    para.paragraph_format.space_after = Pt(0)
    hash_run = document.add_paragraph().add_run(doc_outline.content_hash)
    hash_run.font.name = "Courier New"
    hash_run.font.size = Pt(9)
    document.add_page_break()

    for block in doc_outline.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=1)
        elif isinstance(block, Text):
            paragraph(block.text, bold=block.bold, small=block.small)
        elif isinstance(block, Grid):
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.LEFT
            header = table.rows[0]
            _docx_repeat_header(header, OxmlElement, qn)
            for index, text in enumerate(block.headers):
                cell_text(header.cells[index], text, bold=True, right=index in block.right)
            for row in block.rows:
                cells = table.add_row().cells
                for index, text in enumerate(row):
                    cell_text(cells[index], text, right=index in block.right)
            for index, fraction in enumerate(block.widths):
                for cell in table.columns[index].cells:
                    cell.width = int(width * fraction)
            document.add_paragraph()
        elif isinstance(block, Fields):
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in block.rows:
                cells = table.add_row().cells
                cell_text(cells[0], label, bold=True)
                cell_text(cells[1], value)
            for index, fraction in enumerate((0.35, 0.65)):
                for cell in table.columns[index].cells:
                    cell.width = int(width * fraction)
            document.add_paragraph()
        elif isinstance(block, Signature):
            para = paragraph(block.party, bold=True)
            para.paragraph_format.keep_with_next = True
            if block.approved:
                paragraph(block.approved)
            else:
                space = document.add_paragraph()
                space.paragraph_format.space_before = Pt(24)
                space.paragraph_format.keep_with_next = True
                space.add_run("_" * 48)
                caption = paragraph(block.caption, small=True)
                caption.runs[0].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
            document.add_paragraph()

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    _docx_text(footer, doc_outline.footer, size=Pt(8))
    before, _placeholder, after = doc_outline.page_label.partition("%(page)s")
    footer.add_run("   " + before).font.size = Pt(8)
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    run, run_properties, size, text = (OxmlElement(tag) for tag in ("w:r", "w:rPr", "w:sz", "w:t"))
    size.set(qn("w:val"), "16")
    run_properties.append(size)
    text.text = "1"
    run.extend([run_properties, text])
    page.append(run)
    footer._p.append(page)
    if after:
        footer.add_run(after).font.size = Pt(8)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_text(para: Any, text: str, *, bold: bool = False, size: Any = None) -> None:
    """Add `text` to a paragraph, one run with line breaks where the text has them."""
    run = para.add_run()
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    for index, line in enumerate(_clean(text).split("\n")):
        if index:
            run.add_break()
        run.add_text(line)


def _docx_repeat_header(row: Any, element: Any, qn: Any) -> None:
    """Repeat a table's header row on every page it continues on."""
    header = element("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


# PDF


REPORTLAB_FONTS = ("Vera.ttf", "VeraBd.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@cache
def pdf_fonts() -> tuple[str, str]:
    """Register the TrueType fonts once: DejaVu Sans (Debian's fonts-dejavu-core), or
    the Bitstream Vera that ships with reportlab. Either covers the Nordic letters and
    typographic quotes, and is embedded so the text can be read back."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        bundled = Path(reportlab.__file__).resolve().parent / "fonts"
        regular, bold = (bundled / name for name in REPORTLAB_FONTS)
    # Named after the file: reportlab keeps the first font registered under a name.
    for path in (regular, bold):
        pdfmetrics.registerFont(TTFont(path.stem, str(path)))
    pdfmetrics.registerFontFamily(
        regular.stem, normal=regular.stem, bold=bold.stem, italic=regular.stem, boldItalic=bold.stem
    )
    return regular.stem, bold.stem


def _markup(text: str) -> str:
    """Text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(_clean(text)).replace("\n", "<br/>")


# Left and right padding of a reportlab table cell, and the cell font sizes.
CELL_PADDING = 12
CELL_SIZE = 9


def _column_widths(block: Grid, width: float, regular: str, bold: str) -> list[float]:
    """Widths that fit each column's longest word ("Volontärtimmar" must not be
    split), the rest of the width shared as the block's fractions say. Only when
    the longest words cannot all fit does a column get less (and wrap inside)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def longest(texts: list[str], font: str) -> float:
        words = [word for text in texts for word in _clean(text).split()]
        return max((stringWidth(word, font, CELL_SIZE) for word in words), default=0.0)

    needed = [
        max(longest([block.headers[i]], bold), longest([row[i] for row in block.rows], regular))
        + CELL_PADDING
        for i in range(len(block.headers))
    ]
    shares = [width * fraction for fraction in block.widths]
    if sum(needed) > width:
        return [width * need / sum(needed) for need in needed]
    # Columns that need more than their share take it from the others, in proportion.
    widths = [max(share, need) for share, need in zip(shares, needed, strict=True)]
    excess = sum(widths) - width
    while excess > 0.01:
        spare = [w - need for w, need in zip(widths, needed, strict=True)]
        total_spare = sum(spare)
        widths = [w - excess * room / total_spare for w, room in zip(widths, spare, strict=True)]
        excess = sum(widths) - width
    return widths


def render_pdf(version: AgreementVersion) -> bytes:
    return _pdf(*_prepare(version))


def _pdf(_version: AgreementVersion, doc_outline: Outline) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = pdf_fonts()

    grey = colors.HexColor("#555555")
    rule = colors.HexColor("#999999")
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5, spaceAfter=6)
    styles = {
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=bold),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=grey),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=22, leading=27, spaceAfter=12
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=14, leading=18),
        "label": ParagraphStyle(
            "label", parent=body, fontSize=8.5, leading=11, textColor=grey, spaceAfter=0
        ),
        "value": ParagraphStyle("value", parent=body, fontName=bold, spaceAfter=8),
        "hash": ParagraphStyle("hash", parent=body, fontSize=8.5, leading=11, splitLongWords=0),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=bold,
            fontSize=13,
            leading=17,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
    }
    styles["subtitle_bold"] = ParagraphStyle(
        "subtitle_bold", parent=styles["subtitle"], fontName=bold, spaceBefore=6
    )
    styles["cell_bold"] = ParagraphStyle("cell_bold", parent=styles["cell"], fontName=bold)
    styles["cell_right"] = ParagraphStyle("cell_right", parent=styles["cell"], alignment=TA_RIGHT)
    styles["cell_bold_right"] = ParagraphStyle(
        "cell_bold_right", parent=styles["cell_bold"], alignment=TA_RIGHT
    )

    buffer = io.BytesIO()
    margin = 20 * mm
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 6 * mm,
        title=doc_outline.title,
        subject=doc_outline.subtitle,
        author="Samverka",
        creator="Samverka",
        keywords=doc_outline.content_hash,
        lang=DOCX_LANGUAGES.get(doc_outline.language, doc_outline.language),
    )
    width = document.width

    def paragraph(text: str, style: str = "body") -> Any:
        return Paragraph(_markup(text), styles[style])

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(grey)
        canvas.drawString(margin, 12 * mm, doc_outline.footer)
        canvas.drawRightString(A4[0] - margin, 12 * mm, doc_outline.page_label % {"page": doc.page})
        canvas.restoreState()

    grid = [
        ("GRID", (0, 0), (-1, -1), 0.4, rule),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]

    story: list[Any] = [
        Spacer(1, 40 * mm),
        paragraph(doc_outline.title, "title"),
        paragraph(doc_outline.subtitle, "subtitle"),
        paragraph(doc_outline.template),
        paragraph(doc_outline.version, "subtitle_bold"),
        Spacer(1, 10 * mm),
    ]
    for label, value in doc_outline.cover:
        story += [paragraph(label, "label"), paragraph(value, "value")]
    story += [
        paragraph(doc_outline.hash_label, "label"),
        paragraph(doc_outline.content_hash, "hash"),
        PageBreak(),
    ]
    for block in doc_outline.blocks:
        if isinstance(block, Heading):
            story.append(paragraph(block.text, "heading"))
        elif isinstance(block, Text):
            story.append(
                paragraph(block.text, "bold" if block.bold else "small" if block.small else "body")
            )
        elif isinstance(block, Grid):
            header = [
                paragraph(text, "cell_bold_right" if i in block.right else "cell_bold")
                for i, text in enumerate(block.headers)
            ]
            rows = [
                [
                    paragraph(text, "cell_right" if i in block.right else "cell")
                    for i, text in enumerate(row)
                ]
                for row in block.rows
            ]
            table = Table(
                [header, *rows],
                colWidths=_column_widths(block, width, regular, bold),
                repeatRows=1,
                hAlign="LEFT",
            )
            table.setStyle(
                TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))])
            )
            story += [table, Spacer(1, 4 * mm)]
        elif isinstance(block, Fields):
            rows = [
                [paragraph(label, "cell_bold"), paragraph(value, "cell")]
                for label, value in block.rows
            ]
            table = Table(rows, colWidths=[width * 0.35, width * 0.65], hAlign="LEFT")
            table.setStyle(TableStyle(grid))
            story += [table, Spacer(1, 4 * mm)]
        elif isinstance(block, Signature):
            parts: list[Any] = [paragraph(block.party, "bold")]
            if block.approved:
                parts.append(paragraph(block.approved))
            else:
                line = Table(
                    [[paragraph(block.caption, "small")]], colWidths=[width * 0.6], hAlign="LEFT"
                )
                line.setStyle(
                    TableStyle(
                        [
                            ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.black),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ]
                    )
                )
                parts += [Spacer(1, 14 * mm), line]
            story.append(KeepTogether([*parts, Spacer(1, 8 * mm)]))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
