# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writing agreements: the pre-filled draft, versions and conflicts, approvals per
party and version, and the statuses up to the end."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverka.agreements import content as agreement_content
from samverka.agreements import services
from samverka.agreements.catalogue import in_language
from samverka.agreements.catalogue import principles as default_principles
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
    Approval,
)
from samverka.agreements.services import AgreementConflict
from samverka.core.audit import history_for
from samverka.directory.models import Place
from samverka.partnerships import services as partnership_services
from samverka.partnerships.checklist import load_checklist

from .conftest import (
    GOAL,
    PROBLEM,
    SIGNATORY,
    approve,
    complete,
    complete_changes,
    current,
    days,
    fresh,
    join,
    other_organisation,
    save,
)

PARTY_ADDRESSES = {
    "admin@goteborg.example",
    "coordinator@goteborg.example",
    "mette@rodekors.example",
}


def actions(partnership) -> list[str]:
    return list(history_for(partnership).order_by("id").values_list("action", flat=True))


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


# Drafting from the partnership ------------------------------------------------------------


def test_it_lists_the_bound_parties_lead_first(cast, partnership, iop):
    police, police_admin = other_organisation("Polisen Storgöteborg", "police", "p@polis.example")
    fund, fund_admin = other_organisation("Allmänna arvsfonden", "foundation", "f@arv.example")
    invited, _admin = other_organisation("Hyresgästföreningen", "residents_association", "h@h.ex")
    join(partnership, police, police_admin, role="observer")
    join(partnership, fund, fund_admin, role="funder")
    partnership_services.invite_organisation(
        partnership=partnership, organisation=invited, role="partner", by=cast.org_admin
    )

    agreement = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)

    parties = current(agreement).content["parties"]
    assert [(p["organisation"], p["role"]) for p in parties] == [
        (cast.municipality.pk, "lead"),
        (cast.ngo.pk, "partner"),
        (fund.pk, "funder"),
    ]
    assert parties[0] == {
        "organisation": cast.municipality.pk,
        "name": "Göteborgs Stad",
        "organisation_number": "212000-1355",
        "country": "SE",
        "sector": "municipality",
        "role": "lead",
    }


def test_it_prefills_background_purpose_and_dates_from_the_partnership(agreement, partnership):
    content = current(agreement).content
    codes = {section["code"] for section in agreement.template.sections}

    assert {"background", "purpose"} <= codes
    assert content["sections"]["background"] == PROBLEM
    assert content["sections"]["purpose"] == GOAL
    assert content["dates"] == {
        "starts_on": partnership.starts_on.isoformat(),
        "ends_on": partnership.ends_on.isoformat(),
        "notice_months": None,
        "review_dates": [partnership.review_on.isoformat()],
    }
    assert (agreement.starts_on, agreement.ends_on, agreement.next_review_on) == (
        partnership.starts_on,
        partnership.ends_on,
        partnership.review_on,
    )
    assert content["template"] == "iop"
    assert content["language"] == agreement.language == agreement.template.language
    assert content["after_pilot"]["currency"] == "SEK"
    # Every text section of the template is there to be written, and only those.
    text_codes = {s["code"] for s in agreement.template.sections if s["kind"] == "text"}
    assert text_codes <= set(content["sections"])


@pytest.mark.parametrize("language", ["sv", "nb", "da", "en"])
def test_it_writes_the_six_principles_in_the_agreements_language(cast, partnership, iop, language):
    agreement = services.create_agreement(
        partnership=partnership, template=iop, by=cast.org_admin, language=language
    )

    principles = current(agreement).content["principles"]
    data = default_principles()
    assert len(principles) == len(data) == 6
    assert [p["name"] for p in principles] == [p["name"][language] for p in data]
    assert all(p["code"] and p["name"].strip() and p["meaning"].strip() for p in principles)
    assert agreement.language == language
    assert agreement.title.startswith(in_language(iop.name, language))
    assert agreement.title.endswith("Trygghet i Hammarkullen")


