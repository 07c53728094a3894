# SPDX-License-Identifier: AGPL-3.0-or-later
"""Suggestions from anyone logged in, decided by admins; claims of unclaimed profiles."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from samverka.accounts.models import Membership, Role, User
from samverka.core.audit import history_for
from samverka.directory import stewardship
from samverka.directory.models import ChangeSuggestion, ClaimRequest, Decision, Organisation
from samverka.directory.services import create_organisation, update_organisation


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unclaimed(cast):
    return create_organisation(
        by=cast.outsider,
        name="Hammarkullens grannar",
        country="SE",
        sector="residents_association",
        website="https://www.grannar.example",
    )


def test_a_profile_entered_by_someone_else_is_unclaimed(cast, unclaimed):
    assert not unclaimed.claimed
    page = Client().get(unclaimed.get_absolute_url())
    assert "has not been claimed by the organisation yet" in page.text


def test_a_suggestion_changes_nothing_until_an_admin_accepts_it(cast):
    response = _client(cast.outsider).post(
        reverse("directory:suggest", args=[cast.municipality.pk]),
        {
            "name": "Göteborgs Stad",
            "description": "Kommunen. Nu med överenskommelsen.",
            "website": "",
            "email": "",
            "phone": "",
            "commitment": "",
            "comment": "Saknar överenskommelsen.",
        },
    )

    assert response.status_code == 302
    cast.municipality.refresh_from_db()
    assert cast.municipality.description == "Kommunen."
    suggestion = ChangeSuggestion.objects.get()
    assert suggestion.changes == {"description": "Kommunen. Nu med överenskommelsen."}
    assert suggestion.based_on == {"description": "Kommunen."}

    review = _client(cast.org_admin).get(
        reverse("directory:suggestions", args=[cast.municipality.pk])
    )
    assert "Kommunen. Nu med överenskommelsen." in review.text
    assert "Saknar överenskommelsen." in review.text

    decided = _client(cast.org_admin).post(
        reverse("directory:suggestion_decide", args=[cast.municipality.pk, suggestion.pk]),
        {"decision": "accept"},
    )

    assert decided.status_code == 302
    cast.municipality.refresh_from_db()
    assert cast.municipality.description == "Kommunen. Nu med överenskommelsen."
    assert cast.municipality.version == 2
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (Decision.ACCEPTED, cast.org_admin)
    assert [e.action for e in history_for(cast.municipality)[:3]] == [
        "suggestion.accepted",
        "organisation.updated",
        "suggestion.made",
    ]


def test_a_rejected_suggestion_leaves_the_profile(cast):
    suggestion = stewardship.suggest_change(
        organisation=cast.municipality, by=cast.member, changes={"name": "Fel namn"}
    )

    stewardship.decide_suggestion(suggestion=suggestion, accept=False, by=cast.org_admin)

    cast.municipality.refresh_from_db()
    assert cast.municipality.name == "Göteborgs Stad"
    suggestion.refresh_from_db()
    assert suggestion.status == Decision.REJECTED
    with pytest.raises(ValidationError, match="already been decided"):
        stewardship.decide_suggestion(suggestion=suggestion, accept=True, by=cast.org_admin)


def test_a_suggestion_that_changes_nothing_or_is_invalid_is_refused(cast):
    with pytest.raises(ValidationError, match="changes nothing"):
        stewardship.suggest_change(
            organisation=cast.municipality, by=cast.member, changes={"name": "Göteborgs Stad"}
        )
    with pytest.raises(ValidationError) as error:
        stewardship.suggest_change(
            organisation=cast.municipality, by=cast.member, changes={"email": "not-an-address"}
        )
    assert "email" in error.value.message_dict
    with pytest.raises(ValueError):
        stewardship.suggest_change(
            organisation=cast.municipality, by=cast.member, changes={"organisation_number": "1"}
        )
    assert not ChangeSuggestion.objects.exists()


def test_the_admin_sees_when_the_profile_changed_since_the_suggestion(cast):
    stewardship.suggest_change(
        organisation=cast.municipality, by=cast.member, changes={"description": "Förslag."}
    )
    update_organisation(
        organisation=cast.municipality,
        data={"description": "Ändrat av admin."},
        by=cast.org_admin,
        version=1,
    )

    review = _client(cast.org_admin).get(
        reverse("directory:suggestions", args=[cast.municipality.pk])
    )

    assert "The profile has changed here since the suggestion was made." in review.text


def test_a_claim_with_the_organisations_own_domain_is_granted_at_once(cast, unclaimed):
    user = User.objects.create_user("ordforande@grannar.example", "x" * 12)

    response = _client(user).post(
        reverse("directory:claim", args=[unclaimed.pk]), {"message": "Ordförande sedan 2023."}
    )

    assert response.status_code == 302
    unclaimed.refresh_from_db()
    assert unclaimed.claimed
    assert Membership.objects.get(organisation=unclaimed).user == user
    assert Membership.objects.get(organisation=unclaimed).role == Role.ADMIN
    assert history_for(unclaimed).first().action == "organisation.claimed"


def test_other_claims_wait_for_a_platform_admin(cast, unclaimed):
    response = _client(cast.outsider).post(
        reverse("directory:claim", args=[unclaimed.pk]), {"message": "Jag bor där."}
    )

    assert response.status_code == 302
    unclaimed.refresh_from_db()
    assert not unclaimed.claimed
    claim = ClaimRequest.objects.get()
    queue = _client(cast.platform_admin).get(reverse("directory:claims"))
    assert "Jag bor där." in queue.text

    _client(cast.platform_admin).post(
        reverse("directory:claim_decide", args=[claim.pk]), {"decision": "approve"}
    )

    unclaimed.refresh_from_db()
    assert unclaimed.claimed
    assert Membership.objects.get(organisation=unclaimed).user == cast.outsider


def test_a_claimed_profile_cannot_be_claimed_again(cast):
    response = _client(cast.outsider).post(
        reverse("directory:claim", args=[cast.municipality.pk]), {"message": "Jag."}
    )

    assert response.status_code == 403
    assert not ClaimRequest.objects.exists()


def test_a_claim_needs_a_message_and_only_one_may_wait(cast, unclaimed):
    response = _client(cast.outsider).post(
        reverse("directory:claim", args=[unclaimed.pk]), {"message": "   "}
    )
    assert response.status_code == 200
    assert not ClaimRequest.objects.exists()

    stewardship.request_claim(organisation=unclaimed, by=cast.outsider, message="Ja.")
    with pytest.raises(ValidationError, match="already asked"):
        stewardship.request_claim(organisation=unclaimed, by=cast.outsider, message="Igen.")
    assert ClaimRequest.objects.count() == 1


def test_the_api_takes_suggestions_and_decisions(cast):
    made = _client(cast.outsider).post(
        f"/api/organisations/{cast.municipality.pk}/suggestions",
        {"changes": {"commitment": "Tio år."}, "comment": "Från avtalet."},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    suggestion_id = made.json()["id"]

    listed = _client(cast.org_admin).get(f"/api/organisations/{cast.municipality.pk}/suggestions")
    assert [s["id"] for s in listed.json()] == [suggestion_id]

    decided = _client(cast.org_admin).post(
        f"/api/organisations/{cast.municipality.pk}/suggestions/{suggestion_id}/decision",
        {"accept": True},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert decided.json()["commitment"] == "Tio år."


def test_the_api_refuses_suggestions_of_fields_outside_the_profile_text(cast):
    response = _client(cast.outsider).post(
        f"/api/organisations/{cast.municipality.pk}/suggestions",
        {"changes": {"claimed": False}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ChangeSuggestion.objects.exists()
    assert Organisation.objects.get(pk=cast.municipality.pk).claimed


def test_the_claim_banner_goes_once_the_organisation_has_an_administrator(cast, unclaimed):
    # Issue 20: an administrator invited (or made in the admin) leaves claimed
    # false, and the page kept asking its own people to claim it.
    Membership.objects.create(user=cast.outsider, organisation=unclaimed, role=Role.MEMBER)
    banner = "has not been claimed by the organisation yet"
    assert banner in Client().get(unclaimed.get_absolute_url()).text  # a member is no admin

    Membership.objects.create(user=cast.coordinator, organisation=unclaimed, role=Role.ADMIN)
    assert banner not in Client().get(unclaimed.get_absolute_url()).text
    assert banner not in _client(cast.outsider).get(unclaimed.get_absolute_url()).text


def test_a_claimed_profile_shows_no_claim_banner(cast):
    page = Client().get(cast.ngo.get_absolute_url())
    assert "has not been claimed by the organisation yet" not in page.text
