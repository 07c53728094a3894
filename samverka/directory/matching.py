# SPDX-License-Identifier: AGPL-3.0-or-later
"""Find partners: a ranked list of organisations, each score broken into
explained parts.

Retrieval is a constant number of bounded queries (organisations serving the
place's area, plus those offering what is asked in the country, capped); the
scoring is plain Python over the candidates, so every point can be explained.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverka.directory.models import (
    Capability,
    CapabilityKind,
    Country,
    EntryDoor,
    Organisation,
    Place,
    PlaceKind,
    Sector,
    Theme,
    path_prefixes,
)

KEYWORDS = Path(__file__).resolve().parent / "data" / "theme_keywords.json"
CANDIDATE_CAP = 2000
PLACE_ROW_CAP = 4 * CANDIDATE_CAP

# The weight of each part: the most points it can give. Topical fit (themes,
# capabilities) outweighs place (issue 20: an unrelated pizzeria next door ranked
# above a youth organisation for a youth-safety problem), and the ranking also
# puts every topical match near the place before any organisation without one.
WEIGHTS = {
    "themes": 40,
    "capabilities": 30,
    "place": 30,
    "sectors": 15,
    "adds_sector": 10,
    "new_voice": 5,
}
# Share of the place weight for organisations near, not in, the place.
AREA_SHARE = 0.6  # serves the municipality (or another parent) the place lies in
NEARBY_SHARE = 0.4  # serves another part of the same municipality
COUNTRY_SHARE = 0.2  # serves the whole country
# Partnerships after which the new-voice boost is gone.
NEW_VOICE_LIMIT = 3

# Given organisation ids, how many partnerships each is in already (missing = 0).
PartnershipCounter = Callable[[Sequence[int]], Mapping[int, int]]


def no_partnerships_yet(organisation_ids: Sequence[int]) -> Mapping[int, int]:
    """Partnerships do not exist yet: everyone is a new voice."""
    return {}


_partnership_counter: PartnershipCounter = no_partnerships_yet


def set_partnership_counter(counter: PartnershipCounter) -> None:
    """The partnerships app registers its counter here (one query for all ids)."""
    global _partnership_counter
    _partnership_counter = counter


@dataclass(frozen=True)
class MatchRequest:
    """What a partnership, or someone starting one, is looking for."""

    text: str = ""
    place: Place | None = None
    country: str = ""  # used when no place is given; "" means all countries
    capabilities: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    # Sectors the partnership has already; a candidate adding another scores.
    present_sectors: tuple[str, ...] = ()
    # Organisations already in the partnership, left out of the results.
    exclude: tuple[int, ...] = ()
    limit: int = 20


@dataclass(frozen=True)
class Part:
    key: str
    weight: int
    points: int
    reason: str


@dataclass(frozen=True)
class Match:
    organisation: Organisation
    score: int  # 0-100: points as a share of what this request can give
    points: int
    parts: tuple[Part, ...]  # topical reasons first
    places: tuple[str, ...] = ()  # names of the places it serves in or above the area
    entry_door: EntryDoor | None = None  # the way in for what was asked, else the first


@dataclass(frozen=True)
class MatchResult:
    matches: list[Match]
    text_themes: list[str]
    max_points: int
    candidates: int
    capped: bool = False
    place_label: str = ""
    weights: dict[str, int] = field(default_factory=lambda: dict(WEIGHTS))


# --- themes from text ----------------------------------------------------------


@dataclass(frozen=True)
class _Keywords:
    pattern: re.Pattern[str]
    themes: dict[str, frozenset[str]]  # matched keyword -> themes


@cache
def _keywords() -> _Keywords:
    data = json.loads(KEYWORDS.read_text(encoding="utf-8"))
    themes: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}  # keyword -> "prefix" | "inside" | "word"
    for theme, languages in data.items():
        if theme.startswith("_"):
            continue
        if theme not in Theme.values:
            raise ValueError(f"unknown theme in {KEYWORDS.name}: {theme}")
        for words in languages.values():
            for word in words:
                kind = {"*": "inside", "=": "word"}.get(word[:1], "prefix")
                word = word.lstrip("*=").lower()
                themes.setdefault(word, set()).add(theme)
                # The loosest rule given for a keyword wins.
                order = ["word", "prefix", "inside"]
                if order.index(kind) > order.index(kinds.get(word, "word")):
                    kinds[word] = kind
                else:
                    kinds.setdefault(word, kind)

    def alternatives(kind: str) -> str:
        words = sorted((w for w, k in kinds.items() if k == kind), key=lambda w: (-len(w), w))
        return "|".join(re.escape(w) for w in words) or "(?!)"

    pattern = re.compile(
        rf"\b(?:{alternatives('word')})\b"
        rf"|\b(?:{alternatives('prefix')})"
        rf"|(?:{alternatives('inside')})"
    )
    return _Keywords(pattern, {w: frozenset(t) for w, t in themes.items()})


def themes_in(text: str) -> list[str]:
    """The themes a free text (sv/nb/da/en) is about, in the taxonomy's order."""
    keywords = _keywords()
    found: set[str] = set()
    for match in keywords.pattern.finditer(text.lower()):
        found |= keywords.themes[match.group(0)]
    return [theme for theme in Theme.values if theme in found]


