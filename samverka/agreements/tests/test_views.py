# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agreement pages as a coordinator and a partner use them, without JavaScript."""

import difflib
import io
import re
import time

import docx
import pypdf
import pytest
from django.urls import reverse
from docx.document import Document as DocxDocument
from reportlab.platypus import SimpleDocTemplate

from samverka.agreements import services
from samverka.agreements.content import SECTION_MAX_LENGTH
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    RenderedDocument,
)
from samverka.agreements.tests.conftest import (
    approve,
    complete,
    complete_changes,
    current,
    fresh,
    save,
)
from samverka.agreements.tests.long_texts import (
    BoundedMatcher,
    long_sections,
    rewritten,
    with_ten_text_sections,
)

pytestmark = pytest.mark.django_db


def edit_data(client, agreement: Agreement) -> dict[str, str]:
    """The edit form as the browser would post it, unchanged."""
    html = client.get(reverse("agreements:edit", args=[agreement.pk])).content.decode()
    data: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name, text in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\s*(.*?)</textarea>', html, re.S
    ):
        data[name] = text.strip().replace("&#x27;", "'").replace("&quot;", '"')
    for name, inner in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', inner)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_it_drafts_an_agreement_from_the_partnership(client, cast, partnership):
    client.force_login(cast.coordinator)
    page = client.get(reverse("agreements:list", args=[partnership.pk]))
    assert page.status_code == 200
    assert "Draft the agreement" in page.content.decode()
    response = client.post(
        reverse("agreements:list", args=[partnership.pk]),
        {"template": _template_pk("iop"), "language": "sv"},
    )
    agreement = Agreement.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:edit", args=[agreement.pk])
    assert agreement.language == "sv" and agreement.version == 1
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Røde Kors Esbjerg" in page and "Göteborgs Stad" in page
    assert "Unga saknar meningsfull fritid" in page  # the problem, pre-filled


def _template_pk(code: str) -> int:
    from samverka.agreements.models import AgreementTemplate

    return AgreementTemplate.objects.get(code=code).pk


def test_it_refuses_drafting_to_a_partner_who_does_not_lead(client, cast, partnership):
    client.force_login(cast.other_member)
    page = client.get(reverse("agreements:list", args=[partnership.pk])).content.decode()
    assert "Draft the agreement" not in page
    response = client.post(
        reverse("agreements:list", args=[partnership.pk]),
        {"template": _template_pk("iop"), "language": "sv"},
    )
    assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_saves_before_review_update_the_working_draft(client, cast, agreement):
    """Tab after tab of a draft nobody has reviewed yet is still version 1: the
    first version the parties approve is not "version 3"."""
    client.force_login(cast.coordinator)
    for text in ("Helgöppet på fritidsgården.", "Helgöppet och läxhjälp."):
        data = edit_data(client, agreement)
        data["section_activities"] = text
        data["note"] = "Aktiviteter"
        response = client.post(reverse("agreements:edit", args=[agreement.pk]), data, follow=True)
        assert "The working draft was saved." in response.content.decode()
    version = current(agreement)
    assert version.number == 1
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 1
    assert version.content["sections"]["activities"] == "Helgöppet och läxhjälp."
    assert version.note == "Aktiviteter"
    assert version.created_by == cast.coordinator
    # Each save is in the history, with what it changed.
    from samverka.core.models import LogEntry

    saves = LogEntry.objects.filter(action="agreement.saved", data__agreement=agreement.pk)
    assert [entry.data["changed"] for entry in saves] == [["sections"], ["sections"]]


def test_it_saves_a_new_version_once_sent_for_review(client, cast, agreement):
    client.force_login(cast.coordinator)
    _complete_working_draft(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    data = edit_data(client, agreement)
    data["section_activities"] = "Läxhjälp på tisdagar."
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), data, follow=True)
    assert "The agreement was saved as a new version." in response.content.decode()
    assert current(agreement).number == 2
    first = agreement.versions.get(number=1)
    assert first.content["sections"]["activities"] != "Läxhjälp på tisdagar."


def _complete_working_draft(agreement: Agreement, by) -> None:
    """Every section written, saved into the working draft as the pages do."""
    version = current(agreement)
    services.save_agreement(
        agreement=agreement,
        changes=complete_changes(agreement),
        by=by,
        base_version=version.number,
        base_hash=version.content_hash,
    )


