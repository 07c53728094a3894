# SPDX-License-Identifier: AGPL-3.0-or-later
"""The columns of an import or export file, and lookups from what people type
(codes, or labels in any of our four languages) to the stored codes."""

from functools import cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

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
