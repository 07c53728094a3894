# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who keeps a profile right: suggestions from anyone logged in, decided by the
organisation's admins, and claims that hand an unclaimed profile to its own people."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverka.accounts.models import Role, User
from samverka.accounts.services import add_member
from samverka.core.audit import jsonable, log_action
from samverka.directory import services
from samverka.directory.models import ChangeSuggestion, ClaimRequest, Decision, Organisation

# What someone outside the organisation may propose: the public profile text.
SUGGESTIBLE_FIELDS = ("name", "description", "website", "email", "phone", "commitment")


def unclaimed(organisation: Organisation) -> bool:
    """Whether to ask the organisation's people to claim the profile: not once it
    is claimed, nor once it has an administrator (invited, or made one in the admin)."""
    if organisation.claimed:
        return False
    return not organisation.memberships.filter(role=Role.ADMIN).exists()


@transaction.atomic
def suggest_change(
    *, organisation: Organisation, by: User, changes: dict[str, Any], comment: str = ""
) -> ChangeSuggestion:
    unknown = set(changes) - set(SUGGESTIBLE_FIELDS)
    if unknown:
        raise ValueError(f"not suggestible: {sorted(unknown)}")
    services.refuse_null_characters({**changes, "comment": comment})
    changes = {k: v for k, v in changes.items() if getattr(organisation, k) != v}
    if not changes:
        raise ValidationError(_("The suggestion changes nothing."), code="no_change")
    # Validate now, so that an admin is never asked to accept a value that cannot be saved.
    trial = Organisation.objects.get(pk=organisation.pk)
    for name, value in changes.items():
        setattr(trial, name, value)
    trial.full_clean(exclude=[f.name for f in Organisation._meta.fields if f.name not in changes])
    suggestion = ChangeSuggestion.objects.create(
        organisation=organisation,
        proposed_by=by,
        changes=changes,
        based_on={name: jsonable(getattr(organisation, name)) for name in changes},
        comment=comment,
    )
    log_action(organisation, "suggestion.made", user=by, data={"fields": sorted(changes)})
    return suggestion


@transaction.atomic
def decide_suggestion(*, suggestion: ChangeSuggestion, accept: bool, by: User) -> dict[str, Any]:
    """Accept (apply through the guarded update) or reject a pending suggestion."""
    suggestion = ChangeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Decision.PENDING:
        raise ValidationError(_("This suggestion has already been decided."), code="decided")
    changes: dict[str, Any] = {}
    if accept:
        organisation = suggestion.organisation
        changes = services.update_organisation(
            organisation=organisation,
            data=suggestion.changes,
            by=by,
            version=organisation.version,
        )
    suggestion.status = Decision.ACCEPTED if accept else Decision.REJECTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        suggestion.organisation,
        "suggestion.accepted" if accept else "suggestion.rejected",
        user=by,
        data={"fields": sorted(suggestion.changes)},
    )
    return changes


def _domain(value: str) -> str:
    host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
    return host.removeprefix("www.").lower()


def email_matches_website(user: User, organisation: Organisation) -> bool:
    """anna@esbjerg.dk for https://www.esbjerg.dk: the organisation's own domain."""
    website = _domain(organisation.website)
    return bool(website) and user.email.rsplit("@", 1)[-1].lower() == website


@transaction.atomic
def request_claim(*, organisation: Organisation, by: User, message: str) -> ClaimRequest:
    """Ask to become the administrator of an unclaimed profile. Granted at once
    when the e-mail address is at the organisation's own web domain; otherwise a
    platform administrator reviews it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.claimed:
        raise ValidationError(_("This profile has already been claimed."), code="claimed")
    services.refuse_null_characters({"message": message})
    if not message.strip():
        raise ValidationError({"message": _("Say who you are in the organisation.")})
    if ClaimRequest.objects.filter(
        organisation=organisation, user=by, status=Decision.PENDING
    ).exists():
        raise ValidationError(_("You have already asked to claim this profile."), code="pending")
    claim = ClaimRequest.objects.create(organisation=organisation, user=by, message=message)
    log_action(organisation, "claim.requested", user=by)
    if email_matches_website(by, organisation):
        decide_claim(claim=claim, approve=True, by=None)
    return claim


@transaction.atomic
def decide_claim(*, claim: ClaimRequest, approve: bool, by: User | None) -> None:
    claim = ClaimRequest.objects.select_for_update().select_related("organisation").get(pk=claim.pk)
    if claim.status != Decision.PENDING:
        raise ValidationError(_("This claim has already been decided."), code="decided")
    claim.status = Decision.ACCEPTED if approve else Decision.REJECTED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        # add_member marks the profile claimed and records it.
        add_member(organisation=claim.organisation, user=claim.user, role=Role.ADMIN, by=by)
        ClaimRequest.objects.filter(
            organisation=claim.organisation, status=Decision.PENDING
        ).update(status=Decision.REJECTED, decided_at=timezone.now())
    else:
        log_action(claim.organisation, "claim.rejected", user=by)
