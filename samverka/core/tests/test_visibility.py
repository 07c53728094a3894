# SPDX-License-Identifier: AGPL-3.0-or-later
"""Lists see what the single check sees: for every role and every model with a
"view" rule, `visible_to(user, Model)` (the queryset form every list, count,
feed and API list uses) holds exactly the objects `can(user, "view", obj)`
allows, on a fixture with every visibility, member status and agreement state."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverka.accounts.models import Membership, User
from samverka.accounts.services import create_api_token
from samverka.agreements import services
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
    Approval,
)
from samverka.agreements.tests.conftest import (
    approve,
    complete,
    current,
    fresh,
    join,
    other_organisation,
    save,
)
from samverka.core.models import Job
from samverka.core.permissions import (
    can,
    models_with_rule,
    models_with_visible,
    visible_to,
)
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.models import MemberStatus, Partnership, PartnershipMember, Visibility

ROLES = [
    "anonymous",
    "outsider",  # logged in, no organisation
    "member",  # of the lead organisation
    "coordinator",  # of the lead organisation
    "org_admin",  # administrator of the lead organisation
    "other_member",  # administrator of the active partner
    "invited_admin",  # administrator of an organisation only invited
    "declined_admin",  # administrator of an organisation that declined
    "leaver_admin",  # administrator of an organisation that left
    "stranger_admin",  # administrator of an organisation in no partnership of the lead
    "inactive",  # a deactivated member of the lead organisation
    "platform_admin",
]


def _user(cast, world, role):
    if role == "anonymous":
        return AnonymousUser()
    person = getattr(cast, role, None) or getattr(world, role)
    # A fresh object each time: roles() is cached on the user.
    return User.objects.get(pk=person.pk)


def _partnership(cast, name, visibility, lead=None, by=None):
    partnership = partnership_services.create_partnership(
        by=by or cast.org_admin,
        lead=lead or cast.municipality,
        name=name,
        problem_statement="Unga saknar meningsfull fritid på helgerna.",
        visibility=visibility,
    )
    return partnership


def _in_review(cast, partnership, iop):
    agreement = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    complete(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    return fresh(agreement)


def _agreements(cast, partnership, iop):
    """A draft, one in review approved by one party, one approved by all, one
    changed after everyone approved it (its approved version stays public), and
    one that came into force and has expired."""
    draft = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    save(draft, cast.coordinator, note="utkast", sections={"activities": "Ett utkast."})

    partly = _in_review(cast, partnership, iop)
    approve(partly, cast.municipality, cast.coordinator)

    approved = _in_review(cast, partnership, iop)
    approve(approved, cast.municipality, cast.coordinator)
    approve(approved, cast.ngo, cast.other_member)

    again = _in_review(cast, partnership, iop)
    approve(again, cast.municipality, cast.coordinator)
    approve(again, cast.ngo, cast.other_member)
    sections = {**current(again).content["sections"], "activities": "Ändrat efter godkännandet."}
    save(again, cast.coordinator, sections=sections)
    approve(again, cast.municipality, cast.coordinator)

    in_force = _in_review(cast, partnership, iop)
    approve(in_force, cast.municipality, cast.coordinator)
    approve(in_force, cast.ngo, cast.other_member)
    services.put_in_force(agreement=fresh(in_force), by=cast.coordinator)
    Agreement.objects.filter(pk=in_force.pk).update(status=AgreementStatus.EXPIRED)
    return [draft, partly, approved, again, in_force]


@pytest.fixture
def world(cast):
    load_checklist()
    iop = AgreementTemplate.objects.get(code="iop")
    invited, invited_admin = other_organisation("Hyresgästerna", "civil_society", "i@i.ex")
    declined, declined_admin = other_organisation("Fritidsgården", "civil_society", "d@d.ex")
    leaver, leaver_admin = other_organisation("Idrottsföreningen", "civil_society", "l@l.ex")
    stranger, stranger_admin = other_organisation("Bostadsbolaget", "business", "s@s.ex")
    inactive = User.objects.create_user("gone@goteborg.example", "a-long-test-password")
    Membership.objects.create(user=inactive, organisation=cast.municipality, role="admin")
    User.objects.filter(pk=inactive.pk).update(is_active=False)

    for visibility in Visibility.values:
        partnership = _partnership(cast, f"Samarbete ({visibility})", visibility)
        join(partnership, cast.ngo, cast.other_member)
        partnership_services.invite_organisation(
            partnership=partnership, organisation=invited, role="partner", by=cast.org_admin
        )
        declining = partnership_services.invite_organisation(
            partnership=partnership, organisation=declined, role="partner", by=cast.org_admin
        )
        partnership_services.respond(member=declining, accept=False, by=declined_admin)
        leaving = join(partnership, leaver, leaver_admin)
        partnership_services.leave(member=leaving, by=leaver_admin)
        _agreements(cast, partnership, iop)

    # One the lead organisation has nothing to do with, led by the stranger.
    theirs = _partnership(
        cast, "Bostadsbolagets samarbete", Visibility.MEMBERS, lead=stranger, by=stranger_admin
    )
    services.create_agreement(partnership=theirs, template=iop, by=stranger_admin)

    create_api_token(user=cast.org_admin, name="Rapporter")
    create_api_token(user=cast.other_member, name="Export")

    statuses = set(PartnershipMember.objects.values_list("status", flat=True))
    assert statuses == set(MemberStatus.values)
    assert set(Agreement.objects.values_list("status", flat=True)) >= {
        AgreementStatus.DRAFT,
        AgreementStatus.IN_REVIEW,
        AgreementStatus.APPROVED,
        AgreementStatus.EXPIRED,
    }
    assert Approval.objects.exists()
    return SimpleNamespace(
        invited_admin=invited_admin,
        declined_admin=declined_admin,
        leaver_admin=leaver_admin,
        stranger_admin=stranger_admin,
        inactive=inactive,
    )


def test_every_model_with_a_view_rule_has_a_queryset_form():
    missing = set(models_with_rule("view")) - set(models_with_visible())
    assert not missing, f"declare @visible beside the view rule of {missing}"


def test_the_queryset_form_and_can_agree(cast, world):
    """One fixture, every role: building it takes a while."""
    for role in ROLES:
        seen = {}
        for model in models_with_visible():
            user = _user(cast, world, role)
            listed = set(visible_to(user, model))
            user = _user(cast, world, role)
            single = {obj for obj in model._default_manager.all() if can(user, "view", obj)}
            assert listed == single, (model.__name__, role)
            seen[model] = listed
        # The fixture tells the roles apart (a test that could not fail would not).
        partnerships = {p.visibility for p in seen[Partnership]}
        if role == "anonymous":
            assert partnerships == {Visibility.PUBLIC}
        if role in ("outsider", "declined_admin", "leaver_admin"):
            assert partnerships == {Visibility.PUBLIC, Visibility.LOGGED_IN}
        if role in ("invited_admin", "member"):
            assert partnerships == set(Visibility.values)
        if role == "inactive":
            assert not any(seen.values())
        if role == "platform_admin":
            assert len(seen[Agreement]) == Agreement.objects.count()


def test_the_roles_see_different_agreements_and_versions(cast, world):
    counts = {
        role: (
            len(visible_to(_user(cast, world, role), Agreement)),
            visible_to(_user(cast, world, role), AgreementVersion.objects.all()).count(),
        )
        for role in ("anonymous", "outsider", "invited_admin", "member", "stranger_admin")
    }
    # Members read every draft; others only the settled ones, in their approved versions.
    assert counts["member"][0] > counts["outsider"][0] > counts["anonymous"][0] > 0
    assert counts["member"][1] > counts["outsider"][1]
    # Invited is not joined: no drafts, but the members-only partnership is visible.
    assert counts["invited_admin"][0] > counts["outsider"][0]
    assert counts["stranger_admin"][0] == counts["outsider"][0] + 1


def test_a_model_without_a_queryset_form_shows_nothing_but_to_platform_admins(cast, world):
    Job.objects.create(kind="test")
    assert Job not in models_with_visible()
    assert not visible_to(cast.org_admin, Job).exists()
    assert not visible_to(AnonymousUser(), Job).exists()
    assert visible_to(cast.platform_admin, Job).count() == 1


def test_the_manager_form_is_the_same_rule(cast, world):
    for role in ("anonymous", "outsider", "invited_admin", "coordinator"):
        user = _user(cast, world, role)
        assert set(Partnership.objects.visible_to(user)) == set(visible_to(user, Partnership))
        assert set(PartnershipMember.objects.visible_to(user)) == set(
            visible_to(user, PartnershipMember)
        )
    assert not Partnership.objects.visible_to(None).exists()


def test_a_list_is_one_query_however_many_rows(cast, world):
    user = _user(cast, world, "coordinator")
    user.roles()
    with CaptureQueriesContext(connection) as queries:
        list(visible_to(user, AgreementVersion.objects.all()))
    assert len(queries) == 1


def test_the_home_page_attention_list_holds_only_visible_agreements(cast, world):
    from django.utils import timezone

    from samverka.agreements.services import needing_attention

    today = timezone.localdate()
    coordinator = _user(cast, world, "coordinator")
    waiting = needing_attention(coordinator, today, limit=50)
    in_review = Agreement.objects.filter(
        status=AgreementStatus.IN_REVIEW, partnership__members__organisation=cast.municipality
    )
    assert len(set(in_review)) >= len(Visibility.values)  # at least one per partnership
    assert set(in_review) <= set(waiting)
    assert set(waiting) <= set(visible_to(_user(cast, world, "coordinator"), Agreement))
    # An organisation that left is no party any more; a plain member acts for no one.
    assert needing_attention(_user(cast, world, "leaver_admin"), today) == []
    assert needing_attention(_user(cast, world, "member"), today) == []
