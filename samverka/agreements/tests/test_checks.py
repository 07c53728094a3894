# SPDX-License-Identifier: AGPL-3.0-or-later
"""The checks shown while an agreement is written: each finding appears exactly
when its condition holds."""

import copy

import pytest
from django.utils import translation

from samverka.agreements import checks

MUNICIPALITY, NGO, COMPANY = 11, 22, 33

SECTIONS = [
    {"code": "parties", "kind": "parties", "mandatory": True, "title": {"en": "Parties"}},
    {
        "code": "background",
        "kind": "text",
        "mandatory": True,
        "title": {"en": "Background", "sv": "Bakgrund"},
    },
    {"code": "risks", "kind": "text", "mandatory": False, "title": {"en": "Risks"}},
    {"code": "contributions", "kind": "contributions", "mandatory": True, "title": {"en": "C"}},
    {"code": "duration", "kind": "duration", "mandatory": True, "title": {"en": "Duration"}},
    {"code": "follow_up", "kind": "text", "mandatory": False, "title": {"en": "Follow-up"}},
]

CLEAN = {
    "title": "IOP: Trygghet i Hammarkullen",
    "language": "en",
    "template": "iop",
    "parties": [
        {"organisation": MUNICIPALITY, "name": "Göteborgs Stad", "sector": "municipality"},
        {"organisation": NGO, "name": "Røde Kors Esbjerg", "sector": "civil_society"},
    ],
    "sections": {
        "background": "Unga saknar fritid.",
        "risks": "",
        "duration": "",
        "follow_up": "Vi följer upp varje halvår.",
    },
    "contributions": [
        {"party": MUNICIPALITY, "kind": "money", "amount": "100000", "currency": "SEK"},
        {"party": NGO, "kind": "volunteers", "amount": "500", "currency": ""},
    ],
    "principles": [],
    "after_pilot": {"decision_on": "", "criteria": "", "route": "", "detail": "", "budget": ""},
    "dates": {"starts_on": "2027-01-01", "ends_on": "2028-12-31", "review_dates": []},
    "public_payment": "co_financing",
}


def content(**changes):
    result = copy.deepcopy(CLEAN)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key].update(value)
        else:
            result[key] = value
    return result


def findings(value, *, form="iop", requires_post_pilot=False, sections=SECTIONS):
    return checks.check_agreement(
        value, sections=sections, form=form, requires_post_pilot=requires_post_pilot
    )


def codes(value, **options):
    return sorted(finding.code for finding in findings(value, **options))


@pytest.mark.parametrize("form", ["iop", "samarbeidsavtale", "partnerskabsaftale", "pilot"])
def test_it_finds_nothing_in_a_complete_agreement(form):
    assert findings(content(), form=form) == []


def test_it_finds_nothing_when_a_pilot_says_what_comes_after():
    after = {"decision_on": "2028-06-01", "criteria": "40 unga per helg", "route": "procurement"}
    assert findings(content(after_pilot=after), requires_post_pilot=True) == []


# end_before_start


def test_it_finds_an_end_before_the_start():
    found = findings(content(dates={"starts_on": "2027-01-01", "ends_on": "2026-12-31"}))
    assert [(f.level, f.code, f.section) for f in found] == [
        (checks.ERROR, "end_before_start", "duration")
    ]


@pytest.mark.parametrize(
    "dates",
    [
        {"starts_on": "2027-01-01", "ends_on": "2027-01-01"},  # a one-day agreement
        {"starts_on": "2027-01-01", "ends_on": ""},
        {"starts_on": "", "ends_on": "2020-01-01"},
        {"starts_on": "not a date", "ends_on": "2020-01-01"},
    ],
)
def test_it_does_not_find_an_end_before_the_start_when_there_is_none(dates):
    assert codes(content(dates=dates)) == []


# no_post_pilot_path


@pytest.mark.parametrize(
    "after",
    [
        {},
        {"decision_on": "", "criteria": "Mål", "route": "stop"},
        {"decision_on": "2028-06-01", "criteria": "   ", "route": "stop"},
        {"decision_on": "2028-06-01", "criteria": "Mål", "route": ""},
    ],
)
def test_it_requires_the_path_after_a_pilot_when_the_template_does(after):
    value = content(after_pilot={"decision_on": "", "criteria": "", "route": "", **after})
    found = findings(value, requires_post_pilot=True)
    assert [(f.level, f.code, f.section) for f in found] == [
        (checks.ERROR, "no_post_pilot_path", "after_pilot")
    ]


def test_it_does_not_require_a_path_after_a_pilot_otherwise():
    assert codes(content(), requires_post_pilot=False) == []


# mandatory_section_empty


