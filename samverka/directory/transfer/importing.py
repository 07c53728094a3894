# SPDX-License-Identifier: AGPL-3.0-or-later
"""Importing organisations: one pass over the file that validates every row
and, when asked to, writes the changes in batches.

The preview runs the pass without writing; the commit runs it again inside
one transaction and rolls everything back if any row has an error, so an
import is all-or-nothing. Rows match existing organisations by stable id
(uuid), then by (country, organisation number), then, for rows with neither,
by (country, name) among organisations without a number when exactly one has
that name. Re-importing the same file therefore changes nothing.

Everything that could need a query per row is loaded once (id maps, places)
or once per batch (the matched organisations), and the writes use COPY on
PostgreSQL and executemany on SQLite.
"""

import gc
import json
import multiprocessing
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.core.audit import batch_entry_data, id_runs
from samverka.core.bulk import large_cache, rebuilt_indexes
from samverka.core.models import LogEntry
from samverka.directory import orgnumbers
from samverka.directory.models import (
    Capability,
    Organisation,
    Place,
    PlaceKind,
    Theme,
)
from samverka.directory.search import index
from samverka.directory.transfer import columns as cols
from samverka.directory.transfer.reading import open_table, quoted

BATCH = 10_000
# An import of at least this many rows into a directory at most half its size
# rebuilds the directory's indexes after loading (PostgreSQL; see
# core.bulk.rebuilt_indexes): 100,000 new organisations: 6.1 -> 3.9-4.3 s.
REBUILD_AT = 20_000
# CSV files of at least this many rows are cleaned in a second process (see
# _cleaned): starting it costs a fork.
CLEAN_APART_AT = 50_000
MAX_ERRORS = 500
MAX_MESSAGE = 500
MAX_COLUMN = 100
# The organisation columns an import sets, in the order rows are compared.
FIELDS = (
    "name",
    "country",
    "organisation_number",
    "sector",
    "themes",
    "description",
    "description_language",
    "website",
    "email",
    "phone",
    "commitment",
)
MAX_LENGTH = {
    name: Organisation._meta.get_field(name).max_length
    for name in FIELDS
    if name != "themes" and Organisation._meta.get_field(name).max_length
}
THEME_ORDER = {value: index for index, value in enumerate(Theme.values)}
AMBIGUOUS = -1

# Strict subsets of Django's validators, checked first because they are ~10x
# faster; anything they do not accept goes to Django's validator.
_FAST_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
    re.IGNORECASE,
)
_FAST_URL = re.compile(
    r"https?://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(/[^\s]*)?",
    re.IGNORECASE,
)
_email_validator = EmailValidator()
_url_validator = URLValidator()


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def _uuid4_hex(random_hex: str, position: int) -> str:
    """The position-th random (version 4, RFC 9562) UUID in 32 hex digits,
    made from 32 of ``random_hex``'s random digits."""
    digits = random_hex[32 * position : 32 * position + 32]
    return f"{digits[:12]}4{digits[13:16]}{_VARIANT[digits[16]]}{digits[17:]}"


class ImportFailed(Exception):
    """Raised inside the commit's transaction to roll it back."""


@dataclass
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Outcome:
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    changed_ids: list[int] = field(default_factory=list)

    def add_error(self, row: int | None, column: str, message: str) -> None:
        # Bounded, so that 500 errors stay a small job result whatever the
        # file holds (values in them are quoted shortened already).
        self.add(RowError(row, quoted(column, MAX_COLUMN), quoted(str(message), MAX_MESSAGE)))

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "written": self.written,
        }


@dataclass
class Row:
    number: int
    uuid: str | None  # 32 hex digits
    values: list[Any]  # FIELDS order; None where the file has no such column
    capabilities: tuple[tuple[str, str], ...] | None
    places: tuple[int, ...] | None
    target: int | None = None


@dataclass
class Directory:
    """What is already stored, loaded once per import."""

    by_uuid: dict[str, int]
    by_number: dict[tuple[str, str], int]
    by_name: dict[tuple[str, str], int]
    places: dict[str, dict[str, int]]

    @classmethod
    def load(cls) -> "Directory":
        by_uuid: dict[str, int] = {}
        by_number: dict[tuple[str, str], int] = {}
        by_name: dict[tuple[str, str], int] = {}
        table = Organisation._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "id", "uuid", "country", "organisation_number", "name" FROM "{table}"'
            )
            for pk, stable, country, number, name in cursor.fetchall():
                by_uuid[stable.hex if isinstance(stable, uuid.UUID) else stable] = pk
                if number:
                    by_number[(country, number)] = pk
                else:
                    key = (country, cols.fold(name))
                    by_name[key] = AMBIGUOUS if key in by_name else pk
        return cls(by_uuid, by_number, by_name, load_places())