# --- retrieval -----------------------------------------------------------------


@dataclass
class _Area:
    place: Place
    label: str
    ancestors: dict[str, Place]  # path -> place, from the country down, not the place itself
    municipality: Place | None


def _area(place: Place) -> _Area:
    paths = path_prefixes(place.path)[:-1]
    ancestors = {p.path: p for p in Place.objects.filter(path__in=paths).order_by("path")}
    municipality = next(
        (p for p in [place, *ancestors.values()] if p.kind == PlaceKind.MUNICIPALITY), None
    )
    parent = ancestors.get(paths[-1]) if paths else None
    label = (
        _("%(place)s, %(parent)s") % {"place": place.name, "parent": parent.name}
        if parent is not None and parent.kind != PlaceKind.COUNTRY
        else place.name
    )
    return _Area(place=place, label=label, ancestors=ancestors, municipality=municipality)


def _served_places(area: _Area) -> dict[int, list[tuple[str, str]]]:
    """{organisation id: [(path, name)]} for places in or above the area."""
    scope = area.municipality or area.place
    through = Organisation.places.through
    rows = (
        through.objects.filter(
            Q(place__path__startswith=scope.path) | Q(place__path__in=list(area.ancestors))
        )
        .order_by("organisation_id", "place__path")
        .values_list("organisation_id", "place__path", "place__name")[:PLACE_ROW_CAP]
    )
    served: dict[int, list[tuple[str, str]]] = {}
    for organisation_id, path, name in rows:
        served.setdefault(organisation_id, []).append((path, name))
    return served


def _candidate_ids(
    request: MatchRequest, country: str, text_themes: list[str], in_area: Iterable[int]
) -> tuple[list[int], bool]:
    ids = dict.fromkeys(in_area)
    in_country = Q(country=country) if country else Q()
    if request.capabilities:
        ids.update(
            dict.fromkeys(
                Capability.objects.filter(
                    kind__in=request.capabilities,
                    **({"organisation__country": country} if country else {}),
                )
                .order_by("organisation_id")
                .values_list("organisation_id", flat=True)[:CANDIDATE_CAP]
            )
        )
    if request.sectors:
        ids.update(
            dict.fromkeys(
                Organisation.objects.filter(in_country, sector__in=request.sectors)
                .order_by("id")
                .values_list("id", flat=True)[:CANDIDATE_CAP]
            )
        )
    if text_themes:
        # The JSON list as text works alike on SQLite and PostgreSQL.
        any_theme = Q()
        for theme in text_themes:
            any_theme |= Q(themes_text__contains=f'"{theme}"')
        ids.update(
            dict.fromkeys(
                Organisation.objects.filter(in_country)
                .annotate(themes_text=Cast("themes", TextField()))
                .filter(any_theme)
                .order_by("id")
                .values_list("id", flat=True)[:CANDIDATE_CAP]
            )
        )
    for pk in request.exclude:
        ids.pop(pk, None)
    # Those in the area came first, so they survive the cap.
    candidates = list(ids)
    return candidates[:CANDIDATE_CAP], len(candidates) > CANDIDATE_CAP


# --- scoring -------------------------------------------------------------------


def _lower_first(label: object) -> str:
    text = str(label)
    return text[:1].lower() + text[1:]


def _share(weight: int, share: float) -> int:
    return round(weight * share)


