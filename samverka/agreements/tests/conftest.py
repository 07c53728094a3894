# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared fixtures for agreements: a partnership led by Göteborgs Stad with Røde Kors
Esbjerg as an active partner, and an agreement drafted from the IOP template."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from samverka.accounts.models import Membership
from samverka.agreements import services
from samverka.agreements.models import Agreement, AgreementTemplate
from samverka.directory.services import create_organisation
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist

PROBLEM = "Unga saknar meningsfull fritid på helgerna."
GOAL = "Fler unga har en trygg plats att vara på kvällar och helger."
SIGNATORY = "Erik Testsson, förvaltningschef"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def join(partnership, organisation, user, role="partner"):
    """Invite the organisation and let `user` accept for it."""
    member = partnership_services.invite_organisation(
        partnership=partnership, organisation=organisation, role=role, by=partnership.created_by
    )
    return partnership_services.respond(member=member, accept=True, by=user)


def other_organisation(name: str, sector: str, admin_email: str):
    """An organisation with its own administrator, returned as (organisation, admin)."""
    from samverka.accounts.models import User

    organisation = create_organisation(by=None, name=name, country="SE", sector=sector)
    admin = User.objects.create_user(admin_email, "a-long-test-password", first_name="Olle")
    Membership.objects.create(user=admin, organisation=organisation, role="admin")
    return organisation, admin


def fresh(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_related("partnership", "template").get(pk=agreement.pk)


def current(agreement: Agreement):
    agreement = fresh(agreement)
    return agreement.versions.get(number=agreement.version)


def complete_changes(agreement: Agreement, **overrides: Any) -> dict[str, Any]:
    """Changes that leave no error for the agreement's template: every section
    written, both parties contributing, the path after a pilot described."""
    version = current(agreement)
    sections = {
        section["code"]: f"Det här gäller för {section['code']}."
        for section in agreement.template.sections
        if section["kind"] in ("text", "duration")
    }
    parties = [party["organisation"] for party in version.content["parties"]]
    contributions = [
        {
            "party": parties[0],
            "year": 2026,
            "kind": "money",
            "amount": "100000",
            "currency": "SEK",
            "description": "Lokalhyra och material",
        },
        *(
            {
                "party": party,
                "year": 2026,
                "kind": "volunteers",
                "amount": "500",
                "currency": "",
                "description": "Nattvandringar",
            }
            for party in parties[1:]
        ),
    ]
    changes = {
        "sections": sections,
        "contributions": contributions,
        "after_pilot": {
            "decision_on": days(200).isoformat(),
            "criteria": "Minst 40 unga deltar varje helg.",
            "route": "scale_up",
            "detail": "",
            "budget": "250000",
            "currency": "SEK",
        },
        "public_payment": "co_financing",
    }
    changes.update(overrides)
    return changes


def save(agreement: Agreement, by, note: str = "", **changes: Any):
    """Save on top of the newest version, as an editor who just loaded the page."""
    return services.save_agreement(
        agreement=agreement,
        changes=changes,
        by=by,
        base_version=fresh(agreement).version,
        note=note,
    )


def complete(agreement: Agreement, by, **overrides: Any):
    return save(agreement, by, **complete_changes(agreement, **overrides))


def approve(agreement: Agreement, organisation, by, signatory: str = SIGNATORY):
    version = current(agreement)
    return services.approve_agreement(
        agreement=agreement,
        organisation=organisation,
        by=by,
        version=version.number,
        content_hash=version.content_hash,
        signatory=signatory,
    )


@pytest.fixture
def partnership(cast):
    """Göteborgs Stad leads, Røde Kors Esbjerg is an active partner."""
    load_checklist()
    partnership = partnership_services.create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement=PROBLEM,
        goal=GOAL,
        starts_on=days(10),
        ends_on=days(730),
        review_on=days(180),
    )
    join(partnership, cast.ngo, cast.other_member)
    return partnership


@pytest.fixture
def iop(db):
    return AgreementTemplate.objects.get(code="iop")


@pytest.fixture
def agreement(cast, partnership, iop):
    """A draft from the IOP template, version 1."""
    return services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)


@pytest.fixture
def in_review(cast, agreement):
    complete(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    return fresh(agreement)


@pytest.fixture
def approved(cast, in_review):
    approve(in_review, cast.municipality, cast.coordinator)
    approve(in_review, cast.ngo, cast.other_member)
    return fresh(in_review)


@pytest.fixture
def in_force(cast, approved):
    services.put_in_force(agreement=approved, by=cast.coordinator)
    return fresh(approved)
