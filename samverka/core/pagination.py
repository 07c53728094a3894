# SPDX-License-Identifier: AGPL-3.0-or-later
"""Keyset pagination: no COUNT and no OFFSET scan, however large the table."""

import base64
import binascii
import contextlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import HttpRequest


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode(cursor: str, length: int) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(_storable(value) for value in values):
        return None
    return values


def _storable(value: Any) -> bool:
    """False for text no query can hold: a NUL byte (PostgreSQL refuses it) or a
    lone surrogate from a JSON escape such as "\\ud800" (not valid UTF-8)."""
    if not isinstance(value, str):
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def keyset_page(
    queryset: models.QuerySet[Any], *, order: tuple[str, str], cursor: str | None, size: int
) -> Page:
    """One page of `queryset` ordered by (`order[0]`, `order[1]`), the second
    unique. A malformed cursor starts from the top."""
    first, second = order
    queryset = queryset.order_by(first, second)
    after = decode(cursor, 2) if cursor else None
    if after is not None:
        # A cursor can be well-formed but hold values of the wrong type: ["x", "not an id"].
        with contextlib.suppress(TypeError, ValueError):
            queryset = queryset.filter(
                Q(**{f"{first}__gt": after[0]}) | Q(**{first: after[0], f"{second}__gt": after[1]})
            )
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode([getattr(last, first), getattr(last, second)])
    return Page(items=rows, next_cursor=next_cursor)


def page_for_request(
    request: HttpRequest, queryset: models.QuerySet[Any], *, size: int
) -> tuple[Page, str]:
    """The page a list view's request asks for (?after=…, by name then id) and
    its query string without the cursor, for the next-page link."""
    page = keyset_page(queryset, order=("name", "id"), cursor=request.GET.get("after"), size=size)
    query = request.GET.copy()
    query.pop("after", None)
    return page, query.urlencode()
