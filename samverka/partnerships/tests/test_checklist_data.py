# SPDX-License-Identifier: AGPL-3.0-or-later
"""The start checklist as data (partnerships/data/checklist.json): shape, languages,
overrides, and that the seven published points of "Samverkan i bostadsområden"
(seed 001) are kept as published. No database needed."""

import json
import re
from pathlib import Path

import pytest

CHECKLIST = Path(__file__).resolve().parents[1] / "data" / "checklist.json"

LANGS = ("sv", "nb", "da", "en")
TEXT_FIELDS = ("title", "guidance", "evidence_hint")
FORMS = {
    "iop",
    "est",
    "bid",
    "procurement",
    "grant",
    "pilot",
    "samarbeidsavtale",
    "partnerskabsaftale",
    "compact",
    "alliance",
}
COUNTRIES = {"SE", "NO", "DK"}
PHASES = {"define", "choose", "agree", "plan"}
CODES = [
    "problem",
    "residents",
    "parties",
    "mandate",
    "problem_consensus",
    "goal",
    "form",
    "roles",
    "contributions",
    "principles",
    "after_pilot",
    "follow_up",
    "horizon",
    "ongoing_involvement",
    "communication",
    "agreement",
]
MANDATORY_BY_DEFAULT = {1, 2, 3, 4, 5, 6, 7, 16}
SOURCE = re.compile(r"^(seed 00[0-4]|DOMAIN \d[a-z]?)$")

# The first seven points as seed 001 quotes them (the sv titles keep this wording).
PUBLISHED_SV = {
    1: "Formulera vilka eller vilket problem som samverkan ska adressera i ett första steg.",
    2: "Involvera de boende.",
    3: "Gör en lista på lämpliga parter som behöver vara med för att samverkan ska nå "
    "önskat resultat.",
    4: "Förankra på högsta nivå i den egna organisationen och se till att ha mandat att "
    "driva frågan och att få resurser till det.",
    5: "Samla representanter från de presumtiva parterna. Undersök om ni är överens om "
    "problembeskrivningen.",
    6: "Formulera det övergripande målet.",
    7: "Bestäm vilken form för samverkan som ni tror passar er bäst.",
}

# One keyword per published step that the English title must contain.
EN_KEYWORDS = {
    1: "problem",
    2: "resident",
    3: "parties",
    4: "mandate",
    5: "agree",
    6: "goal",
    7: "form",
}

SIX_PRINCIPLES = {
    "sv": ["integritet", "oberoende", "dialog", "kvalitet", "långsiktighet", "öppenhet",
           "insyn", "mångfald"],
    "nb": ["integritet", "uavhengighet", "dialog", "kvalitet", "langsiktighet", "åpenhet",
           "innsyn", "mangfold"],
    "da": ["integritet", "uafhængighed", "dialog", "kvalitet", "langsigtethed", "åbenhed",
           "indsigt", "mangfoldighed"],
    "en": ["integrity", "independence", "dialogue", "quality", "long-termness", "openness",
           "transparency", "diversity"],
}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    with CHECKLIST.open(encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def steps(data):
    return {step["number"]: step for step in data["steps"]}


def assert_four_languages(texts, where):
    assert isinstance(texts, dict), where
    assert set(texts) == set(LANGS), f"{where}: languages {sorted(texts)}"
    for lang in LANGS:
        value = texts[lang]
        assert isinstance(value, str), f"{where}.{lang}"
        assert value.strip(), f"{where}.{lang} is empty"
        assert value.strip() != "...", f"{where}.{lang} is a placeholder"


def test_there_are_sixteen_steps_numbered_in_order(data):
    assert [step["number"] for step in data["steps"]] == list(range(1, 17))


def test_codes_are_the_agreed_unique_snake_case_identifiers(data):
    codes = [step["code"] for step in data["steps"]]
    assert codes == CODES
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code), code


def test_every_text_is_in_all_four_languages(data):
    for step in data["steps"]:
        for field in TEXT_FIELDS:
            assert_four_languages(step[field], f"step {step['number']}.{field}")


