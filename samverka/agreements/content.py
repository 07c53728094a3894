# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an agreement says, as plain data: the shape of a version's content, its
hash, and the contribution totals. No database access here.

content = {
  "title", "language", "template",
  "parties": [{organisation, name, organisation_number, country, sector, role}],
  "sections": {code: text},
  "contributions": [{party, year, kind, amount, currency, description}],
  "principles": [{code, name, meaning}],
  "after_pilot": {decision_on, criteria, route, detail, budget, currency},
  "dates": {starts_on, ends_on, notice_months, review_dates: [...]},
  "public_payment": "" | "co_financing" | "grant" | "price",
}
Amounts are decimal strings and dates ISO strings, so the JSON is exact and stable.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Money")
    STAFF_HOURS = "staff_hours", _("Staff hours")
    PREMISES = "premises", _("Premises")
    VOLUNTEERS = "volunteers", _("Volunteer hours")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    SEK = "SEK", "SEK"
    NOK = "NOK", "NOK"
    DKK = "DKK", "DKK"
    EUR = "EUR", "EUR"


class PilotRoute(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement (for example an innovation partnership)")
    SCALE_UP = "scale_up", _("Scale up with a budget")
    STOP = "stop", _("Stop")


class PublicPayment(models.TextChoices):
    CO_FINANCING = "co_financing", _("The parties co-finance a shared effort")
    GRANT = "grant", _("A grant without anything delivered in return")
    PRICE = "price", _("The public party pays a price for a defined service")


def public_payment_label(content: dict[str, Any]) -> str:
    """How the public party pays, in a sentence right for the number of parties:
    "both" only of two."""
    payment = content.get("public_payment", "")
    if payment == PublicPayment.CO_FINANCING:
        parties = len(content.get("parties", []))
        if parties == 2:
            return gettext("Both parties co-finance a shared effort")
        if parties > 2:
            return gettext("All %(count)s parties co-finance a shared effort") % {"count": parties}
    return str(dict(PublicPayment.choices).get(payment, payment))


# Hours are counted, money and in-kind values are summed per currency.
HOUR_KINDS = (ContributionKind.STAFF_HOURS, ContributionKind.VOLUNTEERS)
HOURS = "h"

# The longest texts a version holds, in characters: the page forms, the API schemas
# and services.validate_changes all read these, so every way in refuses the same.
# They bound the work of a comparison and of a document.
SECTION_MAX_LENGTH = 50_000
AFTER_PILOT_MAX_LENGTH = 20_000  # the criteria and the route in detail
PRINCIPLE_MAX_LENGTH = 5_000  # what a principle means
COUNTRY_CURRENCY = {"SE": "SEK", "NO": "NOK", "DK": "DKK"}


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON: the same content always gives the same hash."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def decimal_or_none(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def date_or_none(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def unit_of(row: dict[str, Any]) -> str:
    """What a contribution's amount counts: hours, or money in its own currency."""
    if row.get("kind") in HOUR_KINDS:
        return HOURS
    return row.get("currency") or ""


@dataclass
class Totals:
    """Sums per party and per kind, each split by unit, so SEK are never added to EUR."""

    by_party: dict[int, dict[str, dict[str, Decimal]]] = field(default_factory=dict)
    by_kind: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    by_unit: dict[str, Decimal] = field(default_factory=dict)

    @property
    def mixed_currencies(self) -> bool:
        return len([unit for unit in self.by_unit if unit not in (HOURS, "")]) > 1


def contribution_totals(rows: list[dict[str, Any]]) -> Totals:
    by_party: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    by_kind: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_unit: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        amount = decimal_or_none(row.get("amount"))
        unit = unit_of(row)
        if amount is None or not unit:
            continue
        by_party[row["party"]][row["kind"]][unit] += amount
        by_kind[row["kind"]][unit] += amount
        by_unit[unit] += amount
    return Totals(
        by_party={
            party: {k: dict(u) for k, u in kinds.items()} for party, kinds in by_party.items()
        },
        by_kind={kind: dict(units) for kind, units in by_kind.items()},
        by_unit=dict(by_unit),
    )


def format_amount(amount: Decimal, unit: str) -> str:
    """1234567.5 SEK -> "1 234 567.50 SEK"; hours without decimals when whole."""
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}".replace(",", "\u00a0")
    else:
        text = f"{amount:,.2f}".replace(",", "\u00a0")
    return f"{text}\u00a0{unit}" if unit else text


def _unit_order(unit: str) -> tuple[int, str]:
    """Currencies in their usual order, then hours."""
    currencies = list(Currency.values)
    if unit in currencies:
        return (currencies.index(unit), unit)
    return (len(currencies) + (1 if unit == HOURS else 2), unit)


def formatted_totals(units: dict[str, Decimal]) -> list[str]:
    """One formatted total per unit, money before hours."""
    return [format_amount(units[unit], unit) for unit in sorted(units, key=_unit_order)]


def row_amount(row: dict[str, Any]) -> str:
    """A contribution's amount with its unit, or "" when it has none."""
    amount = decimal_or_none(row.get("amount"))
    return format_amount(amount, unit_of(row)) if amount is not None else ""


def empty_content() -> dict[str, Any]:
    return {
        "title": "",
        "language": "en",
        "template": "",
        "parties": [],
        "sections": {},
        "contributions": [],
        "principles": [],
        "after_pilot": {
            "decision_on": "",
            "criteria": "",
            "route": "",
            "detail": "",
            "budget": "",
            "currency": "",
        },
        "dates": {"starts_on": "", "ends_on": "", "notice_months": None, "review_dates": []},
        "public_payment": "",
    }
