# SPDX-License-Identifier: AGPL-3.0-or-later
"""Agreements in the API: drafted, edited by two parties at once, sent for review,
approved by both, and read by whom the rules allow."""

import difflib
import json
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from samverka.accounts.services import create_api_token
from samverka.agreements import services
from samverka.agreements.content import SECTION_MAX_LENGTH
from samverka.agreements.models import Agreement, AgreementStatus, AgreementTemplate
from samverka.agreements.tests.long_texts import (
    BoundedMatcher,
    long_sections,
    rewritten,
    with_ten_text_sections,
)
from samverka.api.tests import test_schemathesis as fuzz
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import Partnership, Visibility


def _client(user=None, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _token_client(user):
    _token, raw = create_api_token(user=user, name="test")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})


def _put(client, url, body, **kwargs):
    return client.put(url, json.dumps(body), content_type="application/json", **kwargs)


def _post(client, url, body, **kwargs):
    return client.post(url, json.dumps(body), content_type="application/json", **kwargs)


def _url(agreement_or_pk, tail=""):
    pk = getattr(agreement_or_pk, "pk", agreement_or_pk)
    return f"/api/agreements/{pk}{tail}"


def _locs(response):
    return [item["loc"] for item in response.json()["detail"]]


@pytest.fixture
def partnership(cast):
    """Led by Göteborgs Stad, with Røde Kors Esbjerg as an active partner."""
    load_checklist()
    made = partnership_services.create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement="Unga saknar meningsfull fritid på helgerna.",
    )
    member = partnership_services.invite_organisation(
        partnership=made, organisation=cast.ngo, role="partner", by=cast.org_admin
    )
    partnership_services.respond(member=member, accept=True, by=cast.other_member)
    return made


@pytest.fixture
def agreement(cast, partnership):
    return services.create_agreement(
        partnership=partnership,
        template=AgreementTemplate.objects.get(code="iop"),
        by=cast.coordinator,
        language="sv",
    )


def test_a_save_with_the_hash_updates_the_working_draft_and_still_conflicts(cast, agreement):
    """Before review, saves that name the content they read keep version 1; a
    second editor who read the older text is refused, not overwriting."""
    lead, partner = _client(cast.coordinator), _client(cast.other_member)
    read = lead.get(_url(agreement)).json()
    first = _put(
        lead,
        _url(agreement),
        {"version": 1, "content_hash": read["content_hash"], "title": "Trygga helger"},
    )
    assert first.status_code == 200, first.content
    assert (first.json()["version"], first.json()["title"]) == (1, "Trygga helger")
    stale = {"version": 1, "content_hash": read["content_hash"], "title": "Vårt förslag"}
    refused = _put(partner, _url(agreement), stale)
    assert refused.status_code == 409
    assert refused.json()["content_hash"] == first.json()["content_hash"]
    assert Agreement.objects.get(pk=agreement.pk).title == "Trygga helger"
    again = _put(
        partner, _url(agreement), {**stale, "content_hash": refused.json()["content_hash"]}
    )
    assert (again.json()["version"], again.json()["title"]) == (1, "Vårt förslag")
    assert agreement.versions.count() == 1


def _complete(cast, agreement):
    """Every section written and both parties contributing: nothing blocks."""
    sections = {
        section["code"]: f"Text om {section['code']}."
        for section in agreement.template.sections
        if section["kind"] in ("text", "duration")
    }
    return {
        "sections": sections,
        "contributions": [
            {"party": cast.municipality.pk, "year": 2026, "kind": "money", "amount": "250000",
             "currency": "SEK", "description": "Lokaler och samordning"},
            {"party": cast.ngo.pk, "year": 2026, "kind": "volunteers", "amount": "400"},
        ],
        "dates": {"starts_on": "2026-09-01", "ends_on": "2028-08-31",
                  "review_dates": ["2027-09-01", "2027-03-01"]},
    }  # fmt: skip