def _place_part(area: _Area, served: list[tuple[str, str]]) -> Part:
    weight = WEIGHTS["place"]
    inside = [(p, n) for p, n in served if p.startswith(area.place.path)]
    if inside:
        path, name = min(inside)
        reason = (
            _("Works in %(place)s") % {"place": area.label}
            if path == area.place.path
            else _("Works in %(part)s, in %(place)s") % {"part": name, "place": area.label}
        )
        return Part("place", weight, weight, reason)
    above = [area.ancestors[p] for p, _n in served if p in area.ancestors]
    local_above = [p for p in above if p.kind != PlaceKind.COUNTRY]
    if local_above:
        nearest = max(local_above, key=lambda p: len(p.path))
        return Part(
            "place",
            weight,
            _share(weight, AREA_SHARE),
            _("Works across %(area)s, which includes %(place)s")
            % {"area": nearest.name, "place": area.place.name},
        )
    if area.municipality is not None:
        nearby = sorted(
            (p, n)
            for p, n in served
            if p.startswith(area.municipality.path) and p != area.municipality.path
        )
        if nearby:
            return Part(
                "place",
                weight,
                _share(weight, NEARBY_SHARE),
                _("Works nearby: %(nearby)s, %(municipality)s")
                % {"nearby": nearby[0][1], "municipality": area.municipality.name},
            )
    if above:
        return Part(
            "place",
            weight,
            _share(weight, COUNTRY_SHARE),
            _("Works across %(country)s") % {"country": above[0].name},
        )
    return Part(
        "place", weight, 0, _("Not known to work in or near %(place)s") % {"place": area.label}
    )


def _capabilities_part(wanted: Sequence[str], offered: Mapping[str, str]) -> Part:
    weight = WEIGHTS["capabilities"]
    matched = [kind for kind in wanted if kind in offered]
    if not matched:
        return Part("capabilities", weight, 0, _("Offers none of the capabilities you asked for"))
    sentences = []
    for kind in matched:
        label = _lower_first(CapabilityKind(kind).label)
        detail = offered[kind]
        sentences.append(
            _("Offers %(capability)s: %(detail)s") % {"capability": label, "detail": detail}
            if detail
            else _("Offers %(capability)s") % {"capability": label}
        )
    return Part(
        "capabilities", weight, _share(weight, len(matched) / len(wanted)), "; ".join(sentences)
    )


def _sectors_part(wanted: Sequence[str], sector: str) -> Part:
    weight = WEIGHTS["sectors"]
    label = _lower_first(Sector(sector).label) if sector in Sector.values else sector
    if sector in wanted:
        return Part(
            "sectors", weight, weight, _("Is a %(sector)s, as you asked") % {"sector": label}
        )
    return Part("sectors", weight, 0, _("Not one of the sectors you asked for"))


def _adds_sector_part(present: Sequence[str], sector: str) -> Part:
    weight = WEIGHTS["adds_sector"]
    label = _lower_first(Sector(sector).label) if sector in Sector.values else sector
    if sector not in present:
        return Part(
            "adds_sector",
            weight,
            weight,
            _("Adds %(sector)s, which the partnership lacks") % {"sector": label},
        )
    return Part(
        "adds_sector",
        weight,
        0,
        _("The partnership has a %(sector)s already") % {"sector": label},
    )


def _new_voice_part(count: int) -> Part:
    weight = WEIGHTS["new_voice"]
    if count <= 0:
        return Part("new_voice", weight, weight, _("Not in any partnership yet"))
    return Part(
        "new_voice",
        weight,
        _share(weight, max(0.0, 1 - count / NEW_VOICE_LIMIT)),
        ngettext(
            "In %(count)d partnership so far",
            "In %(count)d partnerships so far",
            count,
        )
        % {"count": count},
    )


def _theme_list(themes: Iterable[str]) -> str:
    return ", ".join(_lower_first(Theme(t).label) for t in themes)


def _themes_part(text_themes: Sequence[str], organisation_themes: set[str]) -> Part:
    weight = WEIGHTS["themes"]
    shared = [t for t in text_themes if t in organisation_themes]
    if not shared:
        return Part(
            "themes",
            weight,
            0,
            _("Works on none of the themes in your text: %(themes)s")
            % {"themes": _theme_list(text_themes)},
        )
    return Part(
        "themes",
        weight,
        _share(weight, len(shared) / len(text_themes)),
        _("Themes from your text: %(themes)s") % {"themes": _theme_list(shared)},
    )


def _organisation_themes(
    organisation: Organisation, offered: Mapping[str, str], doors: Sequence[EntryDoor]
) -> set[str]:
    """Declared themes, and those its own words are about: description,
    commitment, what it offers and what its entry doors are for (unclaimed
    profiles seldom declare any)."""
    words = " ".join(
        [organisation.description, organisation.commitment, *offered.values()]
        + [door.topic for door in doors]
    )
    return set(organisation.themes or []) | set(themes_in(words))