def test_step_metadata(data):
    for step in data["steps"]:
        where = f"step {step['number']}"
        assert isinstance(step["mandatory"], bool), where
        assert step["phase"] in PHASES, where
        assert step["sources"], f"{where} has no source"
        for source in step["sources"]:
            assert SOURCE.match(source), f"{where}: unknown source {source!r}"


def test_mandatory_by_default(data):
    mandatory = {step["number"] for step in data["steps"] if step["mandatory"]}
    assert mandatory == MANDATORY_BY_DEFAULT


def test_only_the_seven_published_points_are_attributed_to_the_guide(steps):
    # DOMAIN.md: the guide's points 8-16 are not public; ours are labelled as ours.
    for number, step in steps.items():
        expected = "guide" if number <= 7 else "samverka"
        assert step["origin"] == expected, number
        if number <= 7:
            assert "seed 001" in step["sources"], number


def test_swedish_titles_keep_the_published_wording(steps):
    for number, wording in PUBLISHED_SV.items():
        assert steps[number]["title"]["sv"] == wording, number


def test_english_titles_of_the_published_steps_match_in_meaning(steps):
    for number, keyword in EN_KEYWORDS.items():
        assert keyword in steps[number]["title"]["en"].lower(), number


def test_principles_step_names_the_six_principles_in_every_language(steps):
    guidance = steps[10]["guidance"]
    for lang, words in SIX_PRINCIPLES.items():
        text = guidance[lang].lower()
        missing = [word for word in words if word not in text]
        assert not missing, f"{lang}: {missing}"


def test_overrides_reference_existing_steps_and_valid_codes(data, steps):
    allowed_keys = {
        "form",
        "country",
        "number",
        "mandatory",
        "guidance_append",
        "sources",
    }
    assert data["overrides"]
    for i, override in enumerate(data["overrides"]):
        where = f"override {i}"
        assert set(override) <= allowed_keys, f"{where}: {set(override) - allowed_keys}"
        assert override["number"] in steps, where
        assert "form" in override or "country" in override, f"{where} has no condition"
        if "form" in override:
            assert override["form"] in FORMS, where
        if "country" in override:
            assert override["country"] in COUNTRIES, where
        assert "mandatory" in override or "guidance_append" in override, f"{where} is empty"
        if "mandatory" in override:
            assert isinstance(override["mandatory"], bool), where
        if "guidance_append" in override:
            assert_four_languages(override["guidance_append"], f"{where}.guidance_append")
        for source in override.get("sources", []):
            assert SOURCE.match(source), f"{where}: unknown source {source!r}"


def test_overrides_are_unique_per_condition_and_step(data):
    keys = [(o.get("form"), o.get("country"), o["number"]) for o in data["overrides"]]
    assert len(keys) == len(set(keys))


def find_override(data, number, **condition):
    for override in data["overrides"]:
        if override["number"] == number and all(
            override.get(key) == value for key, value in condition.items()
        ):
            return override
    raise AssertionError(f"no override for step {number} with {condition}")


def test_pilot_form_makes_the_after_pilot_step_mandatory(data, steps):
    assert steps[11]["code"] == "after_pilot"
    assert find_override(data, 11, form="pilot")["mandatory"] is True


def test_danish_partnership_agreement_makes_follow_up_mandatory(data, steps):
    assert steps[12]["code"] == "follow_up"
    override = find_override(data, 12, form="partnerskabsaftale", country="DK")
    assert override["mandatory"] is True
    assert "Landsbyggefonden" in override["guidance_append"]["da"]


def test_norwegian_cooperation_agreement_notes_contact_person_and_election(data):
    notes = " ".join(
        o["guidance_append"]["nb"]
        for o in data["overrides"]
        if o.get("form") == "samarbeidsavtale" and "guidance_append" in o
    )
    assert "fast kontaktperson" in notes
    assert "kommunevalg" in notes
