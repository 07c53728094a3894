# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samverka.core.audit import history_for, readable_entries
from samverka.core.choices import labels
from samverka.core.forms import posted_data
from samverka.core.pagination import page_for_request
from samverka.core.permissions import can, get_object_for, require
from samverka.directory.models import EntryDoor, Organisation, Sector, Theme
from samverka.directory.services import EditConflict
from samverka.partnerships import advisor, checklist, lifecycle, services
from samverka.partnerships import timeline as told
from samverka.partnerships.forms import (
    AnswerForm,
    InviteOrganisationForm,
    InvolvementForm,
    MandateForm,
    OrganisationSearchForm,
    PartnershipEditForm,
    PartnershipFilterForm,
    PartnershipForm,
    StatementForm,
    StepForm,
)
from samverka.partnerships.models import (
    MemberRole,
    MemberStatus,
    Partnership,
    PartnershipMember,
    ResidentGroup,
    StatementKind,
    Status,
)
from samverka.partnerships.permissions import acting_organisation_ids

PAGE_SIZE = 50


def _acting_organisations(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=acting_organisation_ids(user)).order_by("name")


@require_safe
def partnership_list(request: HttpRequest) -> HttpResponse:
    filters = PartnershipFilterForm(request.GET or None)
    queryset = Partnership.objects.visible_to(request.user).only(
        "name", "status", "horizon", "has_late_joiners"
    )
    if filters.is_valid():
        if filters.cleaned_data["status"]:
            queryset = queryset.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["late"]:
            queryset = queryset.filter(has_late_joiners=True)
    page, query = page_for_request(request, queryset, size=PAGE_SIZE)
    return render(
        request,
        "partnerships/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "statuses": labels(Status),
            "may_start": _acting_organisations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    organisations = _acting_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = PartnershipForm(posted_data(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.create_partnership(
                by=request.user,
                lead=form.cleaned_data["lead"],
                name=form.cleaned_data["name"],
                problem_statement=form.cleaned_data["problem_statement"],
                themes=form.cleaned_data["themes"],
                horizon=form.cleaned_data["horizon"],
                visibility=form.cleaned_data["visibility"],
                places=form.cleaned_data["places"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partnership was started."))
            return redirect(partnership)
    return render(request, "partnerships/create.html", {"form": form})


def _members(partnership: Partnership) -> list[dict[str, Any]]:
    members = (
        partnership.members.exclude(status__in=[MemberStatus.DECLINED])
        .select_related("organisation")
        .order_by("joined_at", "id")
    )
    return [{"member": m, "late": services.is_late(m)} for m in members]


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    acting = acting_organisation_ids(request.user)
    return {
        "partnership": partnership,
        "may_manage": can(request.user, "manage", partnership),
        "may_contribute": can(request.user, "contribute", partnership),
        "acting": acting,
        "statuses": labels(Status),
        **extra,
    }


@require_safe
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    members = _members(partnership)
    steps = checklist.steps_for(partnership)
    waiting = services.unconfirmed(partnership, StatementKind.PROBLEM)
    context = _context(
        request,
        partnership,
        members=members,
        steps_done=sum(s.done for s in steps),
        steps_total=len(steps),
        current_step=next((s for s in steps if not s.done), None),
        waiting=waiting,
        moves=lifecycle.next_moves(partnership, lifecycle.Known(steps=steps, waiting=waiting)),
        places=list(partnership.places.all()),
        groups_reached=services.groups_reached(partnership),
        resident_groups=labels(ResidentGroup),
        themes=labels(Theme),
        sectors=labels(Sector),
        form_name=advisor.rule_book().forms[partnership.form].name
        if partnership.form in advisor.rule_book().forms
        else partnership.form,
    )
    context["find_partners_url"] = _find_partners_url(partnership, members, context["places"])
    context["invitations"] = [
        m["member"]
        for m in members
        if m["member"].status == MemberStatus.INVITED
        and m["member"].organisation_id in context["acting"]
    ]
    return render(request, "partnerships/detail.html", context)


def _find_partners_url(partnership: Partnership, members: list[dict[str, Any]], places: Any) -> str:
    """ "Find partners" asked with the partnership's problem, place and the sectors
    already at the table, so that the ranking favours the sectors it lacks."""
    query: dict[str, Any] = {
        "text": partnership.problem_statement[:2000],
        "present_sectors": sorted(
            {
                row["member"].organisation.sector
                for row in members
                if row["member"].status == MemberStatus.ACTIVE
            }
        ),
    }
    place = next(iter(places), None)
    if place is not None:
        query["place_id"] = place.pk
        query["place"] = place.name
    return f"{reverse('directory:find_partners')}?{urlencode(query, doseq=True)}"


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "manage", pk=pk)
    form = PartnershipEditForm(
        posted_data(request), instance=partnership, initial={"version": partnership.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in services.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        try:
            with transaction.atomic():  # the edits and the place together, or neither
                services.update_partnership(
                    partnership=Partnership.objects.get(pk=pk),
                    data=data,
                    by=request.user,
                    version=form.cleaned_data["version"],
                )
                # Only when asked: the form shows one place, a partnership may have several.
                if "place" in form.changed_data:
                    services.change_place(
                        partnership=partnership,
                        place=form.cleaned_data["new_place"],
                        by=request.user,
                    )
        except EditConflict:
            form.add_error(
                None, _("Someone else saved this partnership while you were editing it.")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect(partnership)
    return render(request, "partnerships/edit.html", _context(request, partnership, form=form))


@login_required
@require_POST
def partnership_status(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "change_status", pk=pk)
    to = request.POST.get("to", "")
    if to not in Status.values:
        messages.error(request, _("Choose a status."))
        return redirect(partnership)
    try:
        services.change_status(partnership=partnership, to=to, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The partnership is now “%(status)s”.") % {"status": Status(to).label}
        )
    return redirect(partnership)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_members(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    form = InviteOrganisationForm(posted_data(request))
    if request.method == "POST":
        require(request.user, "invite", partnership)
        if form.is_valid():
            organisation = get_object_or_404(Organisation, pk=form.cleaned_data["organisation"])
            door = None
            if form.cleaned_data["entry_door"]:
                door = get_object_or_404(
                    EntryDoor, pk=form.cleaned_data["entry_door"], organisation=organisation
                )
            try:
                services.invite_organisation(
                    partnership=partnership,
                    organisation=organisation,
                    role=form.cleaned_data["role"],
                    by=request.user,
                    entry_door=door,
                    message=form.cleaned_data["message"],
                    contact_email=form.cleaned_data["contact_email"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(name)s was invited.") % {"name": organisation.name})
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = " ".join(errors)
                messages.error(request, f"{label}: {text}" if label else text)
        return redirect("partnerships:members", pk=partnership.pk)
    search = OrganisationSearchForm(request.GET or None)
    found: list[Organisation] = []
    if can(request.user, "invite", partnership) and search.is_valid() and search.cleaned_data["q"]:
        present = partnership.members.filter(
            status__in=[MemberStatus.ACTIVE, MemberStatus.INVITED]
        ).values("organisation_id")
        found = list(
            Organisation.objects.filter(name__istartswith=search.cleaned_data["q"])
            .exclude(pk__in=present)
            .prefetch_related("entry_doors")
            .order_by("name", "id")[:20]
        )
    return render(
        request,
        "partnerships/members.html",
        _context(
            request,
            partnership,
            members=_members(partnership),
            search=search,
            found=found,
            form=form,
            roles=[c for c in MemberRole.choices if c[0] != MemberRole.LEAD],
            sectors=labels(Sector),
        ),
    )


def _member(request: HttpRequest, pk: int, member_pk: int, action: str) -> PartnershipMember:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    member = get_object_or_404(
        partnership.members.select_related("organisation", "partnership"), pk=member_pk
    )
    require(request.user, action, member)
    return member


@login_required
@require_POST
def member_respond(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member(request, pk, member_pk, "respond")
    accept = request.POST.get("answer") == "accept"
    try:
        services.respond(member=member, accept=accept, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s joined the partnership.") % {"name": member.organisation.name}
            if accept
            else _("The invitation was declined."),
        )
    # Answered from the front page or the organisation's page: back there
    # (a declined private partnership is no longer visible to the one declining).
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("partnerships:partnership", pk=pk)


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = _member(request, pk, member_pk, "leave")
    try:
        services.leave(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s left the partnership.") % {"name": member.organisation.name}
        )
    return redirect("partnerships:partnership", pk=pk)


@login_required
@require_http_methods(["GET"])
def partnership_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    return render(
        request,
        "partnerships/checklist.html",
        _context(
            request,
            partnership,
            steps=(steps := checklist.steps_for(partnership)),
            summary=checklist.summary(steps),
            form=StepForm(),
        ),
    )


@login_required
@require_POST
def step_complete(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "complete_steps", pk=pk)
    form = StepForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complete_step(
                partnership=partnership,
                number=number,
                by=request.user,
                note=form.cleaned_data["note"],
                link=form.cleaned_data["link"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Step %(number)s is done.") % {"number": number})
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(reverse("partnerships:checklist", args=[pk]) + f"#step-{number}")


@login_required
@require_POST
def step_reopen(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "complete_steps", pk=pk)
    services.reopen_step(partnership=partnership, number=number, by=request.user)
    messages.success(request, _("Step %(number)s was reopened.") % {"number": number})
    return redirect(reverse("partnerships:checklist", args=[pk]) + f"#step-{number}")


def _statement_context(
    partnership: Partnership, kind: str, members: list[Organisation]
) -> dict[str, Any]:
    statement = services.current_statement(partnership, kind)
    answers = (
        list(statement.confirmations.select_related("organisation", "by").order_by("at"))
        if statement
        else []
    )
    agreed = {a.organisation_id for a in answers if a.agrees}
    return {
        "kind": kind,
        "label": StatementKind(kind).label,
        "statement": statement,
        "answers": answers,
        "waiting": [o for o in members if o.pk not in agreed],
    }


@login_required
@require_safe
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    members = [
        m.organisation
        for m in partnership.members.filter(status=MemberStatus.ACTIVE)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    return render(
        request,
        "partnerships/consensus.html",
        _context(
            request,
            partnership,
            parts=[_statement_context(partnership, k, members) for k in StatementKind.values],
            statement_form=StatementForm(),
            answer_form=AnswerForm(),
            answering=_acting_organisations(request.user).filter(
                partnership_memberships__partnership=partnership,
                partnership_memberships__status=MemberStatus.ACTIVE,
            ),
        ),
    )


@login_required
@require_POST
def statement_revise(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "edit_statements", pk=pk)
    if kind not in StatementKind.values:
        raise Http404
    form = StatementForm(request.POST)
    if form.is_valid():
        services.revise_statement(
            partnership=partnership, kind=kind, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(
            request, _("Saved as a new version. Every member is asked to confirm it again.")
        )
    else:
        messages.error(request, _("Write the text."))
    return redirect(reverse("partnerships:consensus", args=[pk]) + f"#{kind}")


@login_required
@require_POST
def statement_answer(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, "contribute", pk=pk)
    if kind not in StatementKind.values:
        raise Http404
    form = AnswerForm(request.POST)
    organisation = (
        _acting_organisations(request.user).filter(pk=request.POST.get("organisation") or 0).first()
    )
    if organisation is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.answer_statement(
                partnership=partnership,
                kind=kind,
                organisation=organisation,
                agrees=form.cleaned_data["agrees"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your organisation's answer was recorded."))
    else:
        messages.error(request, _("Choose whether your organisation agrees."))
    return redirect(reverse("partnerships:consensus", args=[pk]) + f"#{kind}")


@login_required
@require_http_methods(["GET", "POST"])
def residents(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    form = InvolvementForm(posted_data(request))
    if request.method == "POST":
        require(request.user, "contribute", partnership)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_involvement(
                    partnership=partnership,
                    by=request.user,
                    kind=data["kind"],
                    held_on=data["held_on"],
                    residents_reached=data["residents_reached"],
                    groups=data["groups"],
                    summary=data["summary"],
                    outcomes=data["outcomes"].splitlines(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The resident involvement was recorded."))
                return redirect("partnerships:residents", pk=pk)
    involvements = partnership.involvements.prefetch_related("outcomes")
    return render(
        request,
        "partnerships/residents.html",
        _context(
            request,
            partnership,
            form=form,
            involvements=involvements,
            total=sum(i.residents_reached for i in involvements),
            resident_groups=labels(ResidentGroup),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandates(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    organisations = _acting_organisations(request.user).filter(
        partnership_memberships__partnership=partnership,
        partnership_memberships__status=MemberStatus.ACTIVE,
    )
    form = MandateForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        organisations=organisations,
    )
    if request.method == "POST":
        require(request.user, "contribute", partnership)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_mandate(
                    partnership=partnership,
                    organisation=data["organisation"],
                    by=request.user,
                    body=data["body"],
                    decided_on=data["decided_on"],
                    resources=data["resources"],
                    document=data["document"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The mandate was recorded."))
                return redirect("partnerships:mandates", pk=pk)
    return render(
        request,
        "partnerships/mandates.html",
        _context(
            request,
            partnership,
            form=form,
            may_record=organisations.exists(),
            mandates=partnership.mandates.select_related("organisation"),
        ),
    )


@require_safe
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_for(request.user, Partnership, pk=pk)
    # Entries about agreements show only to those who may read them.
    entries = readable_entries(request.user, partnership, list(history_for(partnership)[:500]))
    entries.reverse()  # oldest first: the story of the partnership in order
    # People's names are for those logged in, not for every visitor of a
    # public partnership.
    show_people = request.user.is_authenticated
    events = [(entry, told.sentence(entry, show_people=show_people)) for entry in entries]
    return render(
        request, "partnerships/timeline.html", _context(request, partnership, events=events)
    )


@login_required
@require_POST
def choose_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The form chosen with the advisor; it also completes step 7 of the checklist."""
    partnership = get_object_for(request.user, Partnership, "manage", pk=pk)
    forms_ = advisor.rule_book().forms
    code = request.POST.get("form", "")
    if code not in forms_:
        messages.error(request, _("Choose one of the forms."))
        return redirect(reverse("partnerships:advisor") + f"?partnership={pk}")
    services.choose_form(partnership=partnership, form=code, by=request.user)
    messages.success(
        request,
        _("%(form)s was chosen as the form of collaboration.") % {"form": forms_[code].name},
    )
    return redirect(partnership)