def load_places() -> dict[str, dict[str, int]]:
    """{country: {folded municipality name, municipality code or any path: id}}."""
    lookup: dict[str, dict[str, int]] = {}
    for pk, kind, name, country, code, path in Place.objects.values_list(
        "pk", "kind", "name", "country", "code", "path"
    ):
        places = lookup.setdefault(country, {})
        places[path.casefold()] = pk
        if kind == PlaceKind.MUNICIPALITY:
            places[code.casefold()] = pk
            key = cols.fold(name)
            places[key] = AMBIGUOUS if places.get(key, pk) != pk else pk
    return lookup


def place_labels() -> dict[int, str]:
    """How an export names each place: the municipality's name when that is
    unique in its country, else its code; other places by their path."""
    names: dict[tuple[str, str], int] = {}
    rows = list(Place.objects.values_list("pk", "kind", "name", "country", "code", "path"))
    for _pk, kind, name, country, _code, _path in rows:
        if kind == PlaceKind.MUNICIPALITY:
            key = (country, cols.fold(name))
            names[key] = names.get(key, 0) + 1
    labels = {}
    for pk, kind, name, country, code, path in rows:
        if kind == PlaceKind.MUNICIPALITY:
            labels[pk] = name if names[(country, cols.fold(name))] == 1 else code
        else:
            labels[pk] = path
    return labels


def split_list(cell: str) -> list[str]:
    """A ;-separated list; "\\;" is a literal semicolon (exports write it so)."""
    if "\\" not in cell:
        return [part.strip() for part in cell.split(";") if part.strip()]
    parts, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == ";":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def join_list(items: Iterable[str]) -> str:
    return ";".join(item.replace("\\", "\\\\").replace(";", "\\;") for item in items)


