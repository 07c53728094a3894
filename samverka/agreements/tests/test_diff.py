# SPDX-License-Identifier: AGPL-3.0-or-later
"""What changed between two versions, block by block and word by word."""

import copy
import difflib
import time

import pytest
from django.utils import translation

from samverka.agreements.diff import blocks, compare, word_diff
from samverka.agreements.tests.long_texts import (
    BoundedMatcher,
    long_sections,
    long_text,
    rewritten,
)

MUNICIPALITY, NGO = 11, 22
NBSP = "\u00a0"

SECTIONS = [
    {"code": "parties", "kind": "parties", "mandatory": True, "title": {"en": "Parties"}},
    {"code": "background", "kind": "text", "mandatory": True, "title": {"en": "Background"}},
    {"code": "purpose", "kind": "text", "mandatory": True, "title": {"en": "Purpose"}},
    {
        "code": "contributions",
        "kind": "contributions",
        "mandatory": True,
        "title": {"en": "Contributions"},
    },
    {"code": "principles", "kind": "principles", "mandatory": False, "title": {"en": "Principles"}},
    {"code": "after_pilot", "kind": "after_pilot", "mandatory": False, "title": {"en": "After"}},
    {"code": "duration", "kind": "duration", "mandatory": True, "title": {"en": "Duration"}},
    {"code": "signatures", "kind": "signatures", "mandatory": True, "title": {"en": "Signed"}},
]

