# SPDX-License-Identifier: AGPL-3.0-or-later
"""Starting a partnership: members and the step they joined at, consensus,
the checklist, resident involvement, mandates and the lifecycle."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from samverka.core.audit import history_for
from samverka.directory.services import add_entry_door, create_organisation
from samverka.partnerships import checklist, lifecycle, services
from samverka.partnerships.models import (
    ChecklistStep,
    MemberStatus,
    Partnership,
    StatementKind,
    Status,
)


def _join(partnership, organisation, user, role="partner"):
    member = services.invite_organisation(
        partnership=partnership, organisation=organisation, role=role, by=partnership.created_by
    )
    return services.respond(member=member, accept=True, by=user)


def _do_steps(partnership, user, numbers):
    for number in numbers:
        services.complete_step(partnership=partnership, number=number, by=user, note="Klart.")


def test_the_lead_joins_at_step_one_and_the_problem_is_version_one(cast, partnership):
    lead = partnership.members.get()
    assert (lead.organisation, lead.role, lead.status, lead.joined_at_step) == (
        cast.municipality,
        "lead",
        MemberStatus.ACTIVE,
        1,
    )
    statement = services.current_statement(partnership, StatementKind.PROBLEM)
    assert (statement.number, statement.text) == (1, partnership.problem_statement)


def test_civil_society_joining_after_step_one_is_flagged_late(cast, partnership):
    _do_steps(partnership, cast.org_admin, [1, 2, 3, 4])

    member = _join(partnership, cast.ngo, cast.other_member)

    assert member.joined_at_step == 5
    assert services.is_late(member)
    partnership.refresh_from_db()
    assert partnership.has_late_joiners
    assert Partnership.objects.filter(has_late_joiners=True).get() == partnership


def test_civil_society_at_the_table_from_step_one_is_not_late(cast, partnership):
    member = _join(partnership, cast.ngo, cast.other_member)

    assert member.joined_at_step == 1
    assert not services.is_late(member)
    partnership.refresh_from_db()
    assert not partnership.has_late_joiners


def test_a_public_body_joining_late_is_not_flagged(cast, partnership):
    police = create_organisation(
        by=None, name="Polisen Storgöteborg", country="SE", sector="police"
    )
    _do_steps(partnership, cast.org_admin, [1, 2])
    member = _join(partnership, police, cast.org_admin)
    assert member.joined_at_step == 3
    assert not services.is_late(member)


def test_editing_the_problem_resets_the_confirmations(cast, partnership):
    _join(partnership, cast.ngo, cast.other_member)
    for organisation, user in ((cast.municipality, cast.org_admin), (cast.ngo, cast.other_member)):
        services.answer_statement(
            partnership=partnership,
            kind="problem",
            organisation=organisation,
            agrees=True,
            comment="",
            by=user,
        )
    assert services.unconfirmed(partnership, "problem") == []

    services.revise_statement(
        partnership=partnership,
        kind="problem",
        text="Unga och föräldrar saknar...",
        by=cast.org_admin,
    )

    assert services.unconfirmed(partnership, "problem") == [cast.municipality, cast.ngo]
    partnership.refresh_from_db()
    assert partnership.problem_statement == "Unga och föräldrar saknar..."
    assert services.current_statement(partnership, "problem").number == 2


def test_disagreeing_needs_a_comment_and_outsiders_cannot_answer(cast, partnership):
    with pytest.raises(ValidationError):
        services.answer_statement(
            partnership=partnership,
            kind="problem",
            organisation=cast.municipality,
            agrees=False,
            comment=" ",
            by=cast.org_admin,
        )
    with pytest.raises(ValidationError, match="Only member organisations"):
        services.answer_statement(
            partnership=partnership,
            kind="problem",
            organisation=cast.ngo,
            agrees=True,
            comment="",
            by=cast.other_member,
        )


def test_a_step_needs_evidence_and_is_done_once(cast, partnership):
    with pytest.raises(ValidationError, match="a note, a link or a file"):
        services.complete_step(partnership=partnership, number=1, by=cast.org_admin)
    services.complete_step(
        partnership=partnership, number=1, by=cast.org_admin, link="https://example.org/beslut"
    )
    with pytest.raises(ValidationError, match="already done"):
        services.complete_step(partnership=partnership, number=1, by=cast.org_admin, note="x")
    with pytest.raises(ValidationError, match="no such step"):
        services.complete_step(partnership=partnership, number=99, by=cast.org_admin, note="x")
    assert checklist.current_step(partnership) == 2

    services.reopen_step(partnership=partnership, number=1, by=cast.org_admin)
    assert checklist.current_step(partnership) == 1


def test_the_checklist_has_sixteen_steps_in_every_language(partnership):
    for language in ("sv", "nb", "da", "en"):
        steps = checklist.steps_for(partnership, language)
        assert [s.number for s in steps] == list(range(1, 17))
        assert all(s.title for s in steps)
    english = checklist.steps_for(partnership, "en")
    assert "problem" in english[0].title.lower()
    assert "resident" in english[1].title.lower()


def test_an_administrator_adapts_a_step_per_form(cast, partnership):
    base = ChecklistStep.objects.get(number=12, form="", country="")
    ChecklistStep.objects.create(
        number=12,
        code=base.code,
        title={**base.title, "en": "Indicators agreed with the funder"},
        mandatory=True,
        form="grant",
    )
    assert checklist.steps_for(partnership, "en")[11].title == base.title["en"]

    partnership.form = "grant"
    step = checklist.steps_for(partnership, "en")[11]

    assert (step.title, step.mandatory) == ("Indicators agreed with the funder", True)


def test_agreed_needs_mandatory_steps_and_every_confirmation(cast, partnership):
    services.change_status(partnership=partnership, to=Status.FORMING, by=cast.org_admin)
    partnership.refresh_from_db()
    _join(partnership, cast.ngo, cast.other_member)

    reasons = lifecycle.blockers(partnership, Status.AGREED)
    assert any("Mandatory step" in r for r in reasons)
    assert any("Røde Kors Esbjerg" in r and "Göteborgs Stad" in r for r in reasons)
    with pytest.raises(services.TransitionRefused):
        services.change_status(partnership=partnership, to=Status.AGREED, by=cast.org_admin)

    mandatory = [s.number for s in checklist.steps_for(partnership) if s.mandatory]
    _do_steps(partnership, cast.org_admin, mandatory)
    for organisation, user in ((cast.municipality, cast.org_admin), (cast.ngo, cast.other_member)):
        services.answer_statement(
            partnership=partnership,
            kind="problem",
            organisation=organisation,
            agrees=True,
            comment="",
            by=user,
        )

    services.change_status(partnership=partnership, to=Status.AGREED, by=cast.org_admin)
    partnership.refresh_from_db()
    assert partnership.status == Status.AGREED
    assert history_for(partnership).first().data == {"from": "forming", "to": "agreed"}


def test_impossible_moves_are_refused(cast, partnership):
    assert lifecycle.blockers(partnership, Status.ACTIVE)
    services.change_status(partnership=partnership, to=Status.ENDED, by=cast.org_admin)
    partnership.refresh_from_db()
    assert lifecycle.next_moves(partnership) == []


def test_invitation_through_an_entry_door_and_declining(cast, partnership):
    door = add_entry_door(
        organisation=cast.ngo,
        data={"topic": "Samarbejde", "who": "Konsulenterne", "email": "a@rodekors.example"},
        by=None,
    )
    member = services.invite_organisation(
        partnership=partnership,
        organisation=cast.ngo,
        role="partner",
        by=cast.org_admin,
        entry_door=door,
    )
    with pytest.raises(ValidationError, match="already invited"):
        services.invite_organisation(
            partnership=partnership, organisation=cast.ngo, role="partner", by=cast.org_admin
        )
    services.respond(member=member, accept=False, by=cast.other_member)
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    again = services.invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="funder", by=cast.org_admin
    )
    assert (again.pk, again.status, again.role) == (member.pk, MemberStatus.INVITED, "funder")


def test_the_last_lead_cannot_leave(cast, partnership):
    with pytest.raises(ValidationError, match="cannot leave"):
        services.leave(member=partnership.members.get(), by=cast.org_admin)
    partner = _join(partnership, cast.ngo, cast.other_member)
    services.leave(member=partner, by=cast.other_member)
    partner.refresh_from_db()
    assert partner.status == MemberStatus.LEFT


def test_resident_involvement_and_mandate_are_recorded(cast, partnership):
    involvement = services.record_involvement(
        partnership=partnership,
        by=cast.org_admin,
        kind="interview",
        held_on=datetime.date(2026, 5, 1),
        residents_reached=120,
        groups=["young_people", "children", "young_people"],
        outcomes=["Grillplatser", "", "Kickboardramp"],
    )
    assert involvement.groups == ["children", "young_people"]
    assert [o.text for o in involvement.outcomes.all()] == ["Grillplatser", "Kickboardramp"]
    with pytest.raises(ValidationError):
        services.record_involvement(
            partnership=partnership,
            by=cast.org_admin,
            kind="interview",
            held_on=datetime.date(2026, 5, 1),
            residents_reached=1,
            groups=["aliens"],
        )
    mandate = services.record_mandate(
        partnership=partnership,
        organisation=cast.municipality,
        by=cast.org_admin,
        body="Kommunstyrelsen",
        decided_on=datetime.date(2026, 4, 2),
        resources="0,5 tjänst",
    )
    assert mandate.body == "Kommunstyrelsen"
    assert [e.action for e in history_for(partnership)[:2]] == [
        "partnership.mandate_recorded",
        "partnership.residents_involved",
    ]


def test_find_partners_counts_real_partnerships(cast, partnership):
    from samverka.directory import matching

    _join(partnership, cast.ngo, cast.other_member)

    counts = matching._partnership_counter([cast.municipality.pk, cast.ngo.pk, 0])

    assert counts == {cast.municipality.pk: 1, cast.ngo.pk: 1}


def test_the_invitation_reaches_the_entry_door_the_person_and_the_organisations_admins(
    cast, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    cast.other_member.language = "da"
    cast.other_member.save(update_fields=["language"])
    door = add_entry_door(
        organisation=cast.ngo,
        data={"topic": "Samarbejde", "who": "Konsulenterne", "email": "samarbejde@rk.example"},
        by=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_organisation(
            partnership=partnership,
            organisation=cast.ngo,
            role="partner",
            by=cast.org_admin,
            entry_door=door,
            contact_email="Frivillig@RK.example",
        )

    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {
        "samarbejde@rk.example",
        "frivillig@rk.example",
        cast.other_member.email,
    }
    danish = by_address[cast.other_member.email]
    assert danish.subject == "Invitation til partnerskabet Trygghet i Hammarkullen"
    assert "Unga saknar meningsfull fritid" in danish.body
    assert f"/partnerships/{partnership.pk}/" in danish.body
    assert "Samarbejde" in by_address["samarbejde@rk.example"].body


def test_the_invitation_is_written_in_each_recipients_language(
    cast, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    """Issue 20: known people get the language they chose, others their
    organisation's country's (a Norwegian office got Swedish, the default)."""
    oslo = create_organisation(by=None, name="Oslo kommune", country="NO", sector="municipality")
    cast.outsider.language = "en"
    cast.outsider.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_organisation(
            partnership=partnership,
            organisation=oslo,
            role="partner",
            by=cast.org_admin,
            contact_email="post@oslo.example",
        )
        services.invite_organisation(
            partnership=partnership,
            organisation=cast.ngo,
            role="partner",
            by=cast.org_admin,
            contact_email=cast.outsider.email,
        )

    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["post@oslo.example"] == "Invitasjon til samarbeidet Trygghet i Hammarkullen"
    assert subjects[cast.outsider.email] == "Invitation to the partnership Trygghet i Hammarkullen"


def test_a_malformed_contact_address_invites_nobody(cast, partnership, mailoutbox):
    with pytest.raises(ValidationError) as error:
        services.invite_organisation(
            partnership=partnership,
            organisation=cast.ngo,
            role="partner",
            by=cast.org_admin,
            contact_email="not an address",
        )
    assert "contact_email" in error.value.message_dict
    assert not partnership.members.filter(organisation=cast.ngo).exists()
    assert mailoutbox == []