def test_it_creates_version_one_with_the_hash_of_its_content(cast, agreement, partnership):
    versions = list(agreement.versions.all())

    assert agreement.version == 1
    assert len(versions) == 1
    version = versions[0]
    assert version.number == 1
    assert version.created_by == cast.org_admin
    assert version.content_hash == agreement_content.content_hash(version.content)
    assert len(version.content_hash) == 64
    assert agreement.status == AgreementStatus.DRAFT
    assert "agreement.created" in actions(partnership)


def test_it_names_the_partnerships_places_in_the_background(cast, iop):
    sweden = Place.objects.create(kind="country", name="Sverige", country="SE", path="SE/")
    gothenburg = Place.objects.create(
        kind="municipality", name="Göteborg", country="SE", parent=sweden, path="SE/1480/"
    )
    angered = Place.objects.create(
        kind="district", name="Angered", country="SE", parent=gothenburg, path="SE/1480/3/"
    )
    load_checklist()
    partnership = partnership_services.create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Angered",
        problem_statement=PROBLEM,
        places=[gothenburg.pk, angered.pk],
    )

    agreement = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)

    assert current(agreement).content["sections"]["background"] == (
        f"{PROBLEM}\n\nAngered, Göteborg"
    )


def test_it_drafts_with_an_empty_background_when_the_partnership_has_no_problem(cast, iop):
    load_checklist()
    partnership = partnership_services.create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Utan problem"
    )
    agreement = services.create_agreement(partnership=partnership, template=iop, by=cast.org_admin)
    content = current(agreement).content
    assert content["sections"]["background"] == ""
    assert content["dates"]["review_dates"] == []
    assert agreement.next_review_on is None


# Saving versions ------------------------------------------------------------------------


def test_it_saves_a_change_as_a_new_version_with_a_new_hash(cast, agreement, partnership):
    first = current(agreement)

    version = save(agreement, cast.other_member, note="Ny titel", title="Avtal om helgkvällar")

    agreement = fresh(agreement)
    assert (agreement.version, version.number) == (2, 2)
    assert agreement.title == "Avtal om helgkvällar"
    assert version.content["title"] == "Avtal om helgkvällar"
    assert version.content_hash == agreement_content.content_hash(version.content)
    assert version.content_hash != first.content_hash
    assert (version.note, version.created_by) == ("Ny titel", cast.other_member)
    # The first version is unchanged.
    first_again = AgreementVersion.objects.get(pk=first.pk)
    assert first_again.content == first.content
    assert first_again.content_hash == first.content_hash
    assert actions(partnership).count("agreement.saved") == 1


def test_it_takes_the_parties_from_the_partnership_on_every_save(cast, agreement, partnership):
    fund, fund_admin = other_organisation("Allmänna arvsfonden", "foundation", "f@arv.example")
    join(partnership, fund, fund_admin, role="funder")
    ngo = partnership.members.get(organisation=cast.ngo)
    partnership_services.leave(member=ngo, by=cast.other_member)

    version = save(agreement, cast.coordinator, title="Nya parter")

    assert [p["organisation"] for p in version.content["parties"]] == [
        cast.municipality.pk,
        fund.pk,
    ]


def test_it_writes_no_version_when_nothing_changed(cast, agreement):
    first = current(agreement)

    result = save(agreement, cast.coordinator, title=first.content["title"])
    again = save(agreement, cast.coordinator, sections=first.content["sections"])

    assert result.pk == again.pk == first.pk
    assert fresh(agreement).version == 1
    assert agreement.versions.count() == 1


def test_it_copies_dates_and_the_next_review_from_the_saved_version(cast, agreement):
    dates = {
        "starts_on": days(-30).isoformat(),
        "ends_on": days(300).isoformat(),
        "notice_months": 3,
        "review_dates": [days(-10).isoformat(), days(90).isoformat(), days(40).isoformat()],
    }

    save(agreement, cast.coordinator, dates=dates)

    agreement = fresh(agreement)
    assert (agreement.starts_on, agreement.ends_on) == (days(-30), days(300))
    assert agreement.next_review_on == days(40)


