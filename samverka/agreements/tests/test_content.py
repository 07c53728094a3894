# SPDX-License-Identifier: AGPL-3.0-or-later
"""An agreement's content as plain data: the hash parties approve, totals that
never add one currency to another, and amounts as people read them."""

import datetime
import hashlib
from decimal import Decimal

import pytest

from samverka.agreements.content import (
    HOURS,
    content_hash,
    contribution_totals,
    date_or_none,
    decimal_or_none,
    empty_content,
    format_amount,
)

NBSP = "\u00a0"


def row(party, kind, amount, currency=""):
    return {"party": party, "kind": kind, "amount": amount, "currency": currency}


# Totals


def test_it_never_adds_different_currencies():
    totals = contribution_totals(
        [
            row(1, "money", "1000", "SEK"),
            row(1, "money", "500.50", "SEK"),
            row(2, "money", "200", "EUR"),
            row(2, "premises", "300", "EUR"),
        ]
    )

    assert totals.by_unit == {"SEK": Decimal("1500.50"), "EUR": Decimal("500")}
    assert totals.mixed_currencies
    assert totals.by_party[1] == {"money": {"SEK": Decimal("1500.50")}}
    assert totals.by_party[2] == {"money": {"EUR": Decimal("200")}, "premises": {"EUR": 300}}
    assert totals.by_kind["money"] == {"SEK": Decimal("1500.50"), "EUR": Decimal("200")}


def test_it_sums_staff_and_volunteer_hours_in_hours_whatever_the_currency_says():
    totals = contribution_totals(
        [
            row(1, "staff_hours", "10", "SEK"),
            row(1, "staff_hours", "2.5"),
            row(2, "volunteers", "100", "EUR"),
            row(2, "money", "1000", "SEK"),
        ]
    )

    assert totals.by_unit == {HOURS: Decimal("112.5"), "SEK": Decimal("1000")}
    assert totals.by_kind == {
        "staff_hours": {HOURS: Decimal("12.5")},
        "volunteers": {HOURS: Decimal("100")},
        "money": {"SEK": Decimal("1000")},
    }
    assert totals.by_party[1] == {"staff_hours": {HOURS: Decimal("12.5")}}
    assert not totals.mixed_currencies  # hours are not a currency


def test_it_has_no_mixed_currencies_with_one_currency_or_none():
    assert not contribution_totals(
        [row(1, "money", "1", "SEK"), row(2, "other", "2", "SEK")]
    ).mixed_currencies
    assert not contribution_totals([]).mixed_currencies


@pytest.mark.parametrize("amount", ["", None, "abc", "NaN", "Infinity", "-Infinity", "1,5"])
def test_it_leaves_out_amounts_that_are_not_numbers(amount):
    totals = contribution_totals([row(1, "money", amount, "SEK"), row(1, "money", "7", "SEK")])
    assert totals.by_unit == {"SEK": Decimal("7")}


def test_it_leaves_out_money_without_a_currency():
    totals = contribution_totals([row(1, "money", "100"), row(2, "volunteers", "5")])
    assert totals.by_unit == {HOURS: Decimal("5")}
    assert 1 not in totals.by_party


def test_it_sums_exactly():
    totals = contribution_totals([row(1, "money", "0.1", "SEK")] * 3)
    assert totals.by_unit["SEK"] == Decimal("0.3")


# The hash


def test_it_hashes_the_canonical_json():
    value = {
        "title": "Överenskommelse",
        "amount": "1000.50",
        "parties": [{"organisation": 1, "name": "Røde Kors"}],
    }
    canonical = (
        '{"amount":"1000.50","parties":[{"name":"Røde Kors","organisation":1}],'
        '"title":"Överenskommelse"}'
    )
    # Fixed: every stored approval carries a hash computed this way.
    assert content_hash(value) == hashlib.sha256(canonical.encode()).hexdigest()
    assert content_hash(value) == "1b88bf770e06f6603ea03cc0f3a661e10620d74c2944eae23ba65efb8d2ee1fc"


def test_it_gives_the_same_hash_whatever_the_key_order():
    one = {"a": 1, "b": {"x": "1", "y": [1, 2, {"p": "q", "r": "s"}]}, "c": "å"}
    two = {"c": "å", "b": {"y": [1, 2, {"r": "s", "p": "q"}], "x": "1"}, "a": 1}
    assert content_hash(one) == content_hash(two)


def test_it_changes_the_hash_with_any_value():
    base = empty_content()
    base["sections"] = {"background": "Unga saknar fritid."}
    base["contributions"] = [row(1, "money", "1000", "SEK")]
    reference = content_hash(base)

    variants = []
    for change in (
        lambda c: c["sections"].update(background="Unga saknar fritid!"),
        lambda c: c["sections"].update(background="Unga saknar fritid. "),
        lambda c: c["contributions"][0].update(amount="1000.0"),
        lambda c: c["contributions"][0].update(currency="EUR"),
        lambda c: c["dates"].update(notice_months=0),
        lambda c: c["dates"]["review_dates"].append("2027-01-01"),
        lambda c: c.update(title="X"),
        lambda c: c["contributions"].append(row(1, "money", "1000", "SEK")),
    ):
        variant = empty_content()
        variant["sections"] = {"background": "Unga saknar fritid."}
        variant["contributions"] = [row(1, "money", "1000", "SEK")]
        change(variant)
        variants.append(content_hash(variant))

    assert reference not in variants
    assert len(set(variants)) == len(variants)


def test_it_changes_the_hash_with_the_order_of_a_list():
    assert content_hash({"review_dates": ["2027-01-01", "2028-01-01"]}) != content_hash(
        {"review_dates": ["2028-01-01", "2027-01-01"]}
    )


# Formatting and parsing


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        ("1234567.5", "SEK", f"1{NBSP}234{NBSP}567.50{NBSP}SEK"),
        ("1000", "h", f"1{NBSP}000{NBSP}h"),
        ("1000.00", "EUR", f"1{NBSP}000{NBSP}EUR"),
        ("999", "DKK", f"999{NBSP}DKK"),
        ("0.5", "NOK", f"0.50{NBSP}NOK"),
        ("-2500", "SEK", f"-2{NBSP}500{NBSP}SEK"),
        ("12", "", "12"),
    ],
)
def test_it_formats_amounts_with_their_unit(amount, unit, text):
    assert format_amount(Decimal(amount), unit) == text


def test_it_reads_decimals_and_dates_or_nothing():
    assert decimal_or_none("12.50") == Decimal("12.50")
    assert decimal_or_none(3) == Decimal(3)
    assert [decimal_or_none(v) for v in (None, "", "x", "NaN", "Infinity")] == [None] * 5
    assert date_or_none("2027-03-01") == datetime.date(2027, 3, 1)
    assert [date_or_none(v) for v in (None, "", "2027-02-30", "1 mars")] == [None] * 4


def test_it_starts_from_an_empty_content_with_every_key():
    value = empty_content()
    assert set(value) == {
        "title",
        "language",
        "template",
        "parties",
        "sections",
        "contributions",
        "principles",
        "after_pilot",
        "dates",
        "public_payment",
    }
    value["parties"].append({"organisation": 1})
    assert empty_content()["parties"] == []  # a fresh copy each time
