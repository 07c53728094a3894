# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may see, edit, approve and manage an agreement, in every status."""

import pytest
from django.contrib.auth.models import AnonymousUser

from samverka.agreements.models import Agreement, AgreementStatus
from samverka.agreements.permissions import approving_organisations
from samverka.core.permissions import can
from samverka.partnerships import services as partnership_services
from samverka.partnerships.models import Partnership, PartnershipMember

from .conftest import join, other_organisation

S = AgreementStatus
ALL = list(AgreementStatus)
NEGOTIATING = [S.DRAFT, S.IN_REVIEW]
SETTLED = [S.APPROVED, S.IN_FORCE, S.EXPIRED, S.TERMINATED]
EDITABLE = [S.DRAFT, S.IN_REVIEW, S.APPROVED]

PEOPLE = [
    "coordinator",  # coordinator of the lead
    "org_admin",  # administrator of the lead
    "other_member",  # administrator of the partner NGO
    "member",  # member of the lead without an acting role
    "outsider",
    "anonymous",
    "platform_admin",
]


def person(cast, name):
    return AnonymousUser() if name == "anonymous" else getattr(cast, name)


def in_status(agreement, status, visibility="members"):
    """The agreement as a view would load it: fresh, with its partnership."""
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    Partnership.objects.filter(pk=agreement.partnership_id).update(visibility=visibility)
    return Agreement.objects.select_related("partnership").get(pk=agreement.pk)


def allowed(cast, action, agreement) -> set[str]:
    return {name for name in PEOPLE if can(person(cast, name), action, agreement)}


@pytest.mark.parametrize("status", NEGOTIATING)
@pytest.mark.parametrize("visibility", ["members", "logged_in", "public"])
def test_it_shows_a_negotiated_agreement_only_to_the_partnership(
    cast, agreement, status, visibility
):
    agreement = in_status(agreement, status, visibility)
    assert allowed(cast, "view", agreement) == {
        "coordinator",
        "org_admin",
        "other_member",
        "member",
        "platform_admin",
    }


@pytest.mark.parametrize("status", SETTLED)
@pytest.mark.parametrize(
    ("visibility", "also"),
    [("members", set()), ("logged_in", {"outsider"}), ("public", {"outsider", "anonymous"})],
)
def test_it_shows_a_settled_agreement_as_widely_as_its_partnership(
    cast, agreement, status, visibility, also
):
    agreement = in_status(agreement, status, visibility)
    assert allowed(cast, "view", agreement) == {
        "coordinator",
        "org_admin",
        "other_member",
        "member",
        "platform_admin",
        *also,
    }


@pytest.mark.parametrize("status", EDITABLE)
def test_it_lets_the_parties_acting_people_edit_while_negotiating(cast, agreement, status):
    agreement = in_status(agreement, status, "public")
    assert allowed(cast, "edit", agreement) == {
        "coordinator",
        "org_admin",
        "other_member",
        "platform_admin",
    }


@pytest.mark.parametrize("status", [S.IN_FORCE, S.EXPIRED, S.TERMINATED])
def test_it_lets_nobody_edit_an_agreement_in_force_or_ended(cast, agreement, status):
    agreement = in_status(agreement, status, "public")
    # The platform administrator passes every permission check; the service
    # refuses the change (see test_services).
    assert allowed(cast, "edit", agreement) - {"platform_admin"} == set()


@pytest.mark.parametrize("status", ALL)
def test_it_lets_the_parties_approve_only_in_review(cast, agreement, status):
    agreement = in_status(agreement, status, "public")
    expected = {"coordinator", "org_admin", "other_member"} if status == S.IN_REVIEW else set()
    assert allowed(cast, "approve", agreement) - {"platform_admin"} == expected


@pytest.mark.parametrize("status", ALL)
def test_it_lets_the_lead_manage_in_every_status(cast, agreement, status):
    agreement = in_status(agreement, status, "public")
    assert allowed(cast, "manage", agreement) == {"coordinator", "org_admin", "platform_admin"}


def test_it_tells_for_which_parties_a_person_may_approve(cast, agreement):
    agreement = in_status(agreement, S.IN_REVIEW)
    assert approving_organisations(cast.coordinator, agreement) == {cast.municipality.pk}
    assert approving_organisations(cast.other_member, agreement) == {cast.ngo.pk}
    assert approving_organisations(cast.member, agreement) == set()
    assert approving_organisations(cast.outsider, agreement) == set()
    assert approving_organisations(AnonymousUser(), agreement) == set()


def test_it_lets_an_observer_read_but_not_edit_or_approve(cast, agreement):
    police, police_admin = other_organisation("Polisen Storgöteborg", "police", "p@polis.example")
    join(agreement.partnership, police, police_admin, role="observer")

    for status in NEGOTIATING:
        loaded = in_status(agreement, status)
        assert can(police_admin, "view", loaded)
        assert not can(police_admin, "edit", loaded)
        assert not can(police_admin, "approve", loaded)
        assert not can(police_admin, "manage", loaded)


def test_it_lets_a_funder_edit_and_approve(cast, agreement):
    fund, fund_admin = other_organisation("Arvsfonden", "foundation", "f@arv.example")
    join(agreement.partnership, fund, fund_admin, role="funder")

    loaded = in_status(agreement, S.IN_REVIEW)
    assert can(fund_admin, "edit", loaded)
    assert can(fund_admin, "approve", loaded)
    assert not can(fund_admin, "manage", loaded)


def test_an_invited_organisation_reads_the_draft_only_once_it_has_joined(cast, agreement):
    invited, invited_admin = other_organisation("Hyresgästerna", "residents_association", "h@h.ex")
    member = partnership_services.invite_organisation(
        partnership=agreement.partnership, organisation=invited, role="partner", by=cast.org_admin
    )

    for status in NEGOTIATING:
        loaded = in_status(agreement, status)
        assert not can(invited_admin, "view", loaded)
        assert not can(invited_admin, "edit", loaded)
        assert not can(invited_admin, "approve", loaded)
    # A settled agreement is as visible as the partnership, which the invited see.
    assert can(invited_admin, "view", in_status(agreement, S.APPROVED))

    partnership_services.respond(member=member, accept=True, by=invited_admin)
    loaded = in_status(agreement, S.DRAFT)
    assert can(invited_admin, "view", loaded)
    assert can(invited_admin, "edit", loaded)


def test_it_shuts_out_an_organisation_that_left(cast, agreement):
    member = PartnershipMember.objects.get(partnership=agreement.partnership, organisation=cast.ngo)
    partnership_services.leave(member=member, by=cast.other_member)

    for status in (S.DRAFT, S.IN_REVIEW):
        loaded = in_status(agreement, status)
        assert not can(cast.other_member, "view", loaded)
        assert not can(cast.other_member, "edit", loaded)
        assert not can(cast.other_member, "approve", loaded)


def test_it_refuses_an_inactive_user(cast, agreement):
    cast.coordinator.is_active = False
    loaded = in_status(agreement, S.DRAFT)
    assert not can(cast.coordinator, "view", loaded)
    assert not can(cast.coordinator, "edit", loaded)


def test_it_lets_only_the_lead_draft_an_agreement(cast, partnership):
    assert can(cast.coordinator, "draft_agreement", partnership)
    assert can(cast.org_admin, "draft_agreement", partnership)
    assert not can(cast.other_member, "draft_agreement", partnership)
    assert not can(cast.member, "draft_agreement", partnership)
    assert not can(cast.outsider, "draft_agreement", partnership)
    assert not can(AnonymousUser(), "draft_agreement", partnership)
