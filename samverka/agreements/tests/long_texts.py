# SPDX-License-Identifier: AGPL-3.0-or-later
"""Agreements at the largest size the forms and the API take: ten sections of
50,000 characters, and a second version that differs all through them."""

import difflib
import random

from samverka.agreements.content import SECTION_MAX_LENGTH
from samverka.agreements.models import AgreementTemplate

WORDS = [
    *("unga", "saknar", "meningsfull", "fritid", "på", "helgerna", "och", "kvällarna"),
    *("föreningen", "bidrar", "med", "lokaler", "personal", "material", "samverkan"),
    *("kommunen", "ansvarar", "för", "uppföljning", "varje", "termin"),
]
# At most this many pairs of tokens compared by one matcher: a word-level diff of
# two 50,000-character sections compares about 300 million.
MAX_PAIRS = 4_000_000


def long_text(seed: int, length: int = SECTION_MAX_LENGTH, paragraphs: bool = True) -> str:
    """Exactly `length` characters of words, in paragraphs or as one long line."""
    pick = random.Random(seed)
    words: list[str] = []
    size = 0
    while size < length:
        word = pick.choice(WORDS)
        if paragraphs and pick.random() < 0.02:
            word += ".\n\n"
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


def rewritten(text: str, seed: int) -> str:
    """The same length of text with about every twentieth word changed."""
    pick = random.Random(seed)
    words = text.split(" ")
    for index in range(0, len(words), 20):
        words[index] = pick.choice(WORDS)[::-1]
    return " ".join(words)[: len(text)]


def with_ten_text_sections(template: AgreementTemplate) -> list[str]:
    """Give the template text sections enough to make ten; their codes."""
    codes = [s["code"] for s in template.sections if s["kind"] == "text"]
    extra = [
        {
            "code": f"extra_{number}",
            "kind": "text",
            "mandatory": False,
            "title": {lang: f"Bilaga {number}" for lang in ("sv", "nb", "da", "en")},
            "guidance": {lang: "" for lang in ("sv", "nb", "da", "en")},
        }
        for number in range(10 - len(codes))
    ]
    template.sections = [*template.sections, *extra]
    template.save(update_fields=["sections"])
    return [*codes, *(section["code"] for section in extra)][:10]


def long_sections(codes: list[str], seed: int) -> dict[str, str]:
    """50,000 characters for each section; every other one is a single line."""
    return {code: long_text(seed + i, paragraphs=i % 2 == 0) for i, code in enumerate(codes)}


class BoundedMatcher(difflib.SequenceMatcher):
    """A SequenceMatcher that fails the test when asked to compare too much."""

    def __init__(self, isjunk=None, a="", b="", autojunk=True):
        assert len(a) * len(b) <= MAX_PAIRS, f"a diff of {len(a)} × {len(b)} tokens"
        super().__init__(isjunk, a, b, autojunk)
