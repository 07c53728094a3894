# SPDX-License-Identifier: AGPL-3.0-or-later
"""Related words and themes in search (issue 20). Runs on SQLite and on PostgreSQL."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from samverka.directory.models import Theme
from samverka.directory.search import search, text, vocabulary
from samverka.directory.services import create_organisation

pytestmark = pytest.mark.django_db

DATA = json.loads((text.DATA / "vocabulary.json").read_text(encoding="utf-8"))
GROUPS = DATA["groups"]
# A sentence around a word, per description language, holding no group word.
SENTENCE = {
    "sv": "Här i Rinkeby finns {} varje tisdag.",
    "nb": "Her på Grünerløkka finnes {} hver tirsdag.",
    "da": "Her på Nørrebro findes {} hver tirsdag.",
    "en": "Here in Leeds you find {} every Tuesday.",
}
NEUTRAL = {
    "sv": "Vi har öppet varje tisdag i Rinkeby.",
    "nb": "Vi har åpent hver tirsdag på Grünerløkka.",
    "da": "Vi har åbent hver tirsdag på Nørrebro.",
    "en": "We are open every Tuesday in Leeds.",
}


def org(name, *, language="sv", themes=(), description=""):
    return create_organisation(
        by=None,
        name=name,
        country="SE",
        sector="civil_society",
        description_language=language,
        description=description,
        themes=list(themes),
    )


def names(results):
    """The hits found by their words (not by a name like the query)."""
    return [hit.organisation.name for hit in results.hits if not hit.similar_name]


def lexemes(word, languages=text.LANGUAGES):
    return {word, *(text.stem(word, language) for language in languages)}


# -- the data -----------------------------------------------------------------


def test_the_data_says_what_it_is_and_where_the_words_come_from():
    assert DATA["_doc"].strip()
    assert DATA["_sources"].strip()


def test_every_theme_has_a_group_with_words_in_all_four_languages():
    covered = {group.get("theme") for group in GROUPS}
    assert set(Theme.values) <= covered
    assert covered - {None} <= set(Theme.values)


@pytest.mark.parametrize("group", GROUPS, ids=[g["name"] for g in GROUPS])
def test_each_group_is_well_formed(group):
    assert set(group) <= {"name", "theme", *text.LANGUAGES}
    for language in text.LANGUAGES:
        assert group[language], f"{group['name']}: no {language} words"
        for phrase in group[language]:
            # Whole words as the index splits them, lower case, none a stop word.
            assert phrase == " ".join(text.words(phrase)), phrase
            for word in text.words(phrase):
                assert word not in text.any_stop_words(), word
    distinct = {p for language in text.LANGUAGES for p in group[language]}
    assert len(distinct) <= vocabulary.MAX_GROUP_WORDS


def test_no_word_belongs_to_two_groups():
    owner = {}
    for group in GROUPS:
        for language in text.LANGUAGES:
            for phrase in group[language]:
                if " " in phrase:
                    continue
                for lexeme in lexemes(phrase, [language]):
                    assert owner.setdefault(lexeme, group["name"]) == group["name"], (
                        f"{phrase!r} ({lexeme}) is in {owner[lexeme]} and {group['name']}"
                    )


def test_a_word_in_no_group_searches_nothing_more():
    for q in ("lokaler", "ungefär", "Rinkeby", ""):
        parsed = vocabulary.parse(q)
        assert parsed.tiers == [text.parse_query(q)]
        assert parsed.related == [] and parsed.themes == []


def test_danish_unge_is_matched_as_a_word_not_a_prefix():
    org("Ungefär", description="Vi träffas ungefär varannan vecka.")
    org("Ungdomshuset", language="da", description="Et sted for unge i byen.")
    assert names(search("unge")) == ["Ungdomshuset"]


# -- each theme in each language ----------------------------------------------


def _theme_cases():
    cases = []
    for theme in Theme.values:
        group = next(g for g in GROUPS if g.get("theme") == theme)
        for language in text.LANGUAGES:
            cases.append(pytest.param(group, language, id=f"{theme}-{language}"))
    return cases


@pytest.mark.parametrize(("group", "language"), _theme_cases())
def test_each_theme_is_found_by_its_words_in_each_language(group, language):
    theme = group["theme"]
    query = next(p for p in group[language] if " " not in p)
    # Described in the next language with a word of the group that is not the query's.
    other = text.LANGUAGES[(text.LANGUAGES.index(language) + 1) % 4]
    word = next(
        p for p in group[other] if " " not in p and lexemes(p, [other]).isdisjoint(lexemes(query))
    )
    org("Described", language=other, description=SENTENCE[other].format(word))
    org("Tagged", language=other, themes=[theme], description=NEUTRAL[other])
    unrelated = next(t for t in Theme.values if t != theme)
    org("Elsewhere", language=other, themes=[unrelated], description=NEUTRAL[other])
    results = search(query)
    assert set(names(results)) == {"Described", "Tagged"}
    assert theme in results.themes


# -- what the issue names -----------------------------------------------------


@pytest.mark.parametrize("query", ["ungdom", "ungdomar", "youth"])
def test_youth_words_find_unga(query):
    org("Unga i Tensta", description="Läxhjälp och fritid för unga i Tensta.")
    org("Bridge", description="Bridge för pensionärer.")
    assert names(search(query)) == ["Unga i Tensta"]


def test_idrott_finds_an_idrottsforening():
    org("IK Tensta", description="Vi är en idrottsförening med fotboll och basket.")
    org("Bridge", description="Bridge för pensionärer.")
    assert names(search("idrott")) == ["IK Tensta"]


def test_the_typed_word_ranks_above_related_words_and_the_theme():
    # Names sort the other way, so only the tiers can give this order.
    org("A tagged", themes=[Theme.CHILDREN_YOUTH], description="Öppet varje tisdag.")
    org("B related", description="Vi ordnar aktiviteter för tonåringar.")
    org("C typed", description="Vi ordnar aktiviteter för ungdomar.")
    assert names(search("ungdom")) == ["C typed", "B related", "A tagged"]
    assert names(search("ungdom", sort="name")) == ["A tagged", "B related", "C typed"]


def test_a_phrase_is_one_word_of_its_group():
    org("Seniorer", description="Träffar för seniorer.")
    org("People", language="en", description="People who are young at heart.")
    assert names(search("older people")) == ["Seniorer"]


def test_related_words_narrow_with_the_other_words():
    org("Tensta", description="Fotboll för unga i Tensta.")
    org("Kista", description="Fotboll för unga i Kista.")
    assert names(search("ungdom tensta")) == ["Tensta"]


def test_two_words_of_one_theme_each_find_its_tagged_organisations():
    org("Tagged", themes=[Theme.CHILDREN_YOUTH], description="Öppet varje tisdag.")
    org("Youth only", description="Aktiviteter för unga.")
    org("Elsewhere", themes=[Theme.SPORT], description="Öppet varje tisdag.")
    assert set(names(search("ungdom barn"))) == {"Tagged"}


def test_synonyms_are_marked_in_the_snippet():
    org("Unga i Tensta", description="Läxhjälp för unga i Tensta.")
    (hit,) = search("ungdom").hits
    assert ("unga", True) in hit.snippet


def test_the_page_says_what_else_it_searched(client):
    org("Unga i Tensta", description="Läxhjälp för unga i Tensta.")
    with translation.override("sv"):
        page = client.get(reverse("directory:search"), {"q": "ungdom"}, HTTP_ACCEPT_LANGUAGE="sv")
    html = page.content.decode()
    assert "Sökte också på: ungdomar, unga" in html
    assert "Visar också organisationer inom Barn och unga." in html


def test_the_page_says_nothing_more_for_a_word_in_no_group(client):
    org("Lokalen", description="Vi hyr ut lokaler.")
    page = client.get(reverse("directory:search"), {"q": "lokaler"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Also searched for" not in page.content.decode()