class Cleaner:
    """Turns one row of strings into typed values, or errors."""

    def __init__(self, header: list[str], directory: Directory, outcome: Outcome):
        self.directory = directory
        self.outcome = outcome
        self.index: dict[str, int] = {}
        lookup = cols.header_lookup()
        for position, raw in enumerate(header):
            name = cols.fold(raw.lstrip("\ufeff"))
            if not name:
                continue
            column = lookup.get(name)
            if column is None:
                outcome.add_error(
                    1,
                    raw,
                    _("Unknown column “%(name)s”. See the template.") % {"name": quoted(raw)},
                )
            elif column in self.index:
                outcome.add_error(
                    1, raw, _("The column “%(name)s” appears twice.") % {"name": quoted(raw)}
                )
            else:
                self.index[column] = position
        for column in cols.REQUIRED:
            if column not in self.index:
                outcome.add_error(
                    1,
                    column,
                    _("The column “%(name)s” is missing. See the template.") % {"name": column},
                )
        self.width = len(header)
        self.sectors = cols.sectors()
        self.themes = cols.themes()
        self.kinds = cols.capability_kinds()
        self.countries = cols.country_lookup()
        self.languages = cols.language_lookup()
        self.positions = [self.index.get(column) for column in cols.COLUMNS]
        self._theme_cache: dict[Any, Any] = {}
        self._capability_cache: dict[Any, Any] = {}
        self._place_cache: dict[Any, Any] = {}

    @property
    def usable(self) -> bool:
        return self.outcome.error_count == 0

    def clean(self, number: int, cells: list[str]) -> Row | None:
        errors: list[tuple[str, str]] = []
        width = self.width
        if len(cells) != width:
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                errors.append(("", _("This row has more cells than the header.")))
            cells = (cells + [""] * width)[:width]
        joined = "\x1f".join(cells)
        if "\x00" in joined:
            for column, position in self.index.items():
                if "\x00" in cells[position]:
                    errors.append((column, _("Null characters are not allowed.")))
            self._report(number, errors)
            return None
        if "'" in joined:
            cells = [cols.unescape_formula(c) for c in cells]
        (
            stable,
            name,
            raw_country,
            raw_number,
            raw_sector,
            raw_themes,
            raw_capabilities,
            raw_places,
            description,
            language,
            website,
            email,
            phone,
            commitment,
        ) = [None if p is None else cells[p].strip() for p in self.positions]

        errors.extend(
            cols.text_problems(
                {
                    "name": name,
                    "organisation_number": raw_number,
                    "website": website,
                    "email": email,
                    "phone": phone,
                    "capabilities": raw_capabilities,
                    "description": description,
                    "commitment": commitment,
                }
            )
        )

        if stable:
            try:
                stable = uuid.UUID(stable).hex
            except ValueError:
                errors.append(
                    ("id", _("“%(value)s” is not a valid stable id.") % {"value": quoted(stable)})
                )
                stable = None
        else:
            stable = None

        if not name:
            errors.append(("name", _("A name is required.")))
            name = ""
        elif len(name) > MAX_LENGTH["name"]:
            errors.append(("name", _("Keep the name to 200 characters.")))

        raw_country = raw_country or ""
        country = self.countries.get(raw_country) or self.countries.get(cols.fold(raw_country))
        if country is None:
            errors.append(
                (
                    "country",
                    _("Unknown country “%(value)s”: use SE, NO or DK.")
                    % {"value": quoted(raw_country)}
                    if raw_country
                    else _("A country is required."),
                )
            )

        number_value = raw_number
        if raw_number and country:
            try:
                number_value = orgnumbers.normalise(country, raw_number)
            except ValidationError as error:
                errors.append(("organisation_number", " ".join(error.messages)))

        raw_sector = raw_sector or ""
        sector = self.sectors.get(raw_sector) or self.sectors.get(cols.fold(raw_sector))
        if sector is None:
            errors.append(
                (
                    "sector",
                    _("Unknown sector “%(value)s”.") % {"value": quoted(raw_sector)}
                    if raw_sector
                    else _("A sector is required."),
                )
            )

        themes = None
        if raw_themes is not None:
            themes, problems = self._cached(self._theme_cache, raw_themes, self._themes)
            errors.extend(problems)

        capabilities = None
        if raw_capabilities is not None:
            capabilities, problems = self._cached(
                self._capability_cache, raw_capabilities, self._capabilities
            )
            errors.extend(problems)

        places = None
        if raw_places is not None and country:
            places, problems = self._cached(self._place_cache, (country, raw_places), self._places)
            errors.extend(problems)

        if language is not None:
            if language:
                code = self.languages.get(language) or self.languages.get(cols.fold(language))
                if code is None:
                    errors.append(
                        (
                            "description_language",
                            _("Unknown language “%(value)s”: use sv, nb, da or en.")
                            % {"value": quoted(language)},
                        )
                    )
                language = code
            else:
                language = cols.COUNTRY_LANGUAGE.get(country or "", "sv")

        if website:
            if "://" not in website:
                website = "https://" + website
            if len(website) > MAX_LENGTH["website"]:
                errors.append(("website", _("Keep the web address to 200 characters.")))
            elif not _FAST_URL.fullmatch(website):
                try:
                    _url_validator(website)
                except ValidationError:
                    errors.append(("website", _("Enter a valid web address.")))

        if email:
            if len(email) > MAX_LENGTH["email"]:
                errors.append(("email", _("Keep the e-mail address to 254 characters.")))
            elif not _FAST_EMAIL.fullmatch(email):
                try:
                    _email_validator(email)
                except ValidationError:
                    errors.append(("email", _("Enter a valid e-mail address.")))

        if phone and len(phone) > MAX_LENGTH["phone"]:
            errors.append(("phone", _("Keep the phone number to 40 characters.")))

        if errors:
            self._report(number, errors)
            return None
        return Row(
            number=number,
            uuid=stable,
            values=[
                name,
                country,
                number_value,
                sector,
                themes,
                description,
                language,
                website,
                email,
                phone,
                commitment,
            ],
            capabilities=capabilities,
            places=places,
        )

    CACHE_SIZE = 50_000

    def _cached(self, cache: dict[Any, Any], key: Any, parse: Callable[[Any], Any]) -> Any:
        """Lists repeat a lot across rows (themes, places): parse each once."""
        found = cache.get(key)
        if found is None:
            found = parse(key)
            if len(cache) < self.CACHE_SIZE:
                cache[key] = found
        return found

    def _themes(self, raw: str) -> tuple[list[str], list[tuple[str, str]]]:
        found, errors = set(), []
        for part in split_list(raw):
            theme = self.themes.get(part) or self.themes.get(cols.fold(part))
            if theme is None:
                errors.append(("themes", _("Unknown theme “%(value)s”.") % {"value": quoted(part)}))
            else:
                found.add(theme)
        return sorted(found, key=THEME_ORDER.__getitem__), errors

    def _capabilities(self, raw: str) -> tuple[tuple[tuple[str, str], ...], list[tuple[str, str]]]:
        found: dict[str, str] = {}
        errors = []
        for part in split_list(raw):
            label, _sep, detail = part.partition(":")
            kind = self.kinds.get(label) or self.kinds.get(cols.fold(label))
            detail = detail.strip()
            if kind is None:
                errors.append(
                    (
                        "capabilities",
                        _("Unknown capability “%(value)s”. Write kind:detail.")
                        % {"value": quoted(label)},
                    )
                )
            elif kind in found:
                errors.append(
                    (
                        "capabilities",
                        _("The capability “%(value)s” is listed twice.") % {"value": quoted(label)},
                    )
                )
            elif len(detail) > 500:
                errors.append(("capabilities", _("Keep each detail to 500 characters.")))
            else:
                found[kind] = detail
        return tuple(sorted(found.items())), errors

    def _places(self, key: tuple[str, str]) -> tuple[tuple[int, ...], list[tuple[str, str]]]:
        country, raw = key
        known = self.directory.places.get(country, {})
        ids, errors = set(), []
        for part in split_list(raw):
            pk = known.get(part) or known.get(cols.fold(part))
            if pk is None:
                errors.append(
                    (
                        "places",
                        _("Unknown place “%(value)s” in this country.") % {"value": quoted(part)},
                    )
                )
            elif pk == AMBIGUOUS:
                errors.append(
                    (
                        "places",
                        _("Several municipalities are called “%(value)s”: use the code.")
                        % {"value": quoted(part)},
                    )
                )
            else:
                ids.add(pk)
        return tuple(sorted(ids)), errors

    def _report(self, number: int, errors: list[tuple[str, str]]) -> None:
        for column, message in errors:
            self.outcome.add_error(number, column, message)


