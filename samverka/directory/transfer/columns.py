# SPDX-License-Identifier: AGPL-3.0-or-later
"""The columns of an import or export file, and lookups from what people type
(codes, or labels in any of our four languages) to the stored codes."""

from functools import cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from samverka.core.text import MULTI_LINE_REFUSED, SINGLE_LINE_REFUSED, text_errors
from samverka.directory.models import CapabilityKind, Country, Organisation, Sector, Theme

COLUMNS = (
    "id",
    "name",
    "country",
    "organisation_number",
    "sector",
    "themes",
    "capabilities",
    "places",
    "description",
    "description_language",
    "website",
    "email",
    "phone",
    "commitment",
)
REQUIRED = ("name", "country", "sector")
# Column → how it is named in error messages ("Row 12, organisation number: …").
COLUMN_LABELS = {
    "id": _("stable id"),
    "name": _("name"),
    "country": _("country"),
    "organisation_number": _("organisation number"),
    "sector": _("sector"),
    "themes": _("themes"),
    "capabilities": _("capabilities"),
    "places": _("places"),
    "description": _("description"),
    "description_language": _("language of the description"),
    "website": _("website"),
    "email": _("contact e-mail"),
    "phone": _("phone"),
    "commitment": _("what we can commit to"),
}
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# A blank description language means the country's own language.
COUNTRY_LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}

EXAMPLE_ROW = {
    "id": "",
    "name": "Hyresgästföreningen Hammarkullen",
    "country": "SE",
    "organisation_number": "802002-4785",
    "sector": "residents_association",
    "themes": "housing;safety",
    "capabilities": "volunteers:Trygghetsvandringar varje månad;premises:Lokal för 40 personer",
    "places": "Göteborg",
    "description": "Vi samlar hyresgästerna i Hammarkullen.",
    "description_language": "sv",
    "website": "https://example.org",
    "email": "hammarkullen@example.org",
    "phone": "+46 31 00 00 00",
    "commitment": "Två kvällar i månaden.",
}


# Typed text the import stores, checked as the forms and the API check it
# (core.text): single-line columns refuse line breaks and control characters,
# multi-line ones keep line breaks; the free texts have the model's limit.
# Capability details may hold line breaks (HSDS joins services), so exports of
# them read back.
SINGLE_LINE_COLUMNS = ("name", "organisation_number", "website", "email", "phone")
MULTI_LINE_COLUMNS = ("description", "commitment", "capabilities")
TEXT_MAX_LENGTH = {
    column: Organisation._meta.get_field(column).max_length
    for column in ("description", "commitment")
}


def text_problems(values: dict[str, str | None]) -> list[tuple[str, str]]:
    """(column, message) for each typed text the forms would refuse. One search
    per kind of column for a clean row: this runs for every row of an import."""
    single = [values.get(column) or "" for column in SINGLE_LINE_COLUMNS]
    multi = [values.get(column) or "" for column in MULTI_LINE_COLUMNS]
    if (
        SINGLE_LINE_REFUSED.search("".join(single)) is None
        and MULTI_LINE_REFUSED.search("".join(multi)) is None
        and all(len(values.get(c) or "") <= n for c, n in TEXT_MAX_LENGTH.items())
    ):
        return []
    problems: list[tuple[str, str]] = []
    for column, value in zip(SINGLE_LINE_COLUMNS, single, strict=True):
        problems.extend((column, m) for m in text_errors(value, max_length=None))
    for column, value in zip(MULTI_LINE_COLUMNS, multi, strict=True):
        problems.extend(
            (column, m)
            for m in text_errors(value, max_length=TEXT_MAX_LENGTH.get(column), multiline=True)
        )
    return problems


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def choice_lookup(choices: type[models.Choices]) -> dict[str, str]:
    """{folded code or label in sv/nb/da/en: code}. Codes win over labels."""
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        with override(language):
            for value, label in choices.choices:
                lookup.setdefault(_fold(str(label)), value)
    for value in choices.values:
        lookup[_fold(value)] = value
    return lookup


@cache
def country_lookup() -> dict[str, str]:
    lookup = dict(choice_lookup(Country))
    lookup.update({code: code for code in Country.values})
    lookup.update({"sverige": "SE", "norge": "NO", "noreg": "NO", "danmark": "DK"})
    return lookup


@cache
def language_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        with override(language):
            for code, name in settings.LANGUAGES:
                lookup.setdefault(_fold(str(name)), code)
    lookup.update({"svenska": "sv", "norsk": "nb", "bokmål": "nb", "dansk": "da"})
    lookup.update({"english": "en", "engelska": "en", "engelsk": "en"})
    lookup.update({"no": "nb", "nn": "nb", "se": "sv", "dk": "da"})
    lookup.update({code: code for code in LANGUAGES})
    return lookup


# Column names as Nordic spreadsheets write them, whatever the catalogs say.
HEADER_ALIASES = {
    "uuid": "id",
    "organisation number": "organisation_number",
    "namn": "name",
    "navn": "name",
    "land": "country",
    "organisationsnummer": "organisation_number",
    "organisasjonsnummer": "organisation_number",
    "orgnr": "organisation_number",
    "org.nr.": "organisation_number",
    "cvr": "organisation_number",
    "cvr-nummer": "organisation_number",
    "sektor": "sector",
    "teman": "themes",
    "tema": "themes",
    "temaer": "themes",
    "förmågor": "capabilities",
    "ressurser": "capabilities",
    "ressourcer": "capabilities",
    "platser": "places",
    "steder": "places",
    "beskrivning": "description",
    "beskrivelse": "description",
    "språk": "description_language",
    "sprog": "description_language",
    "webbplats": "website",
    "nettsted": "website",
    "hjemmeside": "website",
    "e-post": "email",
    "e-mail": "email",
    "telefon": "phone",
    "åtagande": "commitment",
}


@cache
def header_lookup() -> dict[str, str]:
    """Column names as codes, or as the field labels in any of the four languages."""
    lookup: dict[str, str] = {}
    for language in LANGUAGES:
        with override(language):
            for column, label in COLUMN_LABELS.items():
                lookup.setdefault(_fold(str(label)), column)
            for column in COLUMNS[1:]:
                label = getattr(Organisation._meta.get_field(column), "verbose_name", None)
                if column != "id" and label:
                    lookup.setdefault(_fold(str(label)), column)
    lookup.update(HEADER_ALIASES)
    lookup.update({column: column for column in COLUMNS})
    return lookup


def sectors() -> dict[str, str]:
    return choice_lookup(Sector)


def themes() -> dict[str, str]:
    return choice_lookup(Theme)


def capability_kinds() -> dict[str, str]:
    return choice_lookup(CapabilityKind)


fold = _fold

# Spreadsheets run cells starting with these as formulas (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def unescape_formula(value: str) -> str:
    """The inverse of escape_formula: the import reads exports back exactly."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
