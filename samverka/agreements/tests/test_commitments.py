# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an agreement commits to, as rows: written when the last party approves,
once per version, read back as the newest version's, and written for agreements
approved before the rows existed."""

import importlib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Sum
from django.urls import reverse

from samverka.agreements import commitments, services
from samverka.agreements.catalogue import LANGUAGES, principles
from samverka.agreements.commitments import current_commitments, parse, write_commitments
from samverka.agreements.models import (
    AgreementStatus,
    AgreementTemplate,
    CommittedContribution,
    CommittedDate,
    CommittedPilotPath,
    CommittedPrinciple,
)

from .conftest import approve, complete, current, days, fresh, save

ROW_MODELS = (CommittedContribution, CommittedPrinciple, CommittedPilotPath, CommittedDate)


def contributions(cast, *, money: str = "100000"):
    """The municipality pays in two years, the NGO gives hours and premises."""
    city, ngo = cast.municipality.pk, cast.ngo.pk
    return [
        {"party": city, "year": 2026, "kind": "money", "amount": money, "currency": "SEK",
         "description": "Lokalhyra"},
        {"party": city, "year": 2027, "kind": "money", "amount": "80000.50", "currency": "SEK",
         "description": ""},
        {"party": city, "year": 2026, "kind": "staff_hours", "amount": "120", "currency": "",
         "description": "Fritidsledare"},
        {"party": ngo, "year": 2026, "kind": "volunteers", "amount": "500", "currency": "",
         "description": "Nattvandringar"},
        {"party": ngo, "year": 2026, "kind": "money", "amount": "15000", "currency": "DKK",
         "description": "Egen insamling"},
        {"party": ngo, "year": 2026, "kind": "premises", "amount": "", "currency": "",
         "description": "Klubblokalen på lördagar"},
    ]  # fmt: skip


def rows_of(version) -> int:
    return sum(model.objects.filter(version=version).count() for model in ROW_MODELS)


@pytest.fixture
def reviewed(cast, agreement):
    complete(
        agreement,
        cast.coordinator,
        contributions=contributions(cast),
        dates={
            "starts_on": days(10).isoformat(),
            "ends_on": days(730).isoformat(),
            "notice_months": 3,
            "review_dates": [days(365).isoformat(), days(180).isoformat()],
        },
    )
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    return fresh(agreement)


def approve_by_all(cast, agreement):
    approve(agreement, cast.municipality, cast.coordinator)
    approve(agreement, cast.ngo, cast.other_member)
    return fresh(agreement)


def test_it_writes_the_contributions_per_party_year_kind_and_unit(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)

    rows = CommittedContribution.objects.filter(agreement=agreement).order_by("position")
    assert [(r.party_id, r.year, r.kind, r.amount, r.unit, r.description) for r in rows] == [
        (cast.municipality.pk, 2026, "money", Decimal("100000.00"), "SEK", "Lokalhyra"),
        (cast.municipality.pk, 2027, "money", Decimal("80000.50"), "SEK", ""),
        (cast.municipality.pk, 2026, "staff_hours", Decimal("120.00"), "h", "Fritidsledare"),
        (cast.ngo.pk, 2026, "volunteers", Decimal("500.00"), "h", "Nattvandringar"),
        (cast.ngo.pk, 2026, "money", Decimal("15000.00"), "DKK", "Egen insamling"),
        (cast.ngo.pk, 2026, "premises", None, "", "Klubblokalen på lördagar"),
    ]
    assert {r.version_id for r in rows} == {current(agreement).pk}


def test_it_writes_the_principles_path_after_the_pilot_and_dates(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)
    version = current(agreement)

    agreed = version.content["principles"]
    written = CommittedPrinciple.objects.filter(version=version).order_by("position")
    assert [(p.code, p.name, p.meaning) for p in written] == [
        (p["code"], p["name"], p["meaning"]) for p in agreed
    ]
    assert [p.code for p in written] == [p["code"] for p in principles()]

    path = CommittedPilotPath.objects.get(agreement=agreement)
    assert path.version == version
    assert (path.route, path.decision_on, path.budget, path.currency) == (
        "scale_up",
        days(200),
        Decimal("250000.00"),
        "SEK",
    )
    assert path.criteria == "Minst 40 unga deltar varje helg."

    dates = CommittedDate.objects.filter(version=version).order_by("on")
    assert [(d.kind, d.on) for d in dates] == [
        ("starts", days(10)),
        ("review", days(180)),
        ("review", days(365)),
        ("ends", days(730)),
    ]
    assert version.approved_by_all_at is not None


def test_it_writes_nothing_until_every_party_has_approved(cast, reviewed):
    approve(reviewed, cast.municipality, cast.coordinator)

    version = current(reviewed)
    assert fresh(reviewed).status == AgreementStatus.IN_REVIEW
    assert version.approved_by_all_at is None
    assert rows_of(version) == 0
    assert current_commitments(reviewed).version is None
    assert not current_commitments(reviewed).contributions.exists()


def test_it_writes_the_rows_of_a_version_only_once(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)
    version = current(agreement)
    before = rows_of(version)

    assert before == 6 + 6 + 1 + 4
    assert write_commitments(version) == 0
    assert commitments.write_all_approved() == 0
    assert rows_of(version) == before


def test_a_later_version_approved_by_all_has_its_own_rows_and_is_current(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)
    first = current(agreement)
    save(agreement, cast.coordinator, contributions=contributions(cast, money="150000"))
    second = current(agreement)
    agreement = fresh(agreement)
    assert agreement.status == AgreementStatus.IN_REVIEW

    # Until every party approves the change, the first version is in effect.
    in_effect = current_commitments(agreement)
    assert in_effect.version == first
    assert in_effect.contributions.get(position=0).amount == Decimal("100000.00")

    approve_by_all(cast, agreement)

    in_effect = current_commitments(agreement)
    assert in_effect.version == second
    assert in_effect.contributions.get(position=0).amount == Decimal("150000.00")
    assert in_effect.pilot_path.version == second
    assert in_effect.principles.count() == 6
    assert in_effect.dates.count() == 4
    # The first version keeps what it committed to.
    assert rows_of(first) == rows_of(second) == 17
    old = CommittedContribution.objects.get(version=first, position=0)
    assert old.amount == Decimal("100000.00")


def test_a_ledger_sums_the_money_in_effect_per_party_and_year(cast, reviewed, partnership, iop):
    agreement = approve_by_all(cast, reviewed)
    # A newer version approved by all replaces the first one in the sums.
    save(agreement, cast.coordinator, contributions=contributions(cast, money="150000"))
    approve_by_all(cast, agreement)
    # A second agreement, still in review, commits to nothing yet.
    other = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    complete(other, cast.coordinator, contributions=contributions(cast, money="999"))
    services.submit_for_review(agreement=other, by=cast.coordinator)
    approve(other, cast.municipality, cast.coordinator)

    totals = (
        CommittedContribution.objects.current()
        .filter(kind="money")
        .values_list("party", "year", "unit")
        .annotate(total=Sum("amount"))
        .order_by("party", "year")
    )
    assert sorted(totals) == sorted(
        [
            (cast.municipality.pk, 2026, "SEK", Decimal("150000.00")),
            (cast.municipality.pk, 2027, "SEK", Decimal("80000.50")),
            (cast.ngo.pk, 2026, "DKK", Decimal("15000.00")),
        ]
    )


def test_a_calendar_finds_the_reviews_in_effect_by_date(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)

    reviews = CommittedDate.objects.current().filter(kind="review", on__range=(days(0), days(200)))
    assert list(reviews.values_list("agreement", "on")) == [(agreement.pk, days(180))]


def _forget_rows(version) -> None:
    """As before the rows existed: approved by all, but with no rows and no mark."""
    for model in ROW_MODELS:
        model.objects.filter(version=version).delete()
    type(version).objects.filter(pk=version.pk).update(approved_by_all_at=None)


def test_the_data_migration_writes_the_rows_of_agreements_approved_before(cast, reviewed):
    agreement = approve_by_all(cast, reviewed)
    version = current(agreement)
    _forget_rows(version)
    assert current_commitments(agreement).version is None

    migration = importlib.import_module("samverka.agreements.migrations.0005_commitments")
    state = MigrationLoader(connection).project_state(("agreements", "0005_commitments"))
    migration.write_rows(state.apps, None)

    version.refresh_from_db()
    last_approval = version.approvals.order_by("-at").first()
    assert version.approved_by_all_at == last_approval.at
    assert rows_of(version) == 17
    assert current_commitments(agreement).version == version
    totals = CommittedContribution.objects.filter(version=version, unit="SEK").aggregate(
        total=Sum("amount")
    )
    assert totals["total"] == Decimal("180000.50")


def test_the_data_migration_leaves_versions_not_approved_by_all(cast, reviewed):
    approve(reviewed, cast.municipality, cast.coordinator)

    assert commitments.write_all_approved() == 0
    assert rows_of(current(reviewed)) == 0
    assert current(reviewed).approved_by_all_at is None


def test_it_leaves_out_what_binds_nobody_and_rounds_to_the_hundredth(cast):
    content = {
        "parties": [{"organisation": 1}, {"organisation": 2}],
        "contributions": [
            {"party": 3, "year": 2026, "kind": "money", "amount": "5", "currency": "SEK"},
            {"party": 1, "year": 2026, "kind": "", "amount": "5", "currency": "SEK"},
            {"party": 2, "year": "", "kind": "money", "amount": "12.345", "currency": "EUR"},
        ],
        "principles": [{"code": "", "name": "  ", "meaning": "x"}, {"name": "Egen", "code": ""}],
        "after_pilot": {"decision_on": "", "criteria": "", "route": "", "budget": ""},
        "dates": {"starts_on": "not a date", "ends_on": "", "review_dates": ["2027-01-31", ""]},
    }

    parsed = parse(content)

    assert [
        (c["position"], c["party_id"], c["year"], c["amount"]) for c in parsed.contributions
    ] == [(2, 2, None, Decimal("12.35"))]
    assert [(p["position"], p["name"]) for p in parsed.principles] == [(1, "Egen")]
    assert parsed.pilot_path is None
    assert [(kind, on.isoformat()) for kind, on in parsed.dates] == [("review", "2027-01-31")]


def test_the_principles_are_one_list_in_four_languages(db):
    data = principles()

    assert [p["code"] for p in data] == [
        "integrity",
        "dialogue",
        "quality",
        "long_term",
        "openness",
        "diversity",
    ]
    for principle in data:
        assert set(principle["name"]) == set(principle["guidance"]) == set(LANGUAGES)
        assert all(text.strip() for text in [*principle["name"].values()])
    # Every template proposes exactly these.
    assert AgreementTemplate.objects.exists()
    for template in AgreementTemplate.objects.all():
        assert template.principles == data
    # A caller's change stays its own.
    data[0]["name"]["en"] = "Changed"
    assert principles()[0]["name"]["en"] == "Integrity and independence"


def test_the_principles_page_names_the_defaults_from_the_data_in_the_readers_language(
    client, cast, agreement
):
    kept = [p for p in current(agreement).content["principles"] if p["code"] != "integrity"]
    save(agreement, cast.coordinator, principles=kept)
    client.force_login(cast.coordinator)

    response = client.get(
        reverse("agreements:principles", args=[agreement.pk]), HTTP_ACCEPT_LANGUAGE="nb"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Prinsippene i Göteborg-overenskomsten er standard:" in page
    # Removed from this agreement, still named as a default.
    defaults = page.split('class="default-principles"')[1].split("</ul>")[0]
    assert re.findall(r"<li>([^<]*)</li>", defaults) == [p["name"]["nb"] for p in principles()]


def test_the_admin_shows_the_rows_and_changes_none(client, cast, reviewed):
    agreement = approve_by_all(cast, reviewed)
    client.force_login(cast.platform_admin)

    for model in ROW_MODELS:
        name = model._meta.model_name
        listing = client.get(reverse(f"admin:agreements_{name}_changelist"))
        assert listing.status_code == 200, name
        assert agreement.title in listing.content.decode(), name
        assert client.get(reverse(f"admin:agreements_{name}_add")).status_code == 403
        row = model.objects.filter(agreement=agreement).first()
        page = client.get(reverse(f"admin:agreements_{name}_change", args=[row.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        delete = client.post(reverse(f"admin:agreements_{name}_delete", args=[row.pk]))
        assert delete.status_code == 403
        assert model.objects.filter(pk=row.pk).exists()