class Matcher:
    """Finds the stored organisation each row updates, and duplicates in the file."""

    def __init__(self, directory: Directory, outcome: Outcome):
        self.directory = directory
        self.outcome = outcome
        self.seen_uuid: dict[str, int] = {}
        self.seen_number: dict[tuple[str, str], int] = {}
        self.seen_target: dict[int, int] = {}

    def match(self, row: Row) -> bool:
        directory, outcome = self.directory, self.outcome
        country, number = row.values[1], row.values[2]
        target = None
        if row.uuid:
            earlier = self.seen_uuid.setdefault(row.uuid, row.number)
            if earlier != row.number:
                outcome.add_error(
                    row.number,
                    "id",
                    _("The same stable id is also in row %(row)s.") % {"row": earlier},
                )
                return False
            target = directory.by_uuid.get(row.uuid)
        if number:
            earlier = self.seen_number.setdefault((country, number), row.number)
            if earlier != row.number:
                outcome.add_error(
                    row.number,
                    "organisation_number",
                    _("The same organisation number is also in row %(row)s.") % {"row": earlier},
                )
                return False
            by_number = directory.by_number.get((country, number))
            if target is not None and by_number is not None and by_number != target:
                outcome.add_error(
                    row.number,
                    "organisation_number",
                    _("Another organisation in the directory has this number."),
                )
                return False
            target = target if target is not None else by_number
        elif not row.uuid:
            by_name = directory.by_name.get((country, cols.fold(row.values[0])))
            if by_name is not None and by_name != AMBIGUOUS:
                target = by_name
        if target is not None:
            earlier = self.seen_target.setdefault(target, row.number)
            if earlier != row.number:
                outcome.add_error(
                    row.number,
                    "",
                    _("This row and row %(row)s are the same organisation.") % {"row": earlier},
                )
                return False
        row.target = target
        return True


@dataclass
class Stored:
    values: list[Any]
    version: int
    capabilities: tuple[tuple[str, str], ...]
    places: tuple[int, ...]


