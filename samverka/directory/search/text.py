# SPDX-License-Identifier: AGPL-3.0-or-later
"""Text analysis shared by both databases: words, stop words, Snowball stems
and compound splitting. The rules that are data (stop words, compound parts)
live in ``data/``.

PostgreSQL stems documents with its own text search configurations (the same
Snowball algorithms); SQLite's FTS5 index is fed the stems computed here.
Queries are expanded here for both: every word becomes "its stem in any of
the four languages, or the word itself, or its compound parts".
"""

import re
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("sv", "nb", "da", "en")
# PostgreSQL text search configuration per description language.
PG_CONFIG = {"sv": "swedish", "nb": "norwegian", "da": "danish", "en": "english"}
# Letters that may join two parts of a compound ("trygghet-s-vandring").
LINKERS = {"sv": ("s",), "nb": ("s", "e"), "da": ("s", "e"), "en": ()}
MIN_PART = 3
# Longer "words" are not language (ids, hashes, base64): indexed raw, not split.
MAX_WORD = 40
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-cased words; all punctuation (and every FTS operator) is dropped."""
    return WORD.findall(text.lower())


def _data_lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip().lower() for line in lines if line.strip() and not line.startswith("#")]


@cache
def stop_words(language: str) -> frozenset[str]:
    return frozenset(_data_lines(f"stop_{language}.txt"))


@cache
def any_stop_words() -> frozenset[str]:
    return frozenset().union(*(stop_words(language) for language in LANGUAGES))


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(PG_CONFIG.get(language, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    # Numbers (and over-long tokens) pass unchanged; most numbers are unique,
    # so they would only churn the cache.
    if len(word) > MAX_WORD or word.isdigit():
        return word
    return _stemmer(language).stemWord(word)


@cache
def _parts(language: str) -> tuple[frozenset[str], frozenset[str]]:
    raw = frozenset(_data_lines(f"parts_{language}.txt"))
    return raw, frozenset(stem(part, language) for part in raw)


def _is_part(text: str, language: str) -> bool:
    raw, stems = _parts(language)
    return len(text) >= MIN_PART and (text in raw or stem(text, language) in stems)


@lru_cache(maxsize=200_000)
def decompound(word: str, language: str) -> tuple[str, ...]:
    """The known parts of a compound ("trygghetsvandringar" → trygghet,
    vandringar), or () if the word is not one. Longest head first."""
    if len(word) < 2 * MIN_PART or len(word) > MAX_WORD or language not in LANGUAGES:
        return ()
    raw, _stems = _parts(language)
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, rest = word[:cut], word[cut:]
        if head not in raw:
            continue
        tails = [rest] + [rest[len(s) :] for s in LINKERS[language] if rest.startswith(s)]
        for tail in tails:
            if _is_part(tail, language):
                return (head, tail)
            deeper = decompound(tail, language)
            if deeper:
                return (head, *deeper)
    return ()


@lru_cache(maxsize=200_000)
def index_terms(word: str, language: str) -> str:
    """What one word of a document adds to the SQLite index: its stem and the
    stems of its parts, space-separated ("" for a stop word)."""
    if word.isdigit():
        return word
    if word in stop_words(language):
        return ""
    terms = [stem(word, language)]
    terms += [stem(part, language) for part in decompound(word, language)]
    return " ".join(dict.fromkeys(terms))


@lru_cache(maxsize=200_000)
def extra_parts(word: str, language: str) -> str:
    """For PostgreSQL, which stems the text itself: the compound parts of a
    word as extra text ("" if none)."""
    return " ".join(decompound(word, language))


# A query: a list of words, each a list of alternatives, each alternative a
# list of terms that must all occur, each term a set of lexemes (any of them).
Alternative = list[frozenset[str]]
QueryWord = list[Alternative]


def forms(word: str) -> frozenset[str]:
    """A word as the index may hold it: itself or its stem in any language."""
    return frozenset({word, *(stem(word, language) for language in LANGUAGES)})


def query_words(text: str, *, max_words: int = 8) -> list[str]:
    """The words of free text that are searched. Stop words of any of the
    languages are dropped (unless the query is nothing else), as are FTS
    operators, quotes and other punctuation: they are not words."""
    found = list(dict.fromkeys(words(text[:500])))
    kept = [w for w in found if w not in any_stop_words()] or found
    return kept[:max_words]


def parse_query(text: str, *, max_words: int = 8) -> list[QueryWord]:
    """Expand free text into terms, a ``QueryWord`` per word of ``query_words``.
    (``vocabulary.parse`` adds related words and themes.)"""
    result: list[QueryWord] = []
    for word in query_words(text, max_words=max_words):
        alternatives: QueryWord = [[forms(word)]]
        splits = {decompound(word, language) for language in LANGUAGES} - {()}
        for parts in sorted(splits):
            alternatives.append([forms(part) for part in parts])
        result.append(alternatives)
    return result


def heads(lexemes: set[str]) -> set[str]:
    """The first three letters of each lexeme. A Snowball stem keeps the first
    letters of its word, also inside a compound, so text holding none of these
    cannot match and need not be analysed."""
    return {lexeme[:3] for lexeme in lexemes}


@lru_cache(maxsize=1000)
def words_with(heads: frozenset[str]) -> re.Pattern[str]:
    """Finds the words (as ``WORD`` splits them) holding one of ``heads``, in
    any case: 8 µs for a 150-character description against 20 µs for
    looking at every word. Each try starts at a word's first letter only."""
    alternatives = "|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])[^\W_]*?(?:{alternatives})[^\W_]*", re.IGNORECASE)


def query_lexemes(query: list[QueryWord]) -> set[str]:
    """Every lexeme a query may match (for highlighting snippets)."""
    return {lexeme for word in query for alt in word for term in alt for lexeme in term}


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before, one after."""
    result: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        result.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return result


def in_word_trigrams(text: str) -> list[str]:
    """The trigrams within words (no padding), sorted: what LIKE and FTS5 can look up."""
    return sorted(g for g in trigrams(text) if " " not in g)


def similarity_to(wanted: set[str], b: str) -> float:
    """pg_trgm's similarity() of the trigrams `wanted` (computed once by the
    caller) and those of `b`: shared trigrams over all trigrams."""
    tb = trigrams(b)
    if not wanted or not tb:
        return 0.0
    shared = len(wanted & tb)
    return shared / (len(wanted) + len(tb) - shared)