def test_it_shows_both_texts_when_two_people_edit_at_once(client, cast, agreement):
    """Anna and Mette open the same working draft; Mette saves first, which keeps
    the draft's number. Anna's save is still refused with both texts shown;
    nothing of hers is lost, and saving again puts her text on top."""
    client.force_login(cast.coordinator)
    annas = edit_data(client, agreement)
    from django.test import Client

    mette = Client()
    mette.force_login(cast.other_member)
    mettes = edit_data(mette, agreement)
    mettes["section_activities"] = "Läxhjälp på tisdagar."
    assert mette.post(reverse("agreements:edit", args=[agreement.pk]), mettes).status_code == 302
    assert current(agreement).number == 1

    annas["section_activities"] = "Helgöppet på fritidsgården."
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), annas)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this agreement while you were editing it" in page
    assert "Läxhjälp på tisdagar." in page  # theirs
    assert page.count("Helgöppet på fritidsgården.") >= 2  # yours, in the comparison and the form
    assert current(agreement).content["sections"]["activities"] == "Läxhjälp på tisdagar."
    # The form now carries Mette's text as its base, so saving again is deliberate.
    theirs = current(agreement)
    assert re.search(rf'name="content_hash" value="{theirs.content_hash}"', page)
    annas["content_hash"] = theirs.content_hash
    assert client.post(reverse("agreements:edit", args=[agreement.pk]), annas).status_code == 302
    assert current(agreement).content["sections"]["activities"] == "Helgöppet på fritidsgården."
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 1