def _select(sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """``sql`` with ``IN (IDS)`` for the ids: on PostgreSQL one array
    parameter, since converting 10,000 separate ones costs psycopg more than
    the query (see core/lookups.py). Not ``field__any`` through the ORM: the
    compiled querysets read a batch 22 % (PostgreSQL) and 40 % (SQLite) slower."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace("IN (IDS)", "= ANY(%s)"), [ids])
        else:
            cursor.execute(sql.replace("IDS", ", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def _stored(ids: list[int]) -> dict[int, Stored]:
    """The stored values of a batch's matched organisations: three queries."""
    if not ids:
        return {}
    found = {}
    names = ", ".join(f'"{name}"' for name in ("id", "version", *FIELDS))
    table = Organisation._meta.db_table
    for pk, version, *values in _select(f'SELECT {names} FROM "{table}" WHERE "id" IN (IDS)', ids):
        themes = values[4]
        # Stored in taxonomy order already (imports and forms sort them).
        values[4] = (json.loads(themes) if isinstance(themes, str) else themes) or []
        found[pk] = Stored(values, version, (), ())
    capabilities: dict[int, list[tuple[str, str]]] = {}
    for pk, kind, detail in _select(
        f'SELECT "organisation_id", "kind", "detail" FROM "{Capability._meta.db_table}" '
        f'WHERE "organisation_id" IN (IDS)',
        ids,
    ):
        capabilities.setdefault(pk, []).append((kind, detail))
    places: dict[int, list[int]] = {}
    for pk, place in _select(
        f'SELECT "organisation_id", "place_id" FROM "{Organisation.places.through._meta.db_table}" '
        f'WHERE "organisation_id" IN (IDS)',
        ids,
    ):
        places.setdefault(pk, []).append(place)
    for pk, stored in found.items():
        stored.capabilities = tuple(sorted(capabilities.get(pk, ())))
        stored.places = tuple(sorted(places.get(pk, ())))
    return found


@dataclass
class Change:
    row: Row
    stored: Stored | None  # None: a new organisation
    values: list[Any]
    capabilities: tuple[tuple[str, str], ...]
    places: tuple[int, ...]
    diff: dict[str, list[Any]]


def _compare(rows: list[Row], outcome: Outcome) -> list[Change]:
    stored = _stored([row.target for row in rows if row.target is not None])
    changes = []
    for row in rows:
        current = stored.get(row.target) if row.target is not None else None
        if current is None:
            values = list(row.values)
            defaults = ("", "", "", "", [], "", "sv", "", "", "", "")
            values = [d if v is None else v for v, d in zip(values, defaults, strict=True)]
            if row.values[6] is None:
                values[6] = cols.COUNTRY_LANGUAGE.get(values[1], "sv")
            outcome.created += 1
            changes.append(Change(row, None, values, row.capabilities or (), row.places or (), {}))
            continue
        values = row.values
        if None in values:  # columns the file leaves out keep their stored values
            values = [
                old if new is None else new for new, old in zip(values, current.values, strict=True)
            ]
        capabilities = current.capabilities if row.capabilities is None else row.capabilities
        places = current.places if row.places is None else row.places
        if (
            values == current.values
            and capabilities == current.capabilities
            and places == current.places
        ):
            outcome.unchanged += 1
            continue
        diff = {
            name: [old, new]
            for name, old, new in zip(FIELDS, current.values, values, strict=True)
            if old != new
        }
        if capabilities != current.capabilities:
            diff["capabilities"] = [dict(current.capabilities), dict(capabilities)]
        if places != current.places:
            diff["places"] = [list(current.places), list(places)]
        if diff:
            outcome.updated += 1
            changes.append(Change(row, current, values, capabilities, places, diff))
        else:
            outcome.unchanged += 1
    return changes


class Writer:
    """Writes a batch of changes: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, *, by: Any, job_id: int | None, exclusive: bool = False):
        self.postgres = connection.vendor == "postgresql"
        # Whether this transaction holds the directory tables exclusively
        # (a first load: core.bulk.rebuilt_indexes).
        self.exclusive = exclusive
        self.now = timezone.now()
        self.by = by if getattr(by, "is_authenticated", False) else None
        self.job_id = job_id
        self.org_table = Organisation._meta.db_table
        self.org_fields = [f for f in Organisation._meta.concrete_fields]
        self.content_type = ContentType.objects.get_for_model(Organisation).pk
        self.label = (self.by.get_full_name() or self.by.email) if self.by else ""
        self.created_ids: list[int] = []
        self.updated_ids: list[int] = []
        self._next_id: int | None = None
        self._sequences: dict[str, str] = {}
        self._temp = False

    def _value(self, value: Any) -> Any:
        if isinstance(value, datetime) and not self.postgres:
            return connection.ops.adapt_datetimefield_value(value)
        return value

    def insert(self, table: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def _sequence(self, table: str) -> str:
        # Looked up once: per row it cost five times the nextval().
        if (sequence := self._sequences.get(table)) is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = self._sequences[table] = cursor.fetchone()[0]
        return sequence

    def _reserve(self, table: str, count: int) -> int:
        """The first of ``count`` ids taken at once from the table's sequence
        (0.24 s less than a nextval() each for 400,000 organisations).

        Only while holding the table exclusively: nobody else inserts into it,
        so no nextval() can come between ours and the setval(). (Numbering
        capabilities and places so too saved nothing measurable.)"""
        assert self.exclusive
        sequence = self._sequence(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(CAST(%s AS regclass), nextval(CAST(%s AS regclass)) + %s - 1)",
                [sequence, sequence, count],
            )
            return cursor.fetchone()[0] - count + 1

    def _ids(self, count: int) -> list[int]:
        if self.exclusive:
            first = self._reserve(self.org_table, count)
            return list(range(first, first + count))
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(CAST(%s AS regclass)) FROM generate_series(1, %s)",
                    [self._sequence(self.org_table), count],
                )
                return [pk for (pk,) in cursor.fetchall()]
            if self._next_id is None:
                cursor.execute(f'SELECT COALESCE(MAX("id"), 0) + 1 FROM "{self.org_table}"')
                self._next_id = cursor.fetchone()[0]
        first = self._next_id
        self._next_id += count
        return list(range(first, first + count))

    def write(self, changes: list[Change]) -> None:
        # New organisations in the order of the name indexes (country, sector,
        # name), so each key lands next to the last one's page, and numbered in
        # that order, so their capabilities, places and audit rows follow the
        # id: on PostgreSQL the organisation rows of 100,000 took 3.3-3.8 s in
        # file order, 2.9-3.2 s so.
        new = sorted(
            (c for c in changes if c.stored is None),
            key=lambda c: (c.values[1], c.values[3], c.values[0]),
        )
        updated = [c for c in changes if c.stored is not None]
        changes = new + updated
        if new:
            self._create(new)
        if updated:
            self._update(updated)
        # The new ids, ascending, as runs of consecutive ones.
        created = id_runs(sorted(c.row.target for c in new))  # type: ignore[type-var]
        self._related(changes)
        self._log(changes, created)
        self._queue(changes, created)

    def _create(self, changes: list[Change]) -> None:
        ids = self._ids(len(changes))
        now = self._value(self.now)
        fixed = ("id", *FIELDS, "uuid", "claimed", "version", "created_at", "updated_at")
        by_name = {f.attname: f for f in self.org_fields}
        extra = [f for f in self.org_fields if f.attname not in fixed]
        columns = [by_name[name].column for name in fixed] + [f.column for f in extra]
        tail = (
            False,  # claimed: imported profiles wait for their own people to claim them
            1,
            now,
            now,
            *(f.get_db_prep_save(f.get_default(), connection) for f in extra),
        )
        # The random bits drawn at once and each list of themes encoded once:
        # uuid4() and json.dumps() per row cost 0.3 s per 100,000 (SQLite).
        fresh = os.urandom(16 * len(changes)).hex()
        encoded: dict[tuple[str, ...], str] = {}
        rows = []
        for position, (pk, change) in enumerate(zip(ids, changes, strict=True)):
            change.row.target = pk
            values = change.values
            themes = tuple(values[4])
            if (text := encoded.get(themes)) is None:
                text = encoded[themes] = json.dumps(values[4])
            # Stored as 32 hex digits; PostgreSQL's uuid input takes that form too.
            stable = change.row.uuid or _uuid4_hex(fresh, position)
            rows.append((pk, *values[:4], text, *values[5:], stable, *tail))
        self.insert(self.org_table, columns, rows)
        self.created_ids.extend(ids)

    def _update(self, changes: list[Change]) -> None:
        assignments = ", ".join(f'"{name}" = %s' for name in FIELDS)
        rows = [
            [
                *(
                    json.dumps(v) if n == "themes" else v
                    for n, v in zip(FIELDS, c.values, strict=True)
                ),
                c.row.target,
                c.stored.version,  # type: ignore[union-attr]
            ]
            for c in changes
        ]
        now = self.now
        with connection.cursor() as cursor:
            if self.postgres:
                if not self._temp:
                    names = ", ".join(f'"{n}"' for n in ("id", "version", *FIELDS))
                    cursor.execute(
                        f"CREATE TEMP TABLE import_update ON COMMIT DROP AS "
                        f'SELECT {names} FROM "{self.org_table}" WITH NO DATA'
                    )
                    self._temp = True
                cursor.execute("TRUNCATE import_update")
                names = ", ".join(f'"{n}"' for n in (*FIELDS, "id", "version"))
                with cursor.cursor.copy(f"COPY import_update ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                sets = ", ".join(f'"{n}" = u."{n}"' for n in FIELDS)
                cursor.execute(
                    f'UPDATE "{self.org_table}" o SET {sets}, "version" = o."version" + 1, '
                    f'"updated_at" = %s FROM import_update u '
                    f'WHERE o."id" = u."id" AND o."version" = u."version"',
                    [now],
                )
                count = cursor.rowcount
            else:
                now_value = self._value(now)
                cursor.executemany(
                    f'UPDATE "{self.org_table}" SET {assignments}, "version" = "version" + 1, '
                    f'"updated_at" = %s WHERE "id" = %s AND "version" = %s',
                    [[*row[:-2], now_value, row[-2], row[-1]] for row in rows],
                )
                count = cursor.rowcount
        if count != len(changes):
            raise ImportFailed(_("Someone edited some of these organisations during the import."))
        self.updated_ids.extend(c.row.target for c in changes)  # type: ignore[misc]

    def _related(self, changes: list[Change]) -> None:
        cap_ids = [
            c.row.target
            for c in changes
            if c.stored is not None and c.capabilities != c.stored.capabilities
        ]
        place_ids = [
            c.row.target for c in changes if c.stored is not None and c.places != c.stored.places
        ]
        through = Organisation.places.through
        if cap_ids:
            Capability.objects.filter(organisation_id__in=cap_ids).delete()
        if place_ids:
            through.objects.filter(organisation_id__in=place_ids).delete()
        cap_set, place_set = set(cap_ids), set(place_ids)
        capabilities = [
            (c.row.target, kind, detail)
            for c in changes
            if c.stored is None or c.row.target in cap_set
            for kind, detail in c.capabilities
        ]
        places = [
            (c.row.target, place)
            for c in changes
            if c.stored is None or c.row.target in place_set
            for place in c.places
        ]
        self.insert(Capability._meta.db_table, ["organisation_id", "kind", "detail"], capabilities)
        self.insert(through._meta.db_table, ["organisation_id", "place_id"], places)

    def _queue(self, changes: list[Change], created: list[tuple[int, int]]) -> None:
        """List the changed organisations for the search index's background
        task: writing their rows here took 35-50 % of the import."""
        with connection.cursor() as cursor:
            if self.postgres:
                index.queue_new(cursor, created)
                changes = [c for c in changes if c.stored is not None]
            index.queue(cursor, [c.row.target for c in changes])  # type: ignore[misc]

    def _log(self, changes: list[Change], created: list[tuple[int, int]]) -> None:
        """One entry per updated organisation, with what changed; one per run
        of consecutive new ids for the organisations created (their history
        finds it: ``core.audit.history_for``)."""
        now = self._value(self.now)
        actor = self.by.pk if self.by else None
        rows = [
            (
                now,
                actor,
                self.label,
                "organisations.imported",
                self.content_type,
                "",
                f"{first}–{last}",
                json.dumps(batch_entry_data(first, last, job=self.job_id, created=True)),
            )
            for first, last in created
        ]
        for c in changes:
            if c.stored is not None:
                rows.append(
                    (
                        now,
                        actor,
                        self.label,
                        "organisations.imported",
                        self.content_type,
                        str(c.row.target),
                        c.values[0][:300],
                        json.dumps({"job": self.job_id, "changes": c.diff}, ensure_ascii=False),
                    )
                )
        columns = [
            LogEntry._meta.get_field(name).column
            for name in (
                "created_at",
                "actor",
                "actor_label",
                "action",
                "content_type",
                "object_id",
                "object_repr",
                "data",
            )
        ]
        self.insert(LogEntry._meta.db_table, columns, rows)


Progress = Callable[[int, int], None]


def run_import(
    file: IO[bytes],
    *,
    name: str = "",
    write: bool,
    by: Any = None,
    job_id: int | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Validate every row; with write=True also apply the changes, all or nothing.

    Never raises for bad input: the problems are in Outcome.errors.
    """
    outcome = Outcome()
    try:
        table = open_table(file, name)
    except ValidationError as error:
        outcome.add_error(None, "", " ".join(error.messages))
        return outcome
    outcome.format, outcome.encoding, outcome.delimiter = (
        table.format,
        table.encoding,
        table.delimiter,
    )
    # Hundreds of thousands of long-lived rows make the cyclic GC rescan them
    # over and over (measured: half the time at 400,000 rows); nothing here
    # makes cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if write:
            try:
                with (
                    large_cache(),
                    transaction.atomic(),
                    rebuilt_indexes(_tables() if _first_load(table.estimated_rows) else ()) as ours,
                ):
                    _pass(
                        table,
                        outcome,
                        write=True,
                        by=by,
                        job_id=job_id,
                        progress=progress,
                        exclusive=ours,
                    )
                    index.queued(len(outcome.changed_ids))
            except ImportFailed as failure:
                if str(failure):
                    outcome.add_error(None, "", str(failure))
                outcome.written = False
                outcome.changed_ids = []
        else:
            _pass(table, outcome, write=False, by=by, job_id=job_id, progress=progress)
    except ValidationError as error:  # a row the CSV reader could not parse
        outcome.add_error(None, "", " ".join(error.messages))
        outcome.written = False
    finally:
        table.close()
        if collecting:
            gc.enable()
    return outcome


def _tables() -> list[str]:
    return [
        Organisation._meta.db_table,
        Capability._meta.db_table,
        Organisation.places.through._meta.db_table,
    ]


def _first_load(rows: int) -> bool:
    """Whether an import of about this many rows at least doubles the directory."""
    if connection.vendor != "postgresql" or rows < REBUILD_AT:
        return False
    with connection.cursor() as cursor:
        # Counted no further than needed: the directory may be large.
        cursor.execute(
            f'SELECT count(*) FROM (SELECT 1 FROM "{Organisation._meta.db_table}" LIMIT %s) s',
            [rows // 2 + 1],
        )
        return cursor.fetchone()[0] <= rows // 2


def _pass(
    table: Any,
    outcome: Outcome,
    *,
    write: bool,
    by: Any,
    job_id: int | None,
    progress: Progress | None,
    exclusive: bool = False,
) -> None:
    directory = Directory.load()
    cleaner = Cleaner(table.header, directory, outcome)
    if not cleaner.usable:
        if write:
            raise ImportFailed("")
        return
    matcher = Matcher(directory, outcome)
    writer = Writer(by=by, job_id=job_id, exclusive=exclusive) if write else None
    total = table.estimated_rows
    for read, batch, errors, uncounted in _cleaned(table, cleaner, matcher):
        outcome.rows = read
        for error in errors:
            outcome.add(error)
        outcome.error_count += uncounted
        changes = _compare(batch, outcome)
        if writer is not None and outcome.error_count == 0:
            writer.write(changes)
        if progress:
            progress(outcome.rows, max(total, outcome.rows))
    if progress:
        progress(outcome.rows, outcome.rows)
    if outcome.rows == 0:
        outcome.add_error(None, "", _("The file has no rows below the header."))
    if write:
        if outcome.error_count:
            raise ImportFailed("")
        assert writer is not None
        outcome.written = True
        outcome.changed_ids = writer.created_ids + writer.updated_ids


# (rows read so far, the batch's clean and matched rows, the errors in its
# rows, errors beyond those listed)
Cleaned = tuple[int, list[Row], list[RowError], int]


def _cleaned(table: Any, cleaner: Cleaner, matcher: Matcher) -> Iterator[Cleaned]:
    """The file cleaned and matched BATCH rows at a time: in a second process
    for large CSV files, so that on two cores it cleans the next batch while
    this one compares and writes the last."""
    if table.format == "csv" and table.estimated_rows >= CLEAN_APART_AT and _forkable():
        yield from _cleaned_apart(table, cleaner, matcher)
    else:
        yield from _clean(table, cleaner, matcher)


def _clean(table: Any, cleaner: Cleaner, matcher: Matcher) -> Iterator[Cleaned]:
    # The rows' errors, handed on per batch.
    found = cleaner.outcome = matcher.outcome = Outcome()
    read = 0
    batch: list[Row] = []

    def handed() -> Cleaned:
        return read, batch, found.errors, found.error_count - len(found.errors)

    try:
        for number, cells in table.rows:
            if not any(cells) or not "".join(cells).strip():
                continue
            read += 1
            row = cleaner.clean(number, cells)
            if row is not None and matcher.match(row):
                batch.append(row)
            if read % BATCH == 0:
                yield handed()
                batch, found.errors, found.error_count = [], [], 0
    except ValidationError:  # unreadable further on: report the rows before it too
        yield handed()
        raise
    yield handed()


def _forkable() -> bool:
    # fork() keeps what this process has loaded (Django, the file, the
    # places); a process with other threads may deadlock in the child.
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _cleaned_apart(table: Any, cleaner: Cleaner, matcher: Matcher) -> Iterator[Cleaned]:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_clean_for_parent, args=(table, cleaner, matcher, sender), daemon=True
    )
    child.start()
    sender.close()
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:  # the child died: killed, out of memory
                raise ValidationError(
                    _("Reading the file stopped unexpectedly. Nothing was changed: try again.")
                ) from None
            if message[0] == "invalid":
                raise ValidationError(message[1])
            if message[0] == "done":
                break
            _kind, read, rows, errors, uncounted = message
            yield (
                read,
                [Row(*fields) for fields in rows],
                [RowError(*fields) for fields in errors],
                uncounted,
            )
        child.join()
    finally:
        receiver.close()
        if child.is_alive():  # the import stopped early
            # SIGKILL: the child has the worker's SIGTERM handler, which may
            # only ask it to finish its task.
            child.kill()
            child.join()


def _clean_for_parent(table: Any, cleaner: Cleaner, matcher: Matcher, sender: Any) -> None:
    """In the child: clean, match and send each batch as plain tuples, which
    pickle without their class. Never touches the database: it has what it
    needs (the file, the places, the matcher's keys) from the fork."""
    try:
        for read, rows, errors, uncounted in _clean(table, cleaner, matcher):
            sender.send(
                (
                    "batch",
                    read,
                    [
                        (r.number, r.uuid, r.values, r.capabilities, r.places, r.target)
                        for r in rows
                    ],
                    [(e.row, e.column, e.message) for e in errors],
                    uncounted,
                )
            )
        sender.send(("done",))
    except ValidationError as error:  # a row the CSV reader could not parse
        sender.send(("invalid", error.messages))
    finally:
        sender.close()