def _agreement_in_review(cast, agreement):
    services.save_agreement(
        agreement=agreement, changes=_complete(cast, agreement), by=cast.coordinator, base_version=1
    )
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    agreement.refresh_from_db()
    return agreement


# Templates


def test_it_lists_the_active_templates_in_the_requests_language(cast):
    AgreementTemplate.objects.filter(code="bid").update(active=False)

    response = Client().get("/api/agreement-templates", HTTP_ACCEPT_LANGUAGE="sv")

    assert response.status_code == 200
    templates = {t["code"]: t for t in response.json()}
    assert "bid" not in templates
    iop = AgreementTemplate.objects.get(code="iop")
    assert templates["iop"]["name"] == iop.name["sv"]
    assert templates["iop"]["form"] == "iop"
    assert templates["iop"]["country"] == "SE"
    assert templates["pilot"]["requires_post_pilot"] is True
    section = templates["iop"]["sections"][1]
    assert section == {
        "code": iop.sections[1]["code"],
        "kind": iop.sections[1]["kind"],
        "mandatory": iop.sections[1]["mandatory"],
        "title": iop.sections[1]["title"]["sv"],
        "guidance": iop.sections[1]["guidance"]["sv"],
    }

    english = Client().get("/api/agreement-templates", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {t["code"]: t for t in english}["iop"]["name"] == iop.name["en"]


# The round trip


def test_it_goes_from_draft_to_approved_by_both_parties(cast, partnership):
    lead, partner = _token_client(cast.coordinator), _token_client(cast.other_member)

    created = _post(
        lead,
        f"/api/partnerships/{partnership.pk}/agreements",
        {"template": "iop", "language": "sv"},
    )
    assert created.status_code == 201, created.content
    draft = created.json()
    pk = draft["id"]
    assert (draft["status"], draft["version"], draft["language"]) == ("draft", 1, "sv")
    assert [p["organisation"] for p in draft["content"]["parties"]] == [
        cast.municipality.pk,
        cast.ngo.pk,
    ]
    assert "mandatory_section_empty" in {f["code"] for f in draft["findings"]}
    assert draft["documents"]["pdf"].endswith(f"/{pk}/versions/1/document.pdf")

    # The lead writes the text; the partner, still on version 1, is refused.
    mine = _put(
        lead, _url(pk), {"version": 1, **_complete(cast, Agreement.objects.get(pk=pk)),
                         "note": "Första utkastet"}
    )  # fmt: skip
    assert mine.status_code == 200, mine.content
    saved = mine.json()
    assert saved["version"] == 2
    assert not [f for f in saved["findings"] if f["level"] == "error"]
    assert saved["totals"]["by_party"][str(cast.municipality.pk)] == {"money": {"SEK": "250000"}}
    assert saved["totals"]["by_unit"] == {"SEK": "250000", "h": "400"}
    assert saved["content"]["dates"]["review_dates"] == ["2027-03-01", "2027-09-01"]

    theirs = _put(partner, _url(pk), {"version": 1, "title": "Vårt eget förslag"})
    assert theirs.status_code == 409
    conflict = theirs.json()
    assert conflict["current_version"] == 2
    assert conflict["content"] == saved["content"]
    assert "Someone else saved" in conflict["detail"]
    assert Agreement.objects.get(pk=pk).version == 2

    # Sent for review; each party approves the version it read.
    review = _post(lead, _url(pk, "/status"), {"to": "in_review"})
    assert review.status_code == 200, review.content
    assert review.json()["status"] == "in_review"

    approval = {"version": 2, "content_hash": saved["content_hash"]}
    first = _post(
        lead,
        _url(pk, "/approve"),
        approval | {"organisation": cast.municipality.pk, "signatory": "Anna Testsson, chef"},
    )
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "in_review"
    assert first.json()["parties_waiting"] == [cast.ngo.pk]

    second = _post(
        partner,
        _url(pk, "/approve"),
        approval | {"organisation": cast.ngo.pk, "signatory": "Mette Testsson, formand"},
    )
    assert second.status_code == 200, second.content
    approved = second.json()
    assert approved["status"] == "approved"
    assert approved["parties_waiting"] == []
    assert [(a["organisation_name"], a["content_hash"]) for a in approved["approvals"]] == [
        ("Göteborgs Stad", saved["content_hash"]),
        ("Røde Kors Esbjerg", saved["content_hash"]),
    ]

    # The history of versions, and what changed between them.
    versions = lead.get(_url(pk, "/versions")).json()
    assert [(v["number"], v["note"], v["created_by"]) for v in versions] == [
        (2, "Första utkastet", "Anna Testsson"),
        (1, "", "Anna Testsson"),
    ]
    first_version = lead.get(_url(pk, "/versions/1")).json()
    assert first_version["content_hash"] == draft["content_hash"]
    assert first_version["content"] == draft["content"]
    changes = {c["key"]: c for c in lead.get(_url(pk, "/compare"), {"a": 1, "b": 2}).json()}
    assert changes["section:activities"]["new"] == "Text om activities."
    assert ["added", "Text om activities."] in changes["section:activities"]["parts"]


def test_a_change_after_approval_makes_it_lapse(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    version = agreement.versions.get(number=agreement.version)
    for organisation, user in [(cast.municipality, cast.org_admin), (cast.ngo, cast.other_member)]:
        services.approve_agreement(
            agreement=agreement,
            organisation=organisation,
            by=user,
            version=version.number,
            content_hash=version.content_hash,
            signatory="Namn, titel",
        )

    response = _put(_client(cast.other_member), _url(agreement), {"version": 2, "title": "Ny"})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["version"], body["approvals"]) == ("in_review", 3, [])
    assert body["parties_waiting"] == [cast.municipality.pk, cast.ngo.pk]


def test_it_refuses_an_approval_of_a_version_that_changed(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    current = agreement.versions.get(number=agreement.version)

    response = _post(
        _client(cast.org_admin),
        _url(agreement, "/approve"),
        {
            "organisation": cast.municipality.pk,
            "version": current.number,
            "content_hash": "0" * 64,
            "signatory": "Erik Testsson",
        },
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == current.number
    assert response.json()["content"] == current.content
    assert not current.approvals.exists()


def test_it_refuses_to_approve_for_an_organisation_one_does_not_act_for(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    current = agreement.versions.get(number=agreement.version)
    body = {"version": current.number, "content_hash": current.content_hash, "signatory": "X"}

    for_the_ngo = _post(
        _client(cast.org_admin), _url(agreement, "/approve"), body | {"organisation": cast.ngo.pk}
    )
    by_a_member = _post(
        _client(cast.member),
        _url(agreement, "/approve"),
        body | {"organisation": cast.municipality.pk},
    )

    assert (for_the_ngo.status_code, by_a_member.status_code) == (403, 403)
    assert not current.approvals.exists()


def test_it_refuses_an_approval_without_a_signatory_in_the_users_language(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    current = agreement.versions.get(number=agreement.version)

    response = _post(
        _client(cast.org_admin),
        _url(agreement, "/approve"),
        {
            "organisation": cast.municipality.pk,
            "version": current.number,
            "content_hash": current.content_hash,
            "signatory": "   ",
        },
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 422
    assert _locs(response) == [["body", "payload", "signatory"]]


# Field errors


def test_field_errors_name_the_row_and_the_field(cast, agreement):
    client = _client(cast.coordinator)
    row = {"party": cast.municipality.pk, "year": 2026, "kind": "money", "currency": "SEK"}

    response = _put(
        client,
        _url(agreement),
        {
            "version": 1,
            "contributions": [
                row | {"amount": "100"},
                row | {"amount": "-5"},
                row | {"amount": "many"},
                row | {"currency": "", "amount": "10"},
                row | {"year": 1800},
            ],
            "principles": [{"code": "x", "name": " "}],
            "dates": {"starts_on": "1 september"},
        },
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 422
    detail = {tuple(item["loc"][2:]): item["msg"] for item in response.json()["detail"]}
    assert set(detail) >= {
        ("contributions", 1, "amount"),
        ("contributions", 2, "amount"),
        ("contributions", 3, "currency"),
        ("contributions", 4, "year"),
        ("principles", 0, "name"),
    }
    assert not any(key[:2] == ("contributions", 0) for key in detail)
    assert "Fyll i ett tal." in detail[("contributions", 2, "amount")]  # Django's sv message
    assert "Detta fält måste fyllas i." in detail[("contributions", 3, "currency")]
    assert Agreement.objects.get(pk=agreement.pk).version == 1


def test_a_contribution_must_come_from_a_party(cast, agreement, partnership):
    outsider_org = cast.ngo.__class__.objects.create(name="Volvo", country="SE", sector="business")
    rows = [
        {"party": cast.ngo.pk, "year": 2026, "kind": "staff_hours", "amount": "10"},
        {"party": outsider_org.pk, "year": 2026, "kind": "staff_hours", "amount": "10"},
    ]

    response = _put(
        _client(cast.coordinator),
        _url(agreement),
        {"version": 1, "contributions": rows, "sections": {"no_such_section": "Text."}},
    )

    assert response.status_code == 400
    assert sorted(_locs(response), key=str) == [
        ["body", "contributions", 1, "party"],
        ["body", "sections", "no_such_section"],
    ]
    assert Agreement.objects.get(pk=agreement.pk).version == 1


def test_it_answers_400_with_the_services_messages(cast, agreement):
    client = _client(cast.coordinator)

    dates = _put(
        client,
        _url(agreement),
        {"version": 1, "dates": {"starts_on": "2027-01-01", "ends_on": "2026-01-01"}},
    )
    blocked = _post(client, _url(agreement, "/status"), {"to": "in_review"})
    not_approved = _post(client, _url(agreement, "/status"), {"to": "in_force"})

    assert dates.status_code == 400
    assert _locs(dates) == [["body", "ends_on"]]
    assert blocked.status_code == 400
    assert any("mandatory" in item["msg"] for item in blocked.json()["detail"])
    assert not_approved.status_code == 400
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT


def test_it_refuses_nul_characters_anywhere(cast, agreement):
    response = _put(
        _client(cast.coordinator),
        _url(agreement),
        {"version": 1, "principles": [{"name": "Öppenhet", "meaning": "a\x00b"}]},
    )

    assert response.status_code == 422
    assert _locs(response) == [["body", "payload", "principles", 0, "meaning"]]


def test_the_lead_puts_it_in_force_and_terminates_it(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    version = agreement.versions.get(number=agreement.version)
    for organisation, user in [(cast.municipality, cast.org_admin), (cast.ngo, cast.other_member)]:
        services.approve_agreement(
            agreement=agreement,
            organisation=organisation,
            by=user,
            version=version.number,
            content_hash=version.content_hash,
            signatory="Namn, titel",
        )
    lead, partner = _client(cast.coordinator), _client(cast.other_member)

    assert _post(partner, _url(agreement, "/status"), {"to": "in_force"}).status_code == 403
    assert _post(lead, _url(agreement, "/status"), {"to": "in_force"}).json()["status"] == (
        "in_force"
    )
    no_reason = _post(lead, _url(agreement, "/status"), {"to": "terminated"})
    assert no_reason.status_code == 400
    assert _locs(no_reason) == [["body", "reason"]]
    ended = _post(lead, _url(agreement, "/status"), {"to": "terminated", "reason": "Klart."})
    assert ended.status_code == 200
    assert (ended.json()["status"], ended.json()["termination_reason"]) == ("terminated", "Klart.")


# Who sees what


def test_an_outsider_gets_404_for_a_draft(cast, agreement):
    outsider = _client(cast.outsider)

    assert outsider.get(_url(agreement)).status_code == 404
    assert outsider.get(_url(agreement, "/versions")).status_code == 404
    assert outsider.get(_url(agreement, "/versions/1")).status_code == 404
    assert _put(outsider, _url(agreement), {"version": 1, "title": "X"}).status_code == 404
    assert Client().get(_url(agreement)).status_code == 404


def test_a_partnership_member_without_a_party_role_reads_but_does_not_edit(cast, agreement):
    member = _client(cast.member)

    assert member.get(_url(agreement)).status_code == 200
    assert _put(member, _url(agreement), {"version": 1, "title": "X"}).status_code == 403
    assert (
        _post(
            member, f"/api/partnerships/{agreement.partnership_id}/agreements", {"template": "iop"}
        )
    ).status_code == 403


def test_anyone_reads_the_approved_agreement_of_a_public_partnership(cast, agreement):
    agreement = _agreement_in_review(cast, agreement)
    draft = services.create_agreement(
        partnership=agreement.partnership, template=agreement.template, by=cast.coordinator
    )
    version = agreement.versions.get(number=agreement.version)
    for organisation, user in [(cast.municipality, cast.org_admin), (cast.ngo, cast.other_member)]:
        services.approve_agreement(
            agreement=agreement,
            organisation=organisation,
            by=user,
            version=version.number,
            content_hash=version.content_hash,
            signatory="Namn, titel",
        )
    Partnership.objects.filter(pk=agreement.partnership_id).update(visibility=Visibility.PUBLIC)
    anonymous = Client()

    read = anonymous.get(_url(agreement))
    assert read.status_code == 200
    assert read.json()["status"] == "approved"
    assert {v["created_by"] for v in anonymous.get(_url(agreement, "/versions")).json()} == {""}
    listed = anonymous.get(f"/api/partnerships/{agreement.partnership_id}/agreements").json()
    assert [a["id"] for a in listed] == [agreement.pk]  # not the draft
    assert anonymous.get(_url(draft)).status_code == 404
    assert _put(anonymous, _url(agreement), {"version": 2, "title": "X"}).status_code == 401
    assert _post(anonymous, _url(agreement, "/status"), {"to": "in_force"}).status_code == 401


def test_it_answers_404_for_a_missing_version(cast, agreement):
    client = _client(cast.coordinator)

    assert client.get(_url(agreement, "/versions/2")).status_code == 404
    assert client.get(_url(agreement, "/compare"), {"a": 1, "b": 2}).status_code == 404
    assert client.get(_url(agreement, "/compare"), {"a": 1, "b": 1}).json() == []
    assert client.get(_url(999_999)).status_code == 404


def test_it_refuses_an_unknown_template(cast, partnership):
    response = _post(
        _client(cast.coordinator),
        f"/api/partnerships/{partnership.pk}/agreements",
        {"template": "nonsense"},
    )

    assert response.status_code == 400
    assert _locs(response) == [["body", "template"]]
    assert not Agreement.objects.exists()


# Query counts


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_reading_an_agreement_takes_the_same_queries_however_many_contributions(cast, agreement):
    client = _client(cast.coordinator)
    client.get(_url(agreement))  # session and language, warmed up
    row = {"party": cast.ngo.pk, "year": 2026, "kind": "staff_hours", "amount": "5"}

    services.save_agreement(
        agreement=agreement, changes={"contributions": [row]}, by=cast.coordinator, base_version=1
    )
    few = _queries(client, _url(agreement))
    services.save_agreement(
        agreement=agreement,
        changes={"contributions": [row | {"year": 2000 + n} for n in range(40)]},
        by=cast.coordinator,
        base_version=2,
    )
    many = _queries(client, _url(agreement))

    assert few == many


def test_listing_agreements_takes_the_same_queries_however_many_there_are(cast, agreement):
    client = _client(cast.member)
    url = f"/api/partnerships/{agreement.partnership_id}/agreements"
    client.get(url)
    one = _queries(client, url)
    for _n in range(4):
        services.create_agreement(
            partnership=agreement.partnership, template=agreement.template, by=cast.coordinator
        )

    five = _queries(client, url)

    assert one == five
    assert len(client.get(url).json()) == 5


# Fuzzing the writes against a real agreement (the schema-wide fuzz test mostly
# meets 404s here): whatever the body, a documented answer and never a 5xx.

in_process = fuzz.in_process


@pytest.mark.parametrize(
    ("method", "path", "in_review"),
    [
        ("PUT", "/api/agreements/{pk}", False),
        ("POST", "/api/agreements/{pk}/status", False),
        ("POST", "/api/agreements/{pk}/approve", True),
        ("POST", "/api/partnerships/{pk}/agreements", False),
        ("GET", "/api/agreements/{pk}/compare", False),
    ],
)
def test_any_request_to_a_real_agreement_gets_a_documented_answer(
    cast, agreement, in_process, method, path, in_review
):
    if in_review:
        agreement = _agreement_in_review(cast, agreement)
    current = agreement.versions.get(number=agreement.version)
    _token, raw = create_api_token(user=cast.coordinator, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    operation = fuzz.schema[path][method]

    @fuzz.FUZZ
    @given(case=operation.as_strategy(), aim=st.booleans())
    def run(case, aim):
        is_partnership = path.startswith("/api/partnerships")
        case.path_parameters["pk"] = agreement.partnership_id if is_partnership else agreement.pk
        if aim and isinstance(case.body, dict):
            # Past the conflict check, the permission check and the template lookup.
            aimed = {
                "version": current.number,
                "content_hash": current.content_hash,
                "organisation": cast.municipality.pk,
                "template": "iop",
            }
            case.body.update({k: v for k, v in aimed.items() if k in case.body})
        if aim and method == "GET":
            case.query = {"a": 1, "b": current.number}
        fuzz._call(case, headers=headers)

    run()


# Long agreements: the same length limit as the forms, and bounded comparisons.


def test_an_over_long_section_is_refused_with_the_section_named(cast, agreement):
    limit = SECTION_MAX_LENGTH

    response = _put(
        _client(cast.coordinator),
        _url(agreement),
        {"version": 1, "sections": {"activities": "x" * (limit + 1)}},
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["loc"] == ["body", "payload", "sections", "activities"]
    # Django's message, as the form gives it, in the request's language.
    assert item["msg"] == (
        f"Säkerställ att detta värde har som mest {limit} tecken (den har {limit + 1})."
    )
    assert Agreement.objects.get(pk=agreement.pk).version == 1
    accepted = _put(
        _client(cast.coordinator),
        _url(agreement),
        {"version": 1, "sections": {"activities": "x" * limit}},
    )
    assert accepted.status_code == 200


def test_comparing_two_versions_of_ten_long_sections_takes_bounded_work(
    cast, agreement, monkeypatch
):
    codes = with_ten_text_sections(agreement.template)
    sections = long_sections(codes, seed=1)
    for number, changed in enumerate(
        (sections, {code: rewritten(text, 2) for code, text in sections.items()}), start=1
    ):
        services.save_agreement(
            agreement=agreement, changes={"sections": changed}, by=cast.coordinator,
            base_version=number,
        )  # fmt: skip
    monkeypatch.setattr(difflib, "SequenceMatcher", BoundedMatcher)

    started = time.perf_counter()
    response = _client(cast.coordinator).get(_url(agreement, "/compare"), {"a": 2, "b": 3})
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < 5, f"{elapsed:.1f} s"
    changes = response.json()
    assert [change["key"] for change in changes] == [f"section:{code}" for code in codes]
    for change in changes:
        assert "".join(text for kind, text in change["parts"] if kind != "added") == change["old"]
        assert "".join(text for kind, text in change["parts"] if kind != "removed") == change["new"]