def test_it_refuses_a_save_on_an_older_version_and_writes_nothing(cast, agreement):
    save(agreement, cast.coordinator, title="Först sparad")

    with pytest.raises(AgreementConflict) as error:
        services.save_agreement(
            agreement=agreement,
            changes={"title": "Sparad på gammal version"},
            by=cast.other_member,
            base_version=1,
        )

    assert error.value.current.number == 2
    assert error.value.current.content["title"] == "Först sparad"
    assert error.value.code == "conflict"
    assert agreement.versions.count() == 2
    assert fresh(agreement).title == "Först sparad"


def test_it_refuses_a_save_on_a_version_from_the_future(cast, agreement):
    with pytest.raises(AgreementConflict):
        services.save_agreement(
            agreement=agreement, changes={"title": "Hoppsan"}, by=cast.coordinator, base_version=2
        )
    assert agreement.versions.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parties": []}, "parties"),
        ({"template": "pilot"}, "template"),
        ({"language": "en"}, "language"),
        ({"title": "Ny\x00titel"}, "title"),
        ({"title": "   "}, "title"),
        ({"title": ""}, "title"),
        ({"sections": {"background": "Text med \x00 i"}}, "background"),
        (
            {"dates": {"starts_on": "2027-05-01", "ends_on": "2027-04-30", "review_dates": []}},
            "ends_on",
        ),
    ],
)
def test_it_refuses_invalid_changes_naming_the_field(cast, agreement, changes, field):
    with pytest.raises(ValidationError) as error:
        save(agreement, cast.coordinator, **changes)

    assert field in error.value.message_dict
    assert agreement.versions.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {
            "contributions": [
                {
                    "party": 1,
                    "year": 2026,
                    "kind": "money",
                    "amount": "1",
                    "currency": "SEK",
                    "description": "Nul\x00",
                }
            ]
        },
        {"after_pilot": {"decision_on": "", "criteria": "Nul\x00", "route": ""}},
        {"principles": [{"code": "x", "name": "Nul\x00", "meaning": ""}]},
        {"dates": {"starts_on": "", "ends_on": "", "review_dates": ["2027\x00"]}},
        {"public_payment": "grant\x00"},
        {"sections": {"back\x00ground": "Text"}},
    ],
)
def test_it_refuses_nul_characters_anywhere_in_the_content(cast, agreement, changes):
    # PostgreSQL cannot store NUL in JSON either: it must be a ValidationError,
    # not a database error.
    with pytest.raises(ValidationError) as error:
        save(agreement, cast.coordinator, **changes)

    assert set(changes) <= set(error.value.message_dict)
    assert agreement.versions.count() == 1


@pytest.mark.parametrize("status", [AgreementStatus.IN_FORCE, AgreementStatus.TERMINATED])
def test_it_refuses_to_change_an_agreement_in_force_or_terminated(cast, agreement, status):
    Agreement.objects.filter(pk=agreement.pk).update(status=status)

    for user in (cast.coordinator, cast.platform_admin):
        with pytest.raises(ValidationError):
            save(agreement, user, title="Ändrad i efterhand")

    assert agreement.versions.count() == 1
    assert fresh(agreement).title != "Ändrad i efterhand"


