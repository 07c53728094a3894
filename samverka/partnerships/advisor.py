# SPDX-License-Identifier: AGPL-3.0-or-later
"""The model advisor: which form of collaboration fits, and why.

The rules are data (data/advisor_rules.json): each adds points to one form
when its conditions hold and gives a reason or a caution with sources.
`advise` is a pure function of the answers; texts resolve to the active
language only when shown, so the same result serves every language.
A question may carry a condition on earlier answers (`ask_when`): where it
does not hold the question is not required and its answer is ignored. Each
source names its country, and advice cites only the answers' country's.
Guidance, not legal advice.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language

RULES_FILE = Path(__file__).resolve().parent / "data" / "advisor_rules.json"
LANGUAGES = ("sv", "nb", "da", "en")
COUNTRIES = ("SE", "NO", "DK")
PURPOSES = ("safety", "inclusion", "jobs", "environment", "service")
SCOPES = ("place", "municipality")
HORIZONS = ("pilot", "fixed_term", "long_term")
BOOLEAN_FACTS = (
    "buys_service",
    "own_resources",
    "tests_concepts",
    "owners_central",
    "police",
)


@dataclass(frozen=True)
class Text:
    """A text in the four languages; str() gives the active language's."""

    translations: Mapping[str, str] = field(hash=False, compare=False)
    key: str = ""

    def in_language(self, language: str | None) -> str:
        code = (language or "en").split("-")[0].lower()
        if code in ("no", "nn"):
            code = "nb"
        return self.translations.get(code) or self.translations["en"]

    def __str__(self) -> str:
        return self.in_language(get_language())

    def lazy(self) -> Promise:
        """A lazy string, for places that want one (form labels and choices)."""
        return lazy(self.__str__, str)()


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str  # "" when no stable public address is known
    lang: str
    country: str  # whose rules or practice it documents


@dataclass(frozen=True)
class Point:
    """One reason or caution, with what it rests on."""

    text: Text
    sources: tuple[Source, ...]
    # In advice: the answers' country when the point rests only on other
    # countries' sources (which are then left out), so the page can say so.
    missing_for: str = ""


@dataclass(frozen=True)
class Answers:
    """What the questionnaire asks. Independent of models, so a partnership
    page can fill it from a partnership's members and place."""

    country: str
    sectors: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    scope: str = "place"
    horizon: str = "long_term"
    buys_service: bool = False  # the public side wants to buy a defined service
    own_resources: bool = False  # civil society brings its own resources, shares the goal
    tests_concepts: bool = False  # a time-limited test of concepts
    owners_central: bool = False  # property owners are central to the place
    police_involved: bool = False

    def __post_init__(self) -> None:
        if self.country not in COUNTRIES:
            raise ValueError(f"country must be one of {COUNTRIES}")
        if self.scope not in SCOPES:
            raise ValueError(f"scope must be one of {SCOPES}")
        if self.horizon not in HORIZONS:
            raise ValueError(f"horizon must be one of {HORIZONS}")
        if not set(self.purposes) <= set(PURPOSES):
            raise ValueError(f"purposes must be among {PURPOSES}")
        object.__setattr__(self, "sectors", frozenset(self.sectors))
        object.__setattr__(self, "purposes", frozenset(self.purposes))

    def facts(self) -> dict[str, Any]:
        """The answers as the rules read them (police in the sectors counts too)."""
        return {
            "country": self.country,
            "sectors": self.sectors,
            "purposes": self.purposes,
            "scope": self.scope,
            "horizon": self.horizon,
            "buys_service": self.buys_service,
            "own_resources": self.own_resources,
            "tests_concepts": self.tests_concepts,
            "owners_central": self.owners_central,
            "police": self.police_involved or "police" in self.sectors,
        }


