# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samverka.accounts import services as account_services
from samverka.accounts.forms import InviteForm, RoleForm
from samverka.accounts.models import Membership, Role
from samverka.core.audit import ACTION_LABELS, history_for
from samverka.core.choices import labels
from samverka.core.forms import posted_data
from samverka.core.pagination import page_for_request
from samverka.core.permissions import can, get_object_for, is_platform_admin
from samverka.directory import services, stewardship
from samverka.directory.forms import (
    ClaimForm,
    EntryDoorEditForm,
    EntryDoorForm,
    OrganisationFilterForm,
    OrganisationProfileForm,
    PlaceSearchForm,
    SuggestionForm,
)
from samverka.directory.models import (
    ClaimRequest,
    Country,
    Decision,
    EntryDoor,
    Organisation,
    Place,
    PlaceKind,
    Sector,
    Theme,
)
from samverka.directory.transfer_views import may_export
from samverka.partnerships.services import pending_invitations

PAGE_SIZE = 50


@require_safe
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET or None)
    queryset = Organisation.objects.only("name", "sector", "country", "claimed")
    if filters.is_valid():
        queryset = filters.apply(queryset)
    page, query = page_for_request(request, queryset, size=PAGE_SIZE)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "sectors": labels(Sector),
            "countries": labels(Country),
            # One reverse() for the page instead of one per row.
            "base_url": reverse("directory:organisations"),
            "may_import": is_platform_admin(request.user),
            "may_export": request.user.is_authenticated and may_export(request.user),
        },
    )


@require_safe
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, pk=pk)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "doors": organisation.entry_doors.all(),
            "places": organisation.places.all(),
            "capabilities": organisation.capabilities.all(),
            "themes": labels(Theme),
            "can_edit": can(request.user, "edit", organisation),
            "role": request.user.roles().get(pk) if request.user.is_authenticated else None,
            "show_claim": stewardship.unclaimed(organisation),
            "invitations": pending_invitations(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "edit", pk=pk)
    form = OrganisationProfileForm(
        posted_data(request),
        instance=organisation,
        initial={"version": organisation.version},
        capabilities=services.capabilities_of(organisation),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: getattr(form.instance, name) for name in services.EDITABLE_FIELDS}
        data["themes"] = form.cleaned_data["themes"]
        data["capabilities"] = form.capabilities()
        try:
            changes = services.update_organisation(
                organisation=organisation,
                data=data,
                by=request.user,
                version=form.cleaned_data["version"],
            )
        except services.EditConflict as error:
            conflict = error.current
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The profile was saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(organisation)
    return render(
        request,
        "directory/organisation_edit.html",
        {"organisation": organisation, "form": form, "conflict": conflict},
    )