def test_it_refuses_an_end_before_the_start_and_keeps_the_input(client, cast, agreement):
    client.force_login(cast.coordinator)
    data = edit_data(client, agreement)
    data.update(starts_on="2027-05-01", ends_on="2027-01-01", section_activities="Kvar")
    response = client.post(reverse("agreements:edit", args=[agreement.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end date is before the start date." in page
    assert "Kvar" in page
    assert fresh(agreement).version == 1


def test_it_saves_contributions_and_totals_them_per_currency(client, cast, agreement):
    client.force_login(cast.coordinator)
    parties = [p["organisation"] for p in current(agreement).content["parties"]]
    data = {
        "meta-version": "1",
        "meta-note": "",
        "rows-TOTAL_FORMS": "4",
        "rows-INITIAL_FORMS": "0",
        # An empty extra row, as the browser posts it: skipped, not an error.
        **{f"rows-3-{name}": "" for name in ("party", "year", "kind", "amount", "currency")},
        "rows-0-party": str(parties[0]),
        "rows-0-year": "2027",
        "rows-0-kind": "money",
        "rows-0-amount": "150000",
        "rows-0-currency": "SEK",
        "rows-1-party": str(parties[1]),
        "rows-1-year": "2027",
        "rows-1-kind": "money",
        "rows-1-amount": "20000",
        "rows-1-currency": "EUR",
        "rows-2-party": str(parties[1]),
        "rows-2-year": "2027",
        "rows-2-kind": "volunteers",
        "rows-2-amount": "300",
        "rows-2-currency": "",
    }
    response = client.post(reverse("agreements:contributions", args=[agreement.pk]), data)
    assert response.status_code == 302
    rows = current(agreement).content["contributions"]
    assert [(r["kind"], r["amount"], r["currency"]) for r in rows] == [
        ("money", "150000", "SEK"),
        ("money", "20000", "EUR"),
        ("volunteers", "300", ""),
    ]
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "150\xa0000\xa0SEK" in page and "20\xa0000\xa0EUR" in page and "300\xa0h" in page
    assert "170\xa0000" not in page  # SEK and EUR are never added up
    assert "never added together" in page


def test_it_names_the_row_and_field_of_a_bad_contribution(client, cast, agreement):
    client.force_login(cast.coordinator)
    party = current(agreement).content["parties"][0]["organisation"]
    data = {
        "meta-version": "1",
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-party": str(party),
        "rows-0-year": "2027",
        "rows-0-kind": "money",
        "rows-0-amount": "5000",
        "rows-0-currency": "",
    }
    response = client.post(reverse("agreements:contributions", args=[agreement.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the currency of the amount." in page
    assert 'value="5000"' in page  # the input is kept
    assert fresh(agreement).version == 1


def test_it_keeps_the_six_principles_and_takes_a_new_one(client, cast, agreement):
    client.force_login(cast.coordinator)
    principles = current(agreement).content["principles"]
    assert len(principles) == 6
    data = {"meta-version": "1", "rows-TOTAL_FORMS": "7", "rows-INITIAL_FORMS": "6"}
    for index, principle in enumerate(principles):
        data[f"rows-{index}-code"] = principle["code"]
        data[f"rows-{index}-name"] = principle["name"]
        data[f"rows-{index}-meaning"] = principle["meaning"]
    data["rows-0-DELETE"] = "on"
    data["rows-6-name"] = "Barnrättsperspektiv"
    data["rows-6-meaning"] = "Barns röster hörs i varje beslut."
    response = client.post(reverse("agreements:principles", args=[agreement.pk]), data)
    assert response.status_code == 302
    saved = current(agreement).content["principles"]
    assert len(saved) == 6
    assert saved[-1]["name"] == "Barnrättsperspektiv"
    assert principles[0]["name"] not in [p["name"] for p in saved]


def test_it_compares_two_versions_word_by_word(client, cast, agreement):
    client.force_login(cast.coordinator)
    _complete_working_draft(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    data = edit_data(client, agreement)
    data["section_activities"] = "Läxhjälp på tisdagar."
    client.post(reverse("agreements:edit", args=[agreement.pk]), data)
    data = edit_data(client, agreement)
    data["section_activities"] = "Läxhjälp på torsdagar."
    client.post(reverse("agreements:edit", args=[agreement.pk]), data)
    page = client.get(reverse("agreements:versions", args=[agreement.pk]), {"a": 2, "b": 3})
    html = page.content.decode()
    assert "What changed from version 2 to version 3" in html
    assert re.search(r"<del>.*tisdagar\..*</del>", html)
    assert re.search(r"<ins>.*torsdagar\..*</ins>", html)


def test_it_checks_the_text_while_it_is_edited(client, cast, agreement):
    client.force_login(cast.coordinator)
    data = edit_data(client, agreement)
    data["public_payment"] = "price"
    response = client.post(reverse("agreements:check", args=[agreement.pk]), data)
    assert response.status_code == 200
    assert 'data-finding="looks_like_procurement"' in response.content.decode()
    assert fresh(agreement).version == 1  # checking saves nothing


def test_both_parties_approve_through_the_pages(client, cast, agreement):
    complete(agreement, cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.post(reverse("agreements:status", args=[agreement.pk]), {"to": "in_review"})
    assert response.status_code == 302
    assert fresh(agreement).status == AgreementStatus.IN_REVIEW
    version = current(agreement)
    for user, organisation in (
        (cast.coordinator, cast.municipality),
        (cast.other_member, cast.ngo),
    ):
        client.force_login(user)
        page = client.get(agreement.get_absolute_url()).content.decode()
        assert version.content_hash in page
        client.post(
            reverse("agreements:approve", args=[agreement.pk]),
            {
                "organisation": organisation.pk,
                "signatory": f"{user.first_name} Testsson",
                "version": version.number,
                "content_hash": version.content_hash,
            },
        )
    assert fresh(agreement).status == AgreementStatus.APPROVED
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "approved by Anna Testsson" in page and "approved by Mette Testsson" in page


def test_it_refuses_an_approval_of_a_stale_version(client, cast, in_review):
    version = current(in_review)
    complete(in_review, cast.coordinator, sections={"activities": "Ändrat efter granskning."})
    client.force_login(cast.other_member)
    response = client.post(
        reverse("agreements:approve", args=[in_review.pk]),
        {
            "organisation": cast.ngo.pk,
            "signatory": "Mette",
            "version": version.number,
            "content_hash": version.content_hash,
        },
        follow=True,
    )
    assert "The agreement changed after you opened it" in response.content.decode()
    assert not in_review.approvals.exists()


def test_the_documents_download_in_the_agreements_language(client, cast, approved):
    client.force_login(cast.other_member)
    version = current(approved)
    for kind, content_type in (
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ):
        response = client.get(
            reverse("agreements:document", args=[approved.pk, version.number, kind])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert f"-v{version.number}.{kind}" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert version.content_hash in text
    missing = reverse("agreements:document", args=[approved.pk, 99, "pdf"])
    assert client.get(missing).status_code == 404


def test_a_draft_is_hidden_from_outsiders(client, cast, agreement):
    client.force_login(cast.outsider)
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert client.get(reverse("agreements:versions", args=[agreement.pk])).status_code == 404


def test_the_front_page_lists_agreements_waiting_for_the_user(client, cast, in_review):
    client.force_login(cast.other_member)
    page = client.get("/").content.decode()
    assert "Agreements waiting for you" in page and in_review.title in page
    client.force_login(cast.outsider)
    assert in_review.title not in client.get("/").content.decode()


def test_it_offers_the_template_of_the_form_or_the_pilot(client, cast, partnership):
    from samverka.partnerships.models import Partnership

    client.force_login(cast.coordinator)
    url = reverse("agreements:list", args=[partnership.pk])
    Partnership.objects.filter(pk=partnership.pk).update(form="iop")
    selected = re.search(r'<option value="(\d+)" selected', client.get(url).content.decode())
    assert selected and int(selected.group(1)) == _template_pk("iop")
    Partnership.objects.filter(pk=partnership.pk).update(form="", horizon="pilot")
    selected = re.search(r'<option value="(\d+)" selected', client.get(url).content.decode())
    assert selected and int(selected.group(1)) == _template_pk("pilot")


# Long agreements: bounded comparisons, the same length limits, kept documents.


def test_comparing_two_versions_of_ten_long_sections_takes_bounded_work(
    client, cast, agreement, monkeypatch
):
    codes = with_ten_text_sections(agreement.template)
    sections = long_sections(codes, seed=1)
    save(agreement, cast.coordinator, sections=sections)
    save(agreement, cast.coordinator, sections={c: rewritten(t, 2) for c, t in sections.items()})
    monkeypatch.setattr(difflib, "SequenceMatcher", BoundedMatcher)
    client.force_login(cast.coordinator)

    started = time.perf_counter()
    page = client.get(reverse("agreements:versions", args=[agreement.pk]), {"a": 2, "b": 3})
    elapsed = time.perf_counter() - started

    assert page.status_code == 200
    assert elapsed < 5, f"{elapsed:.1f} s"
    html = page.content.decode()
    assert "What changed from version 2 to version 3" in html
    assert html.count("<del>") >= 10 and html.count("<ins>") >= 10


def test_the_edit_form_refuses_an_over_long_section(client, cast, agreement):
    client.force_login(cast.coordinator)
    data = edit_data(client, agreement)
    data["section_activities"] = "x" * (SECTION_MAX_LENGTH + 1)

    response = client.post(reverse("agreements:edit", args=[agreement.pk]), data)

    assert response.status_code == 200
    assert fresh(agreement).version == 1
    errors = response.context["form"].errors
    assert list(errors) == ["section_activities"]
    assert f"at most {SECTION_MAX_LENGTH} characters" in errors["section_activities"][0]
    assert f'maxlength="{SECTION_MAX_LENGTH}"' in response.content.decode()
    # Exactly at the limit is saved.
    data["section_activities"] = "x" * SECTION_MAX_LENGTH
    client.post(reverse("agreements:edit", args=[agreement.pk]), data)
    assert current(agreement).content["sections"]["activities"] == "x" * SECTION_MAX_LENGTH


class Renders:
    """Counts the PDF and DOCX renderings (reportlab's build, python-docx's save)."""

    def __init__(self, monkeypatch):
        self.pdf = self.docx = 0
        build, save_docx = SimpleDocTemplate.build, DocxDocument.save

        def counted_build(doc, *args, **kwargs):
            self.pdf += 1
            return build(doc, *args, **kwargs)

        def counted_save(document, *args, **kwargs):
            self.docx += 1
            return save_docx(document, *args, **kwargs)

        monkeypatch.setattr(SimpleDocTemplate, "build", counted_build)
        monkeypatch.setattr(DocxDocument, "save", counted_save)


def _download(client, agreement, number, kind):
    response = client.get(reverse("agreements:document", args=[agreement.pk, number, kind]))
    assert response.status_code == 200
    return response.content


def test_a_versions_documents_are_rendered_once_and_a_new_version_anew(
    client, cast, agreement, monkeypatch
):
    renders = Renders(monkeypatch)
    client.force_login(cast.coordinator)

    first_pdf = _download(client, agreement, 1, "pdf")
    second_pdf = _download(client, agreement, 1, "pdf")
    first_docx = _download(client, agreement, 1, "docx")
    second_docx = _download(client, agreement, 1, "docx")

    assert (renders.pdf, renders.docx) == (1, 1)
    assert (second_pdf, second_docx) == (first_pdf, first_docx)
    assert RenderedDocument.objects.filter(version=current(agreement)).count() == 2

    save(agreement, cast.coordinator, sections={"activities": "Läxhjälp på tisdagar."})
    new_pdf = _download(client, agreement, 2, "pdf")
    assert renders.pdf == 2
    assert "Läxhjälp på tisdagar." in "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(new_pdf)).pages
    )
    _download(client, agreement, 2, "pdf")
    assert renders.pdf == 2


def test_a_kept_document_follows_what_it_prints(client, cast, in_review, monkeypatch):
    """An approval (or a newer version, or a new status) changes the printed page,
    so the version's document renders again rather than being served stale."""
    renders = Renders(monkeypatch)
    client.force_login(cast.coordinator)
    number = current(in_review).number
    _download(client, in_review, number, "pdf")

    approve(in_review, cast.municipality, cast.coordinator, signatory="Anna Andersson, chef")
    pdf = _download(client, in_review, number, "pdf")

    assert renders.pdf == 2
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Anna Andersson" in text
    # The older rendering gave way: one kept per version and format.
    assert RenderedDocument.objects.filter(version__agreement=in_review, kind="pdf").count() == 1