@dataclass(frozen=True)
class Recommendation:
    form: str
    score: int
    name: Text
    summary: Text
    reasons: tuple[Point, ...]
    cautions: tuple[Point, ...]
    # Every applying rule's point with its points, for explaining the ranking.
    weighted: tuple[tuple[Point, int], ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source of the reasons and cautions, once, in order."""
        seen: dict[str, Source] = {}
        for point in (*self.reasons, *self.cautions):
            for source in point.sources:
                seen.setdefault(source.key, source)
        return tuple(seen.values())


@dataclass(frozen=True)
class Rule:
    form: str
    when: Mapping[str, Any]
    unless: Mapping[str, Any] | None
    points: int
    point: Point
    is_caution: bool


@dataclass(frozen=True)
class Condition:
    """When a question applies: a condition on earlier answers, as the rules
    write theirs, with a hint for the form and a note for when it was skipped."""

    when: Mapping[str, Any]
    hint: Text
    skipped: Text


@dataclass(frozen=True)
class Form:
    code: str
    countries: tuple[str, ...]
    name: Text
    summary: Text
    not_available: Text | None


@dataclass(frozen=True)
class RuleBook:
    form_order: tuple[str, ...]
    forms: Mapping[str, Form]
    rules: tuple[Rule, ...]
    sector_groups: Mapping[str, frozenset[str]]
    questions: Mapping[str, Text]
    choices: Mapping[str, Mapping[str, Text]]
    sources: Mapping[str, Source]
    conditions: Mapping[str, Condition]


def _text(data: Mapping[str, str], key: str) -> Text:
    missing = [code for code in LANGUAGES if not data.get(code, "").strip()]
    if missing:
        raise ValueError(f"{key}: no text in {missing}")
    return Text(dict(data), key)


@cache
def rule_book() -> RuleBook:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    sources = {key: Source(key=key, **value) for key, value in data["sources"].items()}
    forms = {
        code: Form(
            code=code,
            countries=tuple(value["countries"]),
            name=_text(value["name"], f"{code}.name"),
            summary=_text(value["summary"], f"{code}.summary"),
            not_available=(
                _text(value["not_available"], f"{code}.not_available")
                if "not_available" in value
                else None
            ),
        )
        for code, value in data["forms"].items()
    }
    rules = []
    for number, value in enumerate(data["rules"]):
        is_caution = "caution" in value
        key = f"rules[{number}].{value['form']}"
        rules.append(
            Rule(
                form=value["form"],
                when=value["when"],
                unless=value.get("unless"),
                points=value["points"],
                point=Point(
                    _text(value["caution" if is_caution else "reason"], key),
                    tuple(sources[s] for s in value["sources"]),
                ),
                is_caution=is_caution,
            )
        )
    return RuleBook(
        form_order=tuple(data["form_order"]),
        forms=forms,
        rules=tuple(rules),
        sector_groups={k: frozenset(v) for k, v in data["sector_groups"].items()},
        questions={k: _text(v, f"questions.{k}") for k, v in data["questions"].items()},
        choices={
            question: {k: _text(v, f"choices.{question}.{k}") for k, v in options.items()}
            for question, options in data["choices"].items()
        },
        sources=sources,
        conditions={
            question: Condition(
                when=value["when"],
                hint=_text(value["hint"], f"ask_when.{question}.hint"),
                skipped=_text(value["skipped"], f"ask_when.{question}.skipped"),
            )
            for question, value in data.get("ask_when", {}).items()
        },
    )


def _expand(values: list[str], groups: Mapping[str, frozenset[str]]) -> set[str]:
    expanded: set[str] = set()
    for value in values:
        expanded |= groups[value[1:]] if value.startswith("@") else {value}
    return expanded


def _holds(condition: Mapping[str, Any], facts: Mapping[str, Any], book: RuleBook) -> bool:
    """All conditions hold. Lists: the answer is one of them (for sectors and
    purposes: any in common); sectors_all: every one present; booleans: equal."""
    for key, wanted in condition.items():
        if key == "sectors_all":
            if not _expand(wanted, book.sector_groups) <= facts["sectors"]:
                return False
        elif key == "min_sectors":
            if len(facts["sectors"]) < wanted:
                return False
        elif key in ("sectors", "purposes"):
            if not _expand(wanted, book.sector_groups) & facts[key]:
                return False
        elif isinstance(wanted, list):
            if facts[key] not in wanted:
                return False
        elif facts[key] != wanted:
            return False
    return True


def _applies(rule: Rule, facts: Mapping[str, Any], book: RuleBook) -> bool:
    if not _holds(rule.when, facts, book):
        return False
    return rule.unless is None or not _holds(rule.unless, facts, book)


def question_applies(question: str, facts: Mapping[str, Any]) -> bool | None:
    """Whether a question is asked for these earlier answers; None when an answer
    its condition reads is missing (the form then shows that error first)."""
    book = rule_book()
    condition = book.conditions.get(question)
    if condition is None:
        return True
    if not all(facts.get(key) is not None for key in condition.when):
        return None
    return _holds(condition.when, facts, book)


def skipped_questions(answers: Answers) -> list[tuple[str, Text]]:
    """The questions that do not apply to the answers, each with its note."""
    facts = answers.facts()
    return [
        (question, condition.skipped)
        for question, condition in rule_book().conditions.items()
        if not question_applies(question, facts)
    ]


def _local(point: Point, country: str) -> Point:
    """The point with only the country's sources (a Danish user is not told
    Swedish law), marked when that leaves none of the sources it had."""
    here = tuple(source for source in point.sources if source.country == country)
    return Point(point.text, here, country if point.sources and not here else "")


def advise(answers: Answers) -> list[Recommendation]:
    """The forms available in the answers' country, best fit first (score,
    then the fixed form order), each with its reasons and cautions, citing
    the sources of that country. Answers to questions that do not apply are
    ignored."""
    book = rule_book()
    facts = answers.facts()
    for question, _note in skipped_questions(answers):
        facts[question] = False
    ranked = []
    for code in book.form_order:
        form = book.forms[code]
        if answers.country not in form.countries:
            continue
        applying = [
            rule for rule in book.rules if rule.form == code and _applies(rule, facts, book)
        ]
        points = {id(rule): _local(rule.point, answers.country) for rule in applying}
        ranked.append(
            Recommendation(
                form=code,
                score=max(0, sum(rule.points for rule in applying)),
                name=form.name,
                summary=form.summary,
                reasons=tuple(points[id(rule)] for rule in applying if not rule.is_caution),
                cautions=tuple(points[id(rule)] for rule in applying if rule.is_caution),
                weighted=tuple((points[id(rule)], rule.points) for rule in applying),
            )
        )
    order = {code: index for index, code in enumerate(book.form_order)}
    return sorted(ranked, key=lambda r: (-r.score, order[r.form]))


@dataclass(frozen=True)
class Shortfall:
    """Why the runner-up ranked below the first: the weightiest points between
    them, each (point, weight, whether it counted for the first form)."""

    higher: Recommendation
    lower: Recommendation
    points: tuple[tuple[Point, int, bool], ...]

    @property
    def gap(self) -> int:
        return self.higher.score - self.lower.score


def why_lower(ranked: list[Recommendation], most: int = 3) -> Shortfall | None:
    """The main reasons the second-ranked form lost: its own cautions that took
    points away and the first form's reasons, the heaviest first (its own
    cautions first on equal weight)."""
    if len(ranked) < 2:
        return None
    higher, lower = ranked[0], ranked[1]
    against = [(point, -weight, False) for point, weight in lower.weighted if weight < 0]
    for_higher = [(point, weight, True) for point, weight in higher.weighted if weight > 0]
    main = sorted([*against, *for_higher], key=lambda item: -item[1])[:most]
    return Shortfall(higher=higher, lower=lower, points=tuple(main))


def not_available(answers: Answers) -> list[tuple[Form, Text]]:
    """The forms left out for the answers' country, each with the reason."""
    book = rule_book()
    return [
        (form, form.not_available)
        for code in book.form_order
        if answers.country not in (form := book.forms[code]).countries
        and form.not_available is not None
    ]


def every_text() -> list[Text]:
    """All texts the advisor shows, for the translation check."""
    book = rule_book()
    texts: list[Text] = [*book.questions.values()]
    for options in book.choices.values():
        texts += options.values()
    for form in book.forms.values():
        texts += [form.name, form.summary]
        if form.not_available is not None:
            texts.append(form.not_available)
    texts += [rule.point.text for rule in book.rules]
    for condition in book.conditions.values():
        texts += [condition.hint, condition.skipped]
    return texts