def test_it_lets_approvals_lapse_when_an_approved_agreement_changes(
    cast, approved, mailoutbox, django_capture_on_commit_callbacks
):
    approved_version = current(approved)
    assert approved.status == AgreementStatus.APPROVED
    assert approved_version.approvals.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        new = save(approved, cast.other_member, title="Ändrad efter godkännandet")

    agreement = fresh(approved)
    assert agreement.status == AgreementStatus.IN_REVIEW
    assert new.number == approved_version.number + 1
    assert Approval.objects.filter(version=approved_version).count() == 2
    assert Approval.objects.filter(version=new).count() == 0
    assert "agreement.approvals_lapsed" in actions(agreement.partnership)
    lapsed = (
        history_for(agreement.partnership).filter(action="agreement.approvals_lapsed").get().data
    )
    assert sorted(lapsed["approved_by"]) == ["Göteborgs Stad", "Røde Kors Esbjerg"]
    assert lapsed["version"] == new.number
    assert recipients(mailoutbox) == sorted(PARTY_ADDRESSES)


def test_it_counts_only_approvals_of_the_newest_version(
    cast, in_review, mailoutbox, django_capture_on_commit_callbacks
):
    approve(in_review, cast.municipality, cast.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        save(in_review, cast.other_member, title="Ändrad under granskningen")
    assert fresh(in_review).status == AgreementStatus.IN_REVIEW
    assert len(mailoutbox) == 3  # the lapse is told to every party

    # The NGO's approval alone does not complete the round: the municipality
    # approved the old text only.
    approve(in_review, cast.ngo, cast.other_member)
    assert fresh(in_review).status == AgreementStatus.IN_REVIEW
    approve(in_review, cast.municipality, cast.org_admin)
    assert fresh(in_review).status == AgreementStatus.APPROVED


def test_it_sends_nothing_when_a_draft_without_approvals_is_saved(
    cast, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        save(agreement, cast.coordinator, title="Bara ett utkast")
    assert callbacks == []
    assert mailoutbox == []
    assert "agreement.approvals_lapsed" not in actions(agreement.partnership)


# Review ---------------------------------------------------------------------------------


def test_it_sends_a_complete_agreement_for_review_and_tells_the_parties(
    cast, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    complete(agreement, cast.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(agreement=agreement, by=cast.coordinator)

    assert fresh(agreement).status == AgreementStatus.IN_REVIEW
    assert "agreement.submitted" in actions(agreement.partnership)
    assert recipients(mailoutbox) == sorted(PARTY_ADDRESSES)
    assert all(agreement.title in message.subject + message.body for message in mailoutbox)


def test_it_refuses_review_while_a_mandatory_section_is_empty(cast, agreement):
    mandatory = next(
        s for s in agreement.template.sections if s["kind"] == "text" and s["mandatory"]
    )
    changes = complete_changes(agreement)
    changes["sections"][mandatory["code"]] = "   "
    save(agreement, cast.coordinator, **changes)

    with pytest.raises(ValidationError) as error:
        services.submit_for_review(agreement=agreement, by=cast.coordinator)

    assert any(in_language(mandatory["title"]) in message for message in error.value.messages)
    assert fresh(agreement).status == AgreementStatus.DRAFT


def test_it_refuses_review_of_a_pilot_without_the_path_after_it(cast, partnership):
    pilot = AgreementTemplate.objects.get(code="pilot")
    assert pilot.requires_post_pilot
    agreement = services.create_agreement(
        partnership=partnership, template=pilot, by=cast.org_admin
    )
    no_path = {"decision_on": "", "criteria": "", "route": "", "detail": "", "budget": ""}
    complete(agreement, cast.coordinator, after_pilot=no_path)

    with pytest.raises(ValidationError):
        services.submit_for_review(agreement=agreement, by=cast.coordinator)
    assert fresh(agreement).status == AgreementStatus.DRAFT

    complete(agreement, cast.coordinator)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    assert fresh(agreement).status == AgreementStatus.IN_REVIEW


def test_it_refuses_review_with_fewer_than_two_parties(cast, iop):
    load_checklist()
    alone = partnership_services.create_partnership(
        by=cast.org_admin, lead=cast.municipality, name="Ensam", problem_statement=PROBLEM
    )
    agreement = services.create_agreement(partnership=alone, template=iop, by=cast.org_admin)
    complete(agreement, cast.coordinator)

    with pytest.raises(ValidationError) as error:
        services.submit_for_review(agreement=agreement, by=cast.coordinator)

    assert "two parties" in " ".join(error.value.messages)
    assert fresh(agreement).status == AgreementStatus.DRAFT


def test_it_sends_only_a_draft_for_review(cast, in_review):
    with pytest.raises(ValidationError):
        services.submit_for_review(agreement=in_review, by=cast.coordinator)


# Approvals ------------------------------------------------------------------------------


def test_it_records_an_approval_of_the_version_read(cast, in_review, partnership):
    version = current(in_review)

    approval = approve(in_review, cast.municipality, cast.coordinator, signatory="  Anna, chef  ")

    assert approval.version == version
    assert approval.content_hash == version.content_hash
    assert (approval.organisation, approval.by, approval.signatory) == (
        cast.municipality,
        cast.coordinator,
        "Anna, chef",
    )
    assert fresh(in_review).status == AgreementStatus.IN_REVIEW  # the NGO has not approved
    assert "agreement.approved" in actions(partnership)
    assert "agreement.approved_by_all" not in actions(partnership)


@pytest.mark.parametrize(("offset", "wrong_hash"), [(-1, False), (1, False), (0, True)])
def test_it_refuses_an_approval_of_another_version_or_hash(cast, in_review, offset, wrong_hash):
    version = current(in_review)

    with pytest.raises(AgreementConflict) as error:
        services.approve_agreement(
            agreement=in_review,
            organisation=cast.municipality,
            by=cast.coordinator,
            version=version.number + offset,
            content_hash="0" * 64 if wrong_hash else version.content_hash,
            signatory=SIGNATORY,
        )

    assert error.value.current == version
    assert Approval.objects.count() == 0


def test_it_refuses_an_approval_for_an_organisation_that_is_not_a_party(cast, in_review):
    police, police_admin = other_organisation("Polisen Storgöteborg", "police", "p@polis.example")
    join(in_review.partnership, police, police_admin, role="observer")

    with pytest.raises(ValidationError) as error:
        approve(in_review, police, police_admin)

    assert "Polisen Storgöteborg" in error.value.messages[0]
    assert Approval.objects.count() == 0


@pytest.mark.parametrize(
    ("organisation", "user"),
    [
        ("municipality", "member"),  # a member without an acting role
        ("ngo", "coordinator"),  # a coordinator of the other party
        ("municipality", "other_member"),
        ("municipality", "outsider"),
        ("municipality", "platform_admin"),
    ],
)
def test_it_lets_only_the_organisations_coordinators_approve_for_it(
    cast, in_review, organisation, user
):
    with pytest.raises(ValidationError):
        approve(in_review, getattr(cast, organisation), getattr(cast, user))
    assert Approval.objects.count() == 0


@pytest.mark.parametrize("signatory", ["", "   ", "\n"])
def test_it_requires_a_signatory(cast, in_review, signatory):
    with pytest.raises(ValidationError) as error:
        approve(in_review, cast.municipality, cast.coordinator, signatory=signatory)
    assert "signatory" in error.value.message_dict
    assert Approval.objects.count() == 0


def test_it_refuses_a_nul_character_in_the_signatory(cast, in_review):
    with pytest.raises(ValidationError) as error:
        approve(in_review, cast.municipality, cast.coordinator, signatory="Anna\x00")
    assert "signatory" in error.value.message_dict


def test_it_refuses_a_second_approval_by_the_same_party(cast, in_review):
    approve(in_review, cast.municipality, cast.coordinator)

    with pytest.raises(ValidationError):
        approve(in_review, cast.municipality, cast.org_admin)
    assert Approval.objects.count() == 1


def test_it_refuses_approvals_of_a_draft(cast, agreement):
    complete(agreement, cast.coordinator)
    with pytest.raises(ValidationError):
        approve(agreement, cast.municipality, cast.coordinator)
    assert Approval.objects.count() == 0


def test_it_marks_the_agreement_approved_when_every_party_has_approved(
    cast, in_review, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    approve(in_review, cast.municipality, cast.coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        approve(in_review, cast.ngo, cast.other_member)

    agreement = fresh(in_review)
    assert agreement.status == AgreementStatus.APPROVED == "approved"
    assert "agreement.approved_by_all" in actions(partnership)
    entry = history_for(partnership).get(action="agreement.approved_by_all")
    assert entry.data["hash"] == current(agreement).content_hash
    assert recipients(mailoutbox) == sorted(PARTY_ADDRESSES)
    # Approved: no more approvals.
    with pytest.raises(ValidationError):
        approve(agreement, cast.municipality, cast.org_admin)


def test_it_puts_an_approved_agreement_in_force_and_terminates_it(
    cast, approved, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    services.put_in_force(agreement=approved, by=cast.coordinator)
    assert fresh(approved).status == AgreementStatus.IN_FORCE
    assert "agreement.in_force" in actions(partnership)

    for reason in ("", "   "):
        with pytest.raises(ValidationError) as error:
            services.terminate_agreement(agreement=approved, by=cast.coordinator, reason=reason)
        assert "reason" in error.value.message_dict
    assert fresh(approved).status == AgreementStatus.IN_FORCE

    with django_capture_on_commit_callbacks(execute=True):
        services.terminate_agreement(
            agreement=approved, by=cast.coordinator, reason="  Föreningen lades ned.  "
        )

    agreement = fresh(approved)
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.terminated_on == timezone.localdate()
    assert agreement.termination_reason == "Föreningen lades ned."
    assert "agreement.terminated" in actions(partnership)
    assert recipients(mailoutbox) == sorted(PARTY_ADDRESSES)

    with pytest.raises(ValidationError):
        services.terminate_agreement(agreement=agreement, by=cast.coordinator, reason="Igen.")


def test_it_terminates_an_approved_agreement_on_a_given_date(cast, approved):
    services.terminate_agreement(
        agreement=approved, by=cast.coordinator, reason="Ersatt.", on=days(14)
    )
    assert fresh(approved).terminated_on == days(14)


@pytest.mark.parametrize("fixture", ["agreement", "in_review"])
def test_it_puts_only_an_approved_agreement_in_force(cast, request, fixture):
    agreement = request.getfixturevalue(fixture)
    status = fresh(agreement).status

    with pytest.raises(ValidationError):
        services.put_in_force(agreement=agreement, by=cast.coordinator)
    with pytest.raises(ValidationError):
        services.terminate_agreement(agreement=agreement, by=cast.coordinator, reason="Nej.")
    assert fresh(agreement).status == status


# The calendar ---------------------------------------------------------------------------


def _dated(cast, agreement, *, starts, ends, reviews=()):
    """Give the (draft) agreement dates, then take it through to approved."""
    dates = {
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "notice_months": 3,
        "review_dates": [day.isoformat() for day in reviews],
    }
    complete(agreement, cast.coordinator, dates=dates)
    services.submit_for_review(agreement=agreement, by=cast.coordinator)
    approve(agreement, cast.municipality, cast.coordinator)
    approve(agreement, cast.ngo, cast.other_member)
    return fresh(agreement)


def test_it_puts_approved_agreements_in_force_on_their_start_date(cast, agreement, partnership):
    agreement = _dated(cast, agreement, starts=days(-3), ends=days(300))

    counts = services.follow_the_calendar(timezone.localdate())

    assert counts == {"in_force": 1, "expired": 0}
    assert fresh(agreement).status == AgreementStatus.IN_FORCE
    assert "agreement.in_force" in actions(partnership)
    assert services.follow_the_calendar(timezone.localdate()) == {"in_force": 0, "expired": 0}


def test_it_waits_for_the_start_date(cast, agreement):
    agreement = _dated(cast, agreement, starts=days(5), ends=days(300))

    assert services.follow_the_calendar(timezone.localdate()) == {"in_force": 0, "expired": 0}
    assert fresh(agreement).status == AgreementStatus.APPROVED
    assert services.follow_the_calendar(days(5))["in_force"] == 1
    assert fresh(agreement).status == AgreementStatus.IN_FORCE


def test_it_leaves_drafts_and_reviews_alone(cast, agreement):
    save(
        agreement,
        cast.coordinator,
        dates={"starts_on": days(-400).isoformat(), "ends_on": days(-1).isoformat()},
    )

    assert services.follow_the_calendar(timezone.localdate()) == {"in_force": 0, "expired": 0}
    assert fresh(agreement).status == AgreementStatus.DRAFT


def test_it_expires_agreements_in_force_after_their_end_date(cast, agreement, partnership):
    agreement = _dated(cast, agreement, starts=days(-3), ends=days(60))
    services.put_in_force(agreement=agreement, by=cast.coordinator)

    assert services.follow_the_calendar(days(60)) == {"in_force": 0, "expired": 0}
    assert fresh(agreement).status == AgreementStatus.IN_FORCE

    assert services.follow_the_calendar(days(61)) == {"in_force": 0, "expired": 1}
    assert fresh(agreement).status == AgreementStatus.EXPIRED
    assert "agreement.expired" in actions(partnership)


def test_it_moves_the_next_review_to_the_next_date_to_come(cast, agreement):
    agreement = _dated(
        cast, agreement, starts=days(-3), ends=days(700), reviews=[days(100), days(10), days(400)]
    )
    assert agreement.next_review_on == days(10)

    services.follow_the_calendar(days(10))
    assert fresh(agreement).next_review_on == days(10)  # today is still the review day

    services.follow_the_calendar(days(11))
    assert fresh(agreement).next_review_on == days(100)

    services.follow_the_calendar(days(401))
    assert fresh(agreement).next_review_on is None


def test_it_finds_reviews_and_expiries_within_thirty_days(cast, agreement):
    agreement = _dated(cast, agreement, starts=days(-3), ends=days(25), reviews=[days(20)])
    today = timezone.localdate()

    due = {(a.pk, kind, on) for a, kind, on in services.reminders_due(today)}

    assert due == {(agreement.pk, "review", days(20)), (agreement.pk, "expiry", days(25))}
    assert services.reminders_due(days(-11)) == []  # both more than 30 days away


# Length limits: the same for every way in (forms, API, this service).


def test_it_refuses_an_over_long_section_and_names_it(cast, agreement):
    limit = agreement_content.SECTION_MAX_LENGTH
    title = next(
        in_language(section["title"])
        for section in agreement.template.sections
        if section["code"] == "activities"
    )

    with pytest.raises(ValidationError) as refused:
        save(agreement, cast.coordinator, sections={"activities": "x" * (limit + 1)})

    [message] = refused.value.message_dict["sections"]
    assert f"“{title}”" in message
    assert str(limit + 1) in "".join(message.split()).replace(",", "")
    assert fresh(agreement).version == 1
    # Exactly at the limit is fine.
    assert save(agreement, cast.coordinator, sections={"activities": "x" * limit}).number == 2


def test_it_refuses_over_long_criteria_and_principles(cast, agreement):
    changes = complete_changes(agreement)
    changes["after_pilot"]["criteria"] = "x" * (agreement_content.AFTER_PILOT_MAX_LENGTH + 1)
    changes["principles"] = [
        {
            "code": "",
            "name": "Öppenhet",
            "meaning": "x" * (agreement_content.PRINCIPLE_MAX_LENGTH + 1),
        }
    ]

    with pytest.raises(ValidationError) as refused:
        save(agreement, cast.coordinator, **changes)

    errors = refused.value.message_dict
    assert "“Öppenhet”" in errors["principles"][0]
    assert "criteria" in errors
    assert fresh(agreement).version == 1