OLD = {
    "title": "IOP: Trygghet i Hammarkullen",
    "parties": [
        {
            "organisation": MUNICIPALITY,
            "name": "Göteborgs Stad",
            "organisation_number": "212000-1355",
            "role": "lead",
        },
        {"organisation": NGO, "name": "Røde Kors Esbjerg", "role": "partner"},
    ],
    "sections": {
        "background": "Unga saknar fritid på helgerna.",
        "purpose": "En trygg plats.",
        "duration": "",
    },
    "contributions": [
        {
            "party": MUNICIPALITY,
            "year": 2026,
            "kind": "money",
            "amount": "100000",
            "currency": "SEK",
            "description": "Lokalhyra",
        },
        {
            "party": NGO,
            "year": 2026,
            "kind": "volunteers",
            "amount": "500",
            "currency": "",
            "description": "Nattvandringar",
        },
    ],
    "principles": [
        {"code": "independence", "name": "Independence", "meaning": "The NGO stays free."},
        {"code": "dialogue", "name": "Dialogue", "meaning": "We talk often."},
    ],
    "after_pilot": {"decision_on": "", "criteria": "", "route": "", "detail": "", "budget": ""},
    "dates": {"starts_on": "2027-01-01", "ends_on": "2028-12-31", "review_dates": []},
    "public_payment": "co_financing",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def changed(**edits):
    new = copy.deepcopy(OLD)
    for key, value in edits.items():
        new[key] = value
    return new


def test_it_finds_no_change_between_equal_contents():
    assert compare(OLD, copy.deepcopy(OLD), SECTIONS) == []


def test_it_returns_only_the_blocks_that_changed():
    new = changed(title="IOP: Trygga helger")
    new["sections"] = {**OLD["sections"], "purpose": "En trygg och öppen plats."}

    changes = compare(OLD, new, SECTIONS)

    assert [(c.key, c.label) for c in changes] == [
        ("title", "Title"),
        ("section:purpose", "Purpose"),
    ]
    assert (changes[1].old, changes[1].new) == ("En trygg plats.", "En trygg och öppen plats.")


def test_it_marks_removed_and_added_words():
    parts = word_diff("Unga saknar fritid på helgerna.", "Unga saknar trygg fritid på kvällarna.")

    assert "".join(text for kind, text in parts if kind != "added") == (
        "Unga saknar fritid på helgerna."
    )
    assert "".join(text for kind, text in parts if kind != "removed") == (
        "Unga saknar trygg fritid på kvällarna."
    )
    assert [text.strip() for kind, text in parts if kind == "removed"] == ["helgerna."]
    assert [text.strip() for kind, text in parts if kind == "added"] == ["trygg", "kvällarna."]
    assert {kind for kind, _text in parts} == {"same", "removed", "added"}


def test_it_diffs_whole_words_not_letters():
    parts = word_diff("Föreningen bidrar", "Föreningarna bidrar")
    assert parts == [
        ("removed", "Föreningen"),
        ("added", "Föreningarna"),
        ("same", " bidrar"),
    ]


def test_it_diffs_from_and_to_nothing():
    assert word_diff("", "Ny text") == [("added", "Ny text")]
    assert word_diff("Gammal text", "") == [("removed", "Gammal text")]
    assert word_diff("", "") == []


def test_it_shows_a_section_that_was_emptied():
    new = changed()
    new["sections"] = {**OLD["sections"], "background": ""}

    [change] = compare(OLD, new, SECTIONS)

    assert change.key == "section:background"
    assert (change.old, change.new) == ("Unga saknar fritid på helgerna.", "")
    assert change.parts == [("removed", "Unga saknar fritid på helgerna.")]


def test_it_shows_contributions_as_readable_lines():
    contributions = copy.deepcopy(OLD["contributions"])
    contributions[0]["amount"] = "150000"

    [change] = compare(OLD, changed(contributions=contributions), SECTIONS)

    assert change.key == "contributions"
    assert change.old.splitlines()[0] == (
        f"Göteborgs Stad · 2026 · Money · 100{NBSP}000{NBSP}SEK · Lokalhyra"
    )
    assert change.new.splitlines()[0] == (
        f"Göteborgs Stad · 2026 · Money · 150{NBSP}000{NBSP}SEK · Lokalhyra"
    )
    assert change.new.splitlines()[1] == (
        f"Røde Kors Esbjerg · 2026 · Volunteer hours · 500{NBSP}h · Nattvandringar"
    )
    # Only the digits that differ are marked (a no-break space separates words too).
    assert [t for k, t in change.parts if k == "removed"] == ["100"]
    assert [t for k, t in change.parts if k == "added"] == ["150"]
    # The kind of public payment is part of the block.
    assert change.new.splitlines()[-1] == "Both parties co-finance a shared effort"


def test_it_shows_a_new_contribution_as_an_added_line():
    contributions = [
        *OLD["contributions"],
        {"party": NGO, "year": 2027, "kind": "premises", "amount": "", "description": "Lokal"},
    ]

    [change] = compare(OLD, changed(contributions=contributions), SECTIONS)

    added = "".join(t for k, t in change.parts if k == "added")
    assert "Røde Kors Esbjerg · 2027 · Premises · Lokal" in added
    assert not [t for k, t in change.parts if k == "removed"]


def test_it_shows_a_change_in_the_public_payment():
    [change] = compare(OLD, changed(public_payment="price"), SECTIONS)
    assert change.key == "contributions"
    assert "The public party pays a price for a defined service" in change.new
    assert "Both parties co-finance a shared effort" in change.old


def test_it_shows_principles_as_name_and_meaning():
    principles = copy.deepcopy(OLD["principles"])
    principles[1]["meaning"] = "We meet every month."

    [change] = compare(OLD, changed(principles=principles), SECTIONS)

    assert change.key == "principles"
    assert change.old.splitlines() == [
        "Independence: The NGO stays free.",
        "Dialogue: We talk often.",
    ]
    assert change.new.splitlines()[1] == "Dialogue: We meet every month."
    removed = " ".join(t for k, t in change.parts if k == "removed")
    added = " ".join(t for k, t in change.parts if k == "added")
    assert "talk often." in removed and "meet every month." in added
    assert "Independence" not in removed + added


def test_it_shows_a_changed_party_in_the_parties_and_the_signatures():
    parties = copy.deepcopy(OLD["parties"])
    parties[1]["name"] = "Røde Kors Danmark"

    changes = compare(OLD, changed(parties=parties), SECTIONS)

    # The contributions name the parties too.
    assert [c.key for c in changes] == ["parties", "contributions", "signatures"]
    assert changes[0].new.splitlines() == [
        "Göteborgs Stad · 212000-1355 · Lead",
        "Røde Kors Danmark · Partner",
    ]


def test_it_shows_dates_and_the_path_after_the_pilot():
    new = changed(
        dates={"starts_on": "2027-02-01", "ends_on": "2028-12-31", "review_dates": ["2027-06-01"]},
        after_pilot={
            "decision_on": "2027-11-01",
            "criteria": "40 unga",
            "route": "procurement",
            "detail": "",
            "budget": "250000",
            "currency": "SEK",
        },
    )

    changes = {c.key: c for c in compare(OLD, new, SECTIONS)}

    assert set(changes) == {"after_pilot", "duration"}
    assert "Starts: 2027-02-01" in changes["duration"].new
    assert "Review dates: 2027-06-01" in changes["duration"].new
    assert "Route after success: Procurement" in changes["after_pilot"].new
    assert f"Budget: 250{NBSP}000{NBSP}SEK" in changes["after_pilot"].new


def test_it_lists_blocks_in_the_templates_order():
    keys = [block.key for block in blocks(OLD, SECTIONS)]
    assert keys == [
        "title",
        "parties",
        "section:background",
        "section:purpose",
        "contributions",
        "principles",
        "after_pilot",
        "duration",
        "signatures",
    ]


# Long texts: the work stays bounded.


def _texts(parts):
    old = "".join(text for kind, text in parts if kind != "added")
    new = "".join(text for kind, text in parts if kind != "removed")
    return old, new


def test_it_compares_ten_long_sections_that_differ_throughout_in_bounded_work(monkeypatch):
    monkeypatch.setattr(difflib, "SequenceMatcher", BoundedMatcher)
    codes = [f"s{number}" for number in range(10)]
    sections = [
        {"code": code, "kind": "text", "mandatory": True, "title": {"en": code}} for code in codes
    ]
    old = {"title": "T", "sections": long_sections(codes, seed=1)}
    new = {"title": "T", "sections": {c: rewritten(t, seed=2) for c, t in old["sections"].items()}}

    started = time.perf_counter()
    changes = compare(old, new, sections)
    elapsed = time.perf_counter() - started

    assert elapsed < 5, f"{elapsed:.1f} s"
    assert [change.key for change in changes] == [f"section:{code}" for code in codes]
    for change in changes:
        # Nothing lost: the pieces still spell both texts.
        assert _texts(change.parts) == (change.old, change.new)
    # Sections in paragraphs show what changed paragraph by paragraph, the rest whole.
    assert any(kind == "same" for kind, _text in changes[0].parts)


def test_a_small_edit_in_a_long_text_is_still_shown_word_by_word(monkeypatch):
    monkeypatch.setattr(difflib, "SequenceMatcher", BoundedMatcher)
    old = long_text(seed=3, paragraphs=False)
    middle = len(old) // 2
    new = old[:middle] + " ändrat " + old[middle:]

    parts = word_diff(old, new)

    assert _texts(parts) == (old, new)
    added = "".join(text for kind, text in parts if kind == "added")
    removed = "".join(text for kind, text in parts if kind == "removed")
    # Only the words around the insertion are marked, not the whole section.
    assert "ändrat" in added
    assert len(added) + len(removed) < 60


def test_long_texts_that_differ_throughout_are_compared_line_by_line(monkeypatch):
    monkeypatch.setattr(difflib, "SequenceMatcher", BoundedMatcher)
    lines = [f"Rad {number} om fritid på helgerna för unga i området." for number in range(400)]
    old = "\n".join(lines)
    new = "\n".join(
        line.replace("fritid", "trygghet") if number % 2 else line
        for number, line in enumerate(lines)
    )

    parts = word_diff(old, new)

    assert _texts(parts) == (old, new)
    # Unchanged lines stay as they were; in a changed line only the word is marked.
    assert {text for kind, text in parts if kind == "removed"} == {"fritid"}
    assert {text for kind, text in parts if kind == "added"} == {"trygghet"}