@pytest.mark.parametrize("text", ["", "   \n\t", None])
def test_it_finds_an_empty_mandatory_text_section(text):
    value = content()
    if text is None:
        del value["sections"]["background"]
    else:
        value["sections"]["background"] = text

    with translation.override("sv"):
        found = findings(value)

    assert [(f.level, f.code, f.section) for f in found] == [
        (checks.ERROR, "mandatory_section_empty", "background")
    ]
    assert "Bakgrund" in found[0].message


def test_it_does_not_require_optional_sections_or_other_kinds():
    value = content()
    value["sections"]["risks"] = ""
    value["sections"]["duration"] = ""  # a mandatory section that is not free text
    assert codes(value) == []


# no_follow_up


@pytest.mark.parametrize("text", ["", "  "])
def test_it_warns_when_the_follow_up_is_not_described(text):
    value = content()
    value["sections"]["follow_up"] = text
    found = findings(value)
    assert [(f.level, f.code, f.section) for f in found] == [
        (checks.WARNING, "no_follow_up", "follow_up")
    ]


# party_without_contribution


def test_it_warns_about_a_party_that_contributes_nothing():
    value = content(
        contributions=[{"party": NGO, "kind": "volunteers", "amount": "500", "currency": ""}]
    )
    found = findings(value, form="samarbeidsavtale")
    assert [(f.level, f.code, f.section) for f in found] == [
        (checks.WARNING, "party_without_contribution", "contributions")
    ]
    assert "Göteborgs Stad" in found[0].message


def test_it_warns_once_per_party_without_contribution():
    found = findings(content(contributions=[]), form="samarbeidsavtale")
    assert [f.code for f in found] == ["party_without_contribution"] * 2
    assert {f.message.split(" ")[0] for f in found} == {"Göteborgs", "Røde"}


# looks_like_procurement (IOP only)


def test_it_warns_that_an_iop_paying_a_price_looks_like_procurement():
    found = findings(content(public_payment="price"))
    assert [(f.level, f.code) for f in found] == [(checks.WARNING, "looks_like_procurement")]
    assert "3556-18" in found[0].message


@pytest.mark.parametrize(
    ("payment", "form"),
    [("price", "samarbeidsavtale"), ("price", "pilot"), ("grant", "iop"), ("", "iop")],
)
def test_it_does_not_warn_about_procurement_otherwise(payment, form):
    assert codes(content(public_payment=payment), form=form) == []


# no_co_financing (IOP only)


def test_it_warns_when_only_the_public_side_contributes_to_an_iop():
    only_public = [{"party": MUNICIPALITY, "kind": "money", "amount": "1000", "currency": "SEK"}]
    assert codes(content(contributions=only_public)) == [
        "no_co_financing",
        "party_without_contribution",
    ]
    # Outside an IOP only the party without a contribution is noted.
    assert codes(content(contributions=only_public), form="samarbeidsavtale") == [
        "party_without_contribution"
    ]


@pytest.mark.parametrize(
    "contributions",
    [
        # The civil-society party contributes in kind.
        [
            {"party": MUNICIPALITY, "kind": "money", "amount": "1000", "currency": "SEK"},
            {"party": NGO, "kind": "premises", "amount": "", "currency": ""},
        ],
        # The public side pays nothing: premises only, or zero money.
        [{"party": MUNICIPALITY, "kind": "premises", "amount": "5000", "currency": "SEK"}],
        [{"party": MUNICIPALITY, "kind": "money", "amount": "0", "currency": "SEK"}],
    ],
)
def test_it_does_not_warn_about_co_financing_when_it_is_shared_or_unpaid(contributions):
    assert "no_co_financing" not in codes(content(contributions=contributions))


def test_it_does_not_warn_about_co_financing_between_public_bodies():
    parties = [
        {"organisation": MUNICIPALITY, "name": "Göteborgs Stad", "sector": "municipality"},
        {"organisation": COMPANY, "name": "Bostadsbolaget", "sector": "public_housing"},
    ]
    only_one = [{"party": MUNICIPALITY, "kind": "money", "amount": "1000", "currency": "SEK"}]
    assert "no_co_financing" not in codes(content(parties=parties, contributions=only_one))


# Errors and warnings together


def test_it_lists_errors_first_and_blocks_only_on_errors():
    value = content(
        dates={"starts_on": "2027-01-01", "ends_on": "2026-01-01"},
        public_payment="price",
        contributions=[],
    )
    value["sections"]["background"] = ""
    value["sections"]["follow_up"] = ""

    found = findings(value, requires_post_pilot=True)

    levels = [f.level for f in found]
    assert levels == sorted(levels, key=lambda level: level != checks.ERROR)
    assert {f.code for f in checks.blocking(found)} == {
        "end_before_start",
        "no_post_pilot_path",
        "mandatory_section_empty",
    }
    assert {f.code for f in found} - {f.code for f in checks.blocking(found)} == {
        "no_follow_up",
        "party_without_contribution",
        "looks_like_procurement",
    }