def _members_context(organisation: Organisation, user: object) -> dict[str, object]:
    return {
        "organisation": organisation,
        "memberships": Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email"),
        "invitations": organisation.invitations.pending(),
        "can_manage": can(user, "manage_members", organisation),
        "roles": Role.choices,
    }


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "view_members", pk=pk)
    form = InviteForm()
    if request.method == "POST":
        get_object_for(request.user, Organisation, "manage_members", pk=pk)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                account_services.invite_member(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("directory:members", pk=pk)
    context = _members_context(organisation, request.user) | {"form": form}
    return render(request, "directory/organisation_members.html", context)


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "manage_members", pk=pk)
    membership = get_object_for(
        request.user,
        Membership.objects.filter(organisation=organisation).select_related("user"),
        "view",
        pk=membership_pk,
    )
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            membership = account_services.change_member_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Choose a valid role.")
    if request.htmx:
        membership.refresh_from_db()
        context = _members_context(organisation, request.user) | {
            "membership": membership,
            "row_error": error,
            "row_saved": error is None,
        }
        return render(request, "directory/organisation_members.html#member-row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The role was changed."))
    return redirect("directory:members", pk=pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "manage_members", pk=pk)
    membership = get_object_for(
        request.user,
        Membership.objects.filter(organisation=organisation).select_related("user"),
        "view",
        pk=membership_pk,
    )
    try:
        account_services.remove_member(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s was removed.") % {"person": membership.user})
    return redirect("directory:members", pk=pk)


@login_required
@require_safe
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "view_history", pk=pk)
    entries = history_for(organisation)[:200]
    return render(
        request,
        "directory/organisation_history.html",
        {"organisation": organisation, "entries": entries, "labels": ACTION_LABELS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_doors(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "edit", pk=pk)
    form = EntryDoorForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entry_door(
                organisation=organisation, data=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry door was added."))
            return redirect("directory:entry_doors", pk=pk)
    return render(
        request,
        "directory/entry_doors.html",
        {"organisation": organisation, "doors": organisation.entry_doors.all(), "form": form},
    )


def _entry_door(request: HttpRequest, pk: int, door_pk: int, action: str) -> EntryDoor:
    """A door of organisation `pk` only: another organisation's door is a 404 here."""
    return get_object_for(
        request.user,
        EntryDoor.objects.select_related("organisation"),
        action,
        pk=door_pk,
        organisation_id=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_door_edit(request: HttpRequest, pk: int, door_pk: int) -> HttpResponse:
    door = _entry_door(request, pk, door_pk, "edit")
    form = EntryDoorEditForm(posted_data(request), instance=door, initial={"version": door.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.ENTRY_DOOR_FIELDS}
        try:
            services.update_entry_door(
                door=door, data=data, by=request.user, version=form.cleaned_data["version"]
            )
        except services.EditConflict as error:
            form.add_error(None, error)
            conflict = _door_conflict(form, error.current, data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry door was saved."))
            return redirect("directory:entry_doors", pk=pk)
    return render(
        request,
        "directory/entry_door_edit.html",
        {"organisation": door.organisation, "door": door, "form": form, "conflict": conflict},
    )


def _door_conflict(
    form: EntryDoorEditForm, saved: EntryDoor, yours: dict[str, str]
) -> list[dict[str, object]]:
    """The fields the saved door and the refused edit disagree on, side by side.
    The form keeps the user's text and now carries the saved version, so saving
    again puts theirs on top knowingly."""
    form.data = form.data.copy()
    form.data["version"] = str(saved.version)
    return [
        {
            "label": EntryDoor._meta.get_field(name).verbose_name,
            "saved": getattr(saved, name),
            "yours": yours[name],
        }
        for name in services.ENTRY_DOOR_FIELDS
        if getattr(saved, name) != yours[name]
    ]


@login_required
@require_POST
def entry_door_delete(request: HttpRequest, pk: int, door_pk: int) -> HttpResponse:
    door = _entry_door(request, pk, door_pk, "delete")
    services.remove_entry_door(door=door, by=request.user)
    messages.success(request, _("The entry door was removed."))
    return redirect("directory:entry_doors", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "suggest", pk=pk)
    form = SuggestionForm(posted_data(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name]
            for name in stewardship.SUGGESTIBLE_FIELDS
            if form.cleaned_data[name] != getattr(organisation, name)
        }
        try:
            stewardship.suggest_change(
                organisation=organisation,
                by=request.user,
                changes=changes,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. The organisation's administrators will look at it.")
            )
            return redirect(organisation)
    return render(request, "directory/suggest.html", {"organisation": organisation, "form": form})


@login_required
@require_safe
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "review_suggestions", pk=pk)
    pending = list(
        organisation.suggestions.filter(status=Decision.PENDING).select_related("proposed_by")[:100]
    )
    rows = [
        {
            "suggestion": suggestion,
            "fields": [
                {
                    "label": Organisation._meta.get_field(name).verbose_name,
                    "current": getattr(organisation, name),
                    "proposed": value,
                    "outdated": suggestion.based_on.get(name) != getattr(organisation, name),
                }
                for name, value in suggestion.changes.items()
            ],
        }
        for suggestion in pending
    ]
    return render(
        request, "directory/suggestions.html", {"organisation": organisation, "rows": rows}
    )


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "review_suggestions", pk=pk)
    suggestion = get_object_or_404(organisation.suggestions, pk=suggestion_pk)
    accept = request.POST.get("decision") == "accept"
    try:
        stewardship.decide_suggestion(suggestion=suggestion, accept=accept, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The change was accepted and saved.") if accept else _("The change was rejected."),
        )
    return redirect("directory:suggestions", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "claim", pk=pk)
    form = ClaimForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            stewardship.request_claim(
                organisation=organisation, by=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            organisation.refresh_from_db(fields=["claimed"])
            if organisation.claimed:
                messages.success(request, _("The profile is yours: you are now its administrator."))
            else:
                messages.success(
                    request, _("Thank you. A platform administrator will check your claim.")
                )
            return redirect(organisation)
    return render(request, "directory/claim.html", {"organisation": organisation, "form": form})


@login_required
@require_safe
def claims(request: HttpRequest) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise PermissionDenied
    pending = ClaimRequest.objects.filter(status=Decision.PENDING).select_related(
        "organisation", "user"
    )[:200]
    return render(request, "directory/claims.html", {"claims": pending})


@login_required
@require_POST
def claim_decide(request: HttpRequest, claim_pk: int) -> HttpResponse:
    if not is_platform_admin(request.user):
        raise PermissionDenied
    request_ = get_object_or_404(ClaimRequest, pk=claim_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        stewardship.decide_claim(claim=request_, approve=approve, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The claim was approved.") if approve else _("The claim was rejected.")
        )
    return redirect("directory:claims")


@login_required
@require_http_methods(["GET", "POST"])
def places_served(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for(request.user, Organisation, "edit", pk=pk)
    if request.method == "POST":
        current = services.place_ids_of(organisation)
        try:
            place_id = int(request.POST.get("place", ""))
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponseBadRequest(_("Choose a place from the list."))
        wanted = (
            [*current, place_id]
            if request.POST.get("action") == "add"
            else [p for p in current if p != place_id]
        )
        try:
            services.update_organisation(
                organisation=organisation, data={"places": wanted}, by=request.user, version=version
            )
        except services.EditConflict:
            messages.error(
                request, _("Someone else saved this profile meanwhile. Here is the saved list.")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The places were saved."))
        return redirect("directory:places", pk=organisation.pk)
    search = PlaceSearchForm(request.GET or None)
    found: list[Place] = []
    if search.is_valid() and search.cleaned_data["q"]:
        found = list(
            Place.objects.filter(
                country=organisation.country, name__icontains=search.cleaned_data["q"]
            )
            .exclude(organisations=organisation)
            .select_related("parent")
            .order_by("name")[:25]
        )
    return render(
        request,
        "directory/places_served.html",
        {
            "organisation": organisation,
            "places": organisation.places.select_related("parent").order_by("path"),
            "search": search,
            "found": found,
            "kinds": labels(PlaceKind),
        },
    )
