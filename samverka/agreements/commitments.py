# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an agreement commits to, as rows: when a version is approved by all, its
contributions, principles, path after the pilot and dates are written once, so a
ledger, the pilots, health checks and reports query them rather than the JSON of
every version. Each approved version keeps its own rows; the newest one is in
effect."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from samverka.agreements.content import date_or_none, decimal_or_none, unit_of
from samverka.agreements.models import (
    Agreement,
    AgreementVersion,
    CommittedContribution,
    CommittedDate,
    CommittedPilotPath,
    CommittedPrinciple,
)

CENT = Decimal("0.01")
# The rows' models, by name: a migration passes its historical ones.
MODELS = ("CommittedContribution", "CommittedPrinciple", "CommittedPilotPath", "CommittedDate")


def _amount(value: Any) -> Decimal | None:
    """The amount as stored: to the hundredth, as the forms take it (the API takes
    more decimals)."""
    number = decimal_or_none(value)
    return number.quantize(CENT, rounding=ROUND_HALF_UP) if number is not None else None


def _year(value: Any) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9999 else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass
class Parsed:
    """The rows a version's content commits to, as field values, before any
    database: `party` is an organisation id."""

    contributions: list[dict[str, Any]] = field(default_factory=list)
    principles: list[dict[str, Any]] = field(default_factory=list)
    pilot_path: dict[str, Any] | None = None
    dates: list[tuple[str, date]] = field(default_factory=list)


def parse(content: dict[str, Any]) -> Parsed:
    """What the content commits to. A contribution of an organisation that is not a
    party binds nobody and is left out; so is a row without kind, a principle
    without name, a path after the pilot that says nothing and a date that is none."""
    parties = {party.get("organisation") for party in content.get("parties", [])}
    parsed = Parsed()
    for position, row in enumerate(content.get("contributions") or []):
        if row.get("party") not in parties or not row.get("kind"):
            continue
        parsed.contributions.append(
            {
                "position": position,
                "party_id": row["party"],
                "year": _year(row.get("year")),
                "kind": str(row["kind"])[:20],
                "amount": _amount(row.get("amount")),
                "unit": unit_of(row)[:3],
                "description": _text(row.get("description")),
            }
        )
    for position, principle in enumerate(content.get("principles") or []):
        name = _text(principle.get("name"))
        if not name:
            continue
        parsed.principles.append(
            {
                "position": position,
                "code": _text(principle.get("code"))[:40],
                "name": name[:200],
                "meaning": _text(principle.get("meaning")),
            }
        )
    after = content.get("after_pilot") or {}
    path = {
        "route": _text(after.get("route"))[:20],
        "decision_on": date_or_none(after.get("decision_on")),
        "criteria": _text(after.get("criteria")),
        "detail": _text(after.get("detail")),
        "budget": _amount(after.get("budget")),
    }
    if any(value not in (None, "") for value in path.values()):
        currency = _text(after.get("currency")) if path["budget"] is not None else ""
        parsed.pilot_path = {**path, "currency": currency[:3]}
    dates = content.get("dates") or {}
    found = [
        ("starts", date_or_none(dates.get("starts_on"))),
        ("ends", date_or_none(dates.get("ends_on"))),
        *(("review", date_or_none(on)) for on in dates.get("review_dates") or []),
    ]
    parsed.dates = sorted({(kind, on) for kind, on in found if on}, key=lambda d: (d[1], d[0]))
    return parsed


def write_commitments(version: AgreementVersion, *, apps: Any = None) -> int:
    """Write the rows of a version approved by all, once: a second call writes
    nothing. Returns the number of rows written. `apps` lets a migration pass its
    historical models, so keep this to fields and the ORM."""
    get_model = (apps or django_apps).get_model
    models = [get_model("agreements", name) for name in MODELS]
    contribution_model, principle_model, pilot_model, date_model = models
    with transaction.atomic():
        if any(model.objects.filter(version_id=version.pk).exists() for model in models):
            return 0
        parsed = parse(version.content)
        common = {"agreement_id": version.agreement_id, "version_id": version.pk}
        contributions = [contribution_model(**common, **row) for row in parsed.contributions]
        principles = [principle_model(**common, **row) for row in parsed.principles]
        dates = [date_model(**common, kind=kind, on=on) for kind, on in parsed.dates]
        contribution_model.objects.bulk_create(contributions)
        principle_model.objects.bulk_create(principles)
        date_model.objects.bulk_create(dates)
        if parsed.pilot_path:
            pilot_model.objects.create(**common, **parsed.pilot_path)
    return len(contributions) + len(principles) + len(dates) + (1 if parsed.pilot_path else 0)


def is_approved_by_all(version: AgreementVersion, approved: set[int]) -> bool:
    """Every party of the version has approved it (`approved`: organisation ids)."""
    parties = {party.get("organisation") for party in version.content.get("parties", [])}
    return bool(parties) and parties <= approved


def write_all_approved(*, apps: Any = None) -> int:
    """Mark and write the rows of every version approved by all that has none: the
    data migration for agreements approved before the rows existed."""
    get_model = (apps or django_apps).get_model
    version_model = get_model("agreements", "AgreementVersion")
    approval_model = get_model("agreements", "Approval")
    written = 0
    versions = version_model.objects.filter(approvals__isnull=False).distinct().order_by("pk")
    for version in versions.iterator(chunk_size=200):
        approvals = approval_model.objects.filter(version=version)
        approved = set(approvals.values_list("organisation_id", flat=True))
        if not is_approved_by_all(version, approved):
            continue
        if version.approved_by_all_at is None:
            last = approvals.order_by("-at").values_list("at", flat=True).first()
            version_model.objects.filter(pk=version.pk).update(approved_by_all_at=last)
        written += write_commitments(version, apps=apps)
    return written


@dataclass
class Commitments:
    """What an agreement's newest version approved by all commits to."""

    version: AgreementVersion | None
    contributions: QuerySet
    principles: QuerySet
    pilot_path: CommittedPilotPath | None
    dates: QuerySet


def newest_approved_version(agreement: Agreement) -> AgreementVersion | None:
    return (
        agreement.versions.filter(approved_by_all_at__isnull=False)
        .defer("content")
        .order_by("-number")
        .first()
    )


def current_commitments(agreement: Agreement) -> Commitments:
    """The rows in effect: those of the newest version approved by all, or none."""
    version = newest_approved_version(agreement)
    return Commitments(
        version=version,
        contributions=CommittedContribution.objects.filter(version=version).select_related("party"),
        principles=CommittedPrinciple.objects.filter(version=version),
        pilot_path=CommittedPilotPath.objects.filter(version=version).first(),
        dates=CommittedDate.objects.filter(version=version),
    )


def mark_approved_by_all(version: AgreementVersion) -> int:
    """Called in the approval's transaction when the last party approves."""
    version.approved_by_all_at = timezone.now()
    version.save(update_fields=["approved_by_all_at"])
    return write_commitments(version)
