# SPDX-License-Identifier: AGPL-3.0-or-later
"""Related words and themes (issue 20): a search for "ungdom" also finds
"unga", "youth" and the organisations tagged "children and youth". The groups
of words are data (``data/vocabulary.json``).

A query is searched in tiers, each finding more than the one before: the
words as typed, then with their groups' words, then with their groups'
themes. Both databases rank a tier's matches above the next one's, so an
organisation holding the typed word comes before one found by a synonym or
only by its theme.
"""

import json
from dataclasses import dataclass, field
from functools import cache

from samverka.directory.search import text

# A group's words beyond this many are not searched: each is a few more
# lexemes for every search of a group word.
MAX_GROUP_WORDS = 24


@dataclass(frozen=True)
class Group:
    name: str
    theme: str
    # Each word or phrase as its words, with its lexemes: the word and its
    # stems in the languages the group lists it for.
    phrases: tuple[tuple[str, tuple[frozenset[str], ...]], ...]
    # (language, word or phrase) as the data lists them, to show.
    shown: tuple[tuple[str, str], ...]


@dataclass
class Parsed:
    """A query with its related words."""

    # The typed words first; each further tier adds alternatives.
    tiers: list[list[text.QueryWord]]
    # What the person sees was also searched for: (language, word or phrase).
    related: list[tuple[str, str]] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)

    @property
    def query(self) -> list[text.QueryWord]:
        """Everything searched."""
        return self.tiers[-1]

    @property
    def words(self) -> list[text.QueryWord]:
        """The typed and related words without themes (ranking, highlighting)."""
        return self.tiers[1] if self.themes else self.tiers[-1]


def _load() -> dict:
    return json.loads((text.DATA / "vocabulary.json").read_text(encoding="utf-8"))


@cache
def groups() -> tuple[Group, ...]:
    result = []
    for raw in _load()["groups"]:
        lexemes: dict[str, set[str]] = {}
        for language in text.LANGUAGES:
            for phrase in raw[language]:
                for word in text.words(phrase):
                    lexemes.setdefault(word, {word}).add(text.stem(word, language))
        phrases = {}
        for language in text.LANGUAGES:
            for phrase in raw[language]:
                parts = tuple(text.words(phrase))
                phrases.setdefault(
                    " ".join(parts), tuple(frozenset(lexemes[word]) for word in parts)
                )
        shown = tuple(
            (language, " ".join(text.words(phrase)))
            for language in text.LANGUAGES
            for phrase in raw[language]
        )
        result.append(
            Group(
                raw["name"], raw.get("theme", ""), tuple(phrases.items())[:MAX_GROUP_WORDS], shown
            )
        )
    return tuple(result)


@cache
def _single_words() -> dict[str, tuple[int, ...]]:
    """Each lexeme of a one-word entry → the groups holding it."""
    owners: dict[str, set[int]] = {}
    for i, group in enumerate(groups()):
        for _phrase, terms in group.phrases:
            if len(terms) == 1:
                for lexeme in terms[0]:
                    owners.setdefault(lexeme, set()).add(i)
    return {lexeme: tuple(sorted(found)) for lexeme, found in owners.items()}


@cache
def _phrases() -> tuple[tuple[tuple[frozenset[str], ...], int], ...]:
    """Each entry of several words, longest first, with its group."""
    found = [
        (terms, i)
        for i, group in enumerate(groups())
        for _phrase, terms in group.phrases
        if len(terms) > 1
    ]
    return tuple(sorted(found, key=lambda item: -len(item[0])))


def _groups_of(typed: list[str]) -> list[tuple[int, int, set[int]]]:
    """(first word, number of words, groups) for each run of typed words that
    is a group's word or phrase. A phrase's words count only as the phrase
    ("mental health" is not also "health")."""
    forms = [text.forms(word) for word in typed]
    runs: list[tuple[int, int, set[int]]] = []
    taken: set[int] = set()
    for terms, group in _phrases():
        size = len(terms)
        for start in range(len(typed) - size + 1):
            span = set(range(start, start + size))
            if span & taken:
                continue
            if all(not terms[k].isdisjoint(forms[start + k]) for k in range(size)):
                runs.append((start, size, {group}))
                taken |= span
    single = _single_words()
    for i, word_forms in enumerate(forms):
        if i in taken:
            continue
        owners = {g for lexeme in word_forms for g in single.get(lexeme, ())}
        if owners:
            runs.append((i, 1, owners))
    return sorted(runs)


def _key(alternative: text.Alternative) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(sorted(term)) for term in alternative)


def parse(q: str) -> Parsed:
    """The query of ``text.parse_query`` with its related words and themes."""
    from samverka.directory.search.index import filter_token

    typed = text.parse_query(q)
    words = text.query_words(q)
    runs = _groups_of(words)
    if not runs:
        return Parsed([typed])
    all_groups = groups()
    related: list[tuple[str, str]] = []
    themes: list[str] = []
    with_words: list[text.QueryWord] = []
    with_themes: list[text.QueryWord] = []
    at = 0
    for start, size, owners in runs:
        with_words += typed[at:start]
        with_themes += typed[at:start]
        at = start + size
        # The typed words of a phrase make one alternative, as its own words would.
        own: text.QueryWord = (
            typed[start]
            if size == 1
            else [[term for word in typed[at - size : at] for term in word[0]]]
        )
        extra: text.QueryWord = []
        tokens: text.QueryWord = []
        typed_text = " ".join(words[start:at])
        for g in sorted(owners):
            group = all_groups[g]
            extra += [list(terms) for _phrase, terms in group.phrases]
            related += [
                (language, phrase)
                for language, phrase in group.shown
                if phrase != typed_text and (language, phrase) not in related
            ]
            if group.theme:
                token = [frozenset({filter_token("t", group.theme)})]
                tokens += [] if token in tokens else [token]
                themes += [] if group.theme in themes else [group.theme]
        # One-word entries join into one term: fewer operators, the same matches.
        single = frozenset().union(*(alt[0] for alt in extra if len(alt) == 1))
        extra = [[single]] + [alt for alt in extra if len(alt) > 1]
        alternatives = list({_key(alt): alt for alt in own + extra}.values())
        with_words.append(alternatives)
        with_themes.append(alternatives + tokens)
    with_words += typed[at:]
    with_themes += typed[at:]
    tiers = [typed, with_words]
    if themes:
        tiers.append(with_themes)
    return Parsed(tiers, related, themes)


def shown_words(related: list[tuple[str, str]], language: str, limit: int = 10) -> list[str]:
    """The related words to show, those of ``language`` first, each once."""
    ordered = sorted(related, key=lambda item: item[0] != language)
    return list(dict.fromkeys(phrase for _language, phrase in ordered))[:limit]
