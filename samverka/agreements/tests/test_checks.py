# SPDX-License-Identifier: AGPL-3.0-or-later
"""The checks shown while an agreement is written: each finding appears exactly
when its condition holds."""

import copy
import json

import pytest
from django.template.loader import render_to_string
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


def procurement(value, **options):
    found = [f for f in findings(value, **options) if f.code == "looks_like_procurement"]
    assert len(found) <= 1
    return found[0] if found else None


def with_text(section, text, **changes):
    value = content(**changes)
    value["sections"][section] = text
    return value


def test_it_names_the_price_option_as_the_reason():
    found = procurement(content(public_payment="price"))
    assert found.reasons == ("You chose that the public party pays a price for a defined service.",)


def test_it_warns_about_a_fixed_fee_for_a_service_written_in_a_section():
    value = with_text(
        "risks",
        "The municipality pays the association a fixed fee of 400 000 SEK a year "
        "to deliver homework help.",
    )
    found = procurement(value)
    assert found is not None and found.level == checks.WARNING
    # The phrases found and the section they were found in, as written.
    assert found.reasons == ("“fixed fee” in “Risks”", "“deliver” in “Risks”")
    assert "3556-18" in found.message


def test_it_names_the_section_in_the_language_of_the_page():
    value = with_text("background", "Föreningen får fast ersättning för uppdraget.")
    with translation.override("sv"):
        found = procurement(value)
    assert len(found.reasons) == 2
    assert "fast ersättning" in found.reasons[0] and "Bakgrund" in found.reasons[0]
    assert "uppdraget" in found.reasons[1] and "Bakgrund" in found.reasons[1]
    assert " in " not in found.reasons[0]  # translated


def test_it_finds_a_price_per_unit_in_a_contribution_description():
    rows = [
        {
            "party": MUNICIPALITY,
            "kind": "money",
            "amount": "90000",
            "currency": "SEK",
            "description": "Ersättning per deltagare och termin",
        },
        {"party": NGO, "kind": "volunteers", "amount": "500", "currency": "", "description": ""},
    ]
    found = procurement(content(contributions=rows))
    assert found.reasons == ("“per deltagare” in “C”",)


def test_it_warns_about_public_money_with_nothing_from_the_civil_society_party():
    only_public = [{"party": MUNICIPALITY, "kind": "money", "amount": "1000", "currency": "SEK"}]
    found = procurement(content(contributions=only_public))
    assert found is not None
    assert len(found.reasons) == 1
    assert "Göteborgs Stad contributes money" in found.reasons[0]
    assert "Røde Kors Esbjerg contributes nothing of its own" in found.reasons[0]


def test_it_does_not_warn_about_an_ordinary_iop():
    # Both contribute, the public party co-finances, and the text is ordinary.
    value = with_text(
        "risks",
        "Volunteers may be fewer in summer; the steering group then adjusts the opening hours.",
    )
    assert procurement(value) is None
    assert codes(value) == []


@pytest.mark.parametrize(
    "text",
    [
        "The association delivers homework help and the municipality pays for premises.",
        "Föreningen levererar läxhjälp; uppdraget växer fram tillsammans.",
        "Foreningen skal levere leksehjelp etter oppdrag fra styringsgruppen.",
        "Foreningen løser opgaven sammen med kommunen og leverer frivillige.",
    ],
)
def test_everyday_words_alone_do_not_make_it_procurement(text):
    assert procurement(with_text("risks", text)) is None


def test_everyday_words_are_listed_beside_stronger_evidence():
    found = procurement(with_text("risks", "Vi levererar läxhjälp.", public_payment="price"))
    assert found.reasons[1:] == ("“levererar” in “Risks”",)


SIGNALS = checks.load_signals()
PHRASES = [
    (language, phrase["text"], phrase["strength"])
    for language, entry in SIGNALS["languages"].items()
    for phrase in entry["phrases"]
]


@pytest.mark.parametrize(("language", "phrase", "strength"), PHRASES)
def test_each_phrase_in_each_language_is_found(language, phrase, strength):
    text = f"Lorem ipsum. {phrase.upper()} dolor sit amet."
    value = with_text("risks", text)
    if strength == "supporting":
        value["public_payment"] = "price"
    found = procurement(value)
    assert found is not None, (language, phrase)
    assert f"“{phrase.upper()}” in “Risks”" in found.reasons


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("sv", "Kommunen betalar 500 kr i timersättning.", "timersättning"),
        ("sv", "Avropet görs varje månad.", "Avropet"),
        ("nb", "Kommunen betaler et fast vederlag hvert år.", "fast vederlag"),
        ("nb", "Kommunen betaler 300 kr per deltaker.", "per deltaker"),
        ("da", "Kommunen betaler et fast honorar på 200.000 kr.", "fast honorar"),
        ("da", "Kommunen betaler 300 kr. pr. deltager.", "pr. deltager"),
        ("en", "The council pays an hourly rate for the coaches.", "hourly rate"),
        ("en", "This service\ncontract runs for two years.", "service contract"),
    ],
)
def test_phrases_are_found_in_real_sentences(language, text, phrase):
    found = procurement(with_text("risks", text))
    assert found is not None, language
    assert found.reasons == (f"“{phrase}” in “Risks”",)


@pytest.mark.parametrize(
    "text",
    [
        "Unga deltar i uppföljningen.",  # "per" and "deltagare" apart
        "En tidigare leverantör har lämnat området.",  # not the verb
        "We discuss fees openly.",
        "Ett fast mål: ersättning ges inte.",  # the words of a phrase, but apart
    ],
)
def test_words_that_merely_resemble_a_phrase_are_not_found(text):
    assert procurement(with_text("risks", text, public_payment="price")).reasons == (
        "You chose that the public party pays a price for a defined service.",
    )


def test_the_signal_data_is_complete_in_four_languages_each_with_a_source():
    assert set(SIGNALS["languages"]) == {"sv", "nb", "da", "en"}
    sources = SIGNALS["sources"]
    for source in sources.values():
        assert source["title"].strip() and source["lang"] in {"sv", "nb", "da", "en"}
        assert source["url"] == "" or source["url"].startswith("https://")
    for language, entry in SIGNALS["languages"].items():
        assert entry["sources"], language
        assert all(key in sources for key in entry["sources"]), language
        strengths = {phrase["strength"] for phrase in entry["phrases"]}
        assert strengths == {"strong", "supporting"}, language
        assert all(phrase["text"].strip() for phrase in entry["phrases"]), language
    for rule in ("contributions", "price_option"):
        assert SIGNALS[rule]["rule"] and all(k in sources for k in SIGNALS[rule]["sources"])


def test_the_signal_data_is_valid_json_on_disk():
    assert json.loads(checks.SIGNALS_FILE.read_text(encoding="utf-8")) == SIGNALS


def test_the_reasons_are_shown_under_the_warning():
    value = with_text("risks", "A fixed fee per participant.")
    html = render_to_string(
        "agreements/_findings.html", {"findings": findings(value), "live": True}
    )
    assert 'data-finding="looks_like_procurement"' in html
    assert "“fixed fee” in “Risks”" in html
    assert "“per participant” in “Risks”" in html


# no_co_financing (IOP only)


def test_it_warns_when_only_the_public_side_contributes_to_an_iop():
    only_public = [{"party": MUNICIPALITY, "kind": "money", "amount": "1000", "currency": "SEK"}]
    assert codes(content(contributions=only_public)) == [
        "looks_like_procurement",
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