def _entry_door(doors: Sequence[EntryDoor], text_themes: Sequence[str]) -> EntryDoor | None:
    """The door whose topic is about the request's themes, else the first."""
    wanted = set(text_themes)
    return next((d for d in doors if wanted & set(themes_in(d.topic))), None) or next(
        iter(doors), None
    )


# Parts that say the organisation is relevant; the others only boost.
RELEVANCE = {"place", "capabilities", "sectors", "themes"}
# Parts that say it works on the problem itself.
TOPICAL = {"capabilities", "themes"}


def _rank_key(match: Match, topical_asked: bool) -> tuple[bool, int, str, int]:
    """Topical matches in or near the place (or anywhere, if no place was
    given) come first whatever the place score of the others; then points."""
    parts = {p.key: p for p in match.parts}
    topical = any(parts[k].points for k in TOPICAL if k in parts)
    near = "place" not in parts or parts["place"].points > 0
    return (
        topical_asked and not (topical and near),
        -match.points,
        match.organisation.name,
        match.organisation.pk,
    )


def find_partners(
    request: MatchRequest, *, partnership_counts: PartnershipCounter | None = None
) -> MatchResult:
    """Rank organisations for `request`; a constant number of queries."""
    counter = partnership_counts or _partnership_counter
    text_themes = themes_in(request.text)
    area = _area(request.place) if request.place is not None else None
    country = request.place.country if request.place is not None else request.country
    if country and country not in Country.values:
        country = ""
    served = _served_places(area) if area is not None else {}
    ids, capped = _candidate_ids(request, country, text_themes, served)
    applicable = [
        key
        for key, asked in [
            ("place", area is not None),
            ("capabilities", bool(request.capabilities)),
            ("themes", bool(text_themes)),
            ("sectors", bool(request.sectors)),
            ("adds_sector", bool(request.present_sectors)),
            ("new_voice", True),
        ]
        if asked
    ]
    max_points = sum(WEIGHTS[key] for key in applicable)
    if not ids or not RELEVANCE & set(applicable):
        return MatchResult([], text_themes, max_points, 0, capped, area.label if area else "")

    organisations = list(
        Organisation.objects.filter(pk__in=ids)
        .only(
            "name",
            "country",
            "sector",
            "description",
            "commitment",
            "themes",
            "claimed",
        )
        .prefetch_related("capabilities", "entry_doors")
    )
    counts = counter([o.pk for o in organisations])
    matches = []
    for organisation in organisations:
        offered = {c.kind: c.detail for c in organisation.capabilities.all()}
        doors = list(organisation.entry_doors.all())
        parts = []
        if text_themes:
            parts.append(
                _themes_part(text_themes, _organisation_themes(organisation, offered, doors))
            )
        if request.capabilities:
            parts.append(_capabilities_part(request.capabilities, offered))
        if area is not None:
            parts.append(_place_part(area, served.get(organisation.pk, [])))
        if request.sectors:
            parts.append(_sectors_part(request.sectors, organisation.sector))
        if request.present_sectors:
            parts.append(_adds_sector_part(request.present_sectors, organisation.sector))
        parts.append(_new_voice_part(counts.get(organisation.pk, 0)))
        if not any(p.points for p in parts if p.key in RELEVANCE):
            continue
        points = sum(p.points for p in parts)
        matches.append(
            Match(
                organisation=organisation,
                score=round(100 * points / max_points),
                points=points,
                parts=tuple(parts),
                # Those in or above the area; no extra query for the others.
                places=tuple(dict.fromkeys(n for _p, n in served.get(organisation.pk, []))),
                entry_door=_entry_door(doors, text_themes),
            )
        )
    topical_asked = bool(text_themes or request.capabilities)
    matches.sort(key=lambda m: _rank_key(m, topical_asked))
    return MatchResult(
        matches=matches[: max(0, request.limit)],
        text_themes=text_themes,
        max_points=max_points,
        candidates=len(organisations),
        capped=capped,
        place_label=area.label if area else "",
    )


def places_named(name: str, country: str = "") -> list[Place]:
    """Places for a name typed into the form: exact names first, else names
    starting with it; at most ten."""
    places = Place.objects.select_related("parent").order_by("path")
    if country:
        places = places.filter(country=country)
    name = name.strip()
    # SQLite folds case for ASCII only: also try "østerbyen" as "Østerbyen".
    variants = sorted({name, name[:1].upper() + name[1:], name.title()})
    exact, start = Q(), Q()
    for variant in variants:
        exact |= Q(name__iexact=variant)
        start |= Q(name__istartswith=variant)
    return list(places.filter(exact)[:10]) or list(places.filter(start)[:10])
