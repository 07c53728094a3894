# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samverka.agreements import diff, documents, services
from samverka.agreements.catalogue import in_language
from samverka.agreements.forms import (
    ApproveForm,
    ContributionForm,
    CreateForm,
    PrincipleForm,
    RowFormSet,
    TerminateForm,
    TextForm,
    VersionForm,
)
from samverka.agreements.models import (
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementVersion,
    Approval,
)
from samverka.agreements.permissions import approving_organisations
from samverka.agreements.present import presented
from samverka.agreements.progress import version_progress
from samverka.core.choices import labels
from samverka.core.forms import posted_data
from samverka.core.permissions import can, get_object_for, visible_to
from samverka.directory.models import Organisation
from samverka.partnerships.models import Horizon, Partnership

COUNTRY_LANGUAGE = {"SE": "sv", "NO": "nb", "DK": "da"}


def _agreement(request: HttpRequest, pk: int, action: str = "view") -> Agreement:
    queryset = Agreement.objects.select_related("partnership", "template")
    return get_object_for(request.user, queryset, action, pk=pk)


def _current(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.select_related("created_by").get(number=agreement.version)


def _context(request: HttpRequest, agreement: Agreement, **extra: Any) -> dict[str, Any]:
    return {
        "agreement": agreement,
        "partnership": agreement.partnership,
        "template_name": in_language(agreement.template.name),
        # Platform administrators pass every rule; an agreement in force is fixed anyway.
        "may_edit": agreement.editable and can(request.user, "edit", agreement),
        "may_manage": can(request.user, "manage", agreement),
        "statuses": labels(AgreementStatus),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def partnership_agreements(request: HttpRequest, partnership_pk: int) -> HttpResponse:
    """A partnership's agreements, and the form to draft a new one from a template."""
    action = "draft_agreement" if request.method == "POST" else "view"
    partnership = get_object_for(request.user, Partnership, action, pk=partnership_pk)
    may_draft = can(request.user, "draft_agreement", partnership)
    # The template of the chosen form first; a pilot without a chosen form gets
    # the pilot agreement, with its mandatory "after the pilot".
    form_code = partnership.form or ("pilot" if partnership.horizon == Horizon.PILOT else "")
    templates = AgreementTemplate.objects.filter(active=True).order_by(
        Case(
            When(form=form_code, then=Value(0)),
            When(country=partnership.country, then=Value(1)),
            When(country="", then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        "code",
    )
    suggested = templates.filter(form=form_code, country__in=[partnership.country, ""]).first()
    form = CreateForm(
        posted_data(request),
        templates=templates,
        initial={
            "template": suggested,
            "language": COUNTRY_LANGUAGE.get(partnership.country, get_language()),
        },
    )
    if request.method == "POST" and form.is_valid():
        agreement = services.create_agreement(
            partnership=partnership,
            template=form.cleaned_data["template"],
            language=form.cleaned_data["language"],
            by=request.user,
        )
        messages.success(request, _("The agreement was drafted from the partnership."))
        return redirect("agreements:edit", agreement.pk)
    agreements = list(visible_to(request.user, partnership.agreements.select_related("template")))
    return render(
        request,
        "agreements/list.html",
        {
            "partnership": partnership,
            "agreements": agreements,
            "form": form if may_draft else None,
            "may_manage": can(request.user, "manage", partnership),
            "statuses": labels(AgreementStatus),
        },
    )


def _version_page(
    request: HttpRequest, agreement: Agreement, version: AgreementVersion
) -> HttpResponse:
    content = version.content
    approvals = list(Approval.objects.filter(version=version).select_related("by").order_by("at"))
    approved = {approval.organisation_id: approval for approval in approvals}
    parties = [
        {**party, "approval": approved.get(party["organisation"])}
        for party in content.get("parties", [])
    ]
    current = version.number == agreement.version
    approve_form = None
    if current and can(request.user, "approve", agreement):
        mine = approving_organisations(request.user, agreement)
        choices = [
            (party["organisation"], party["name"])
            for party in parties
            if party["organisation"] in mine and party["approval"] is None
        ]
        if choices:
            approve_form = ApproveForm(
                organisations=choices,
                initial={"version": version.number, "content_hash": version.content_hash},
            )
    findings = services.findings_for(agreement, content) if current else []
    return render(
        request,
        "agreements/detail.html",
        _context(
            request,
            agreement,
            version=version,
            is_current=current,
            doc=presented(content, agreement.template.sections),
            parties=parties,
            findings=findings,
            has_errors=any(f.level == "error" for f in findings),
            approve_form=approve_form,
            terminate_form=TerminateForm() if current else None,
            reminders=services.upcoming_dates(agreement, timezone.localdate()) if current else [],
        ),
    )


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return _version_page(request, agreement, _current(agreement))


@require_safe
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    # Once approved, earlier drafts stay with the partnership's members.
    versions = agreement.versions.select_related("created_by")
    version = get_object_for(request.user, versions, number=number)
    return _version_page(request, agreement, version)


def _conflict(
    agreement: Agreement, error: services.AgreementConflict, changes: dict[str, Any]
) -> dict[str, Any]:
    """Theirs and yours side by side, for the blocks where they differ."""
    theirs = error.current
    yours = {**theirs.content, **changes}
    return {
        "theirs": theirs,
        "changes": diff.compare(theirs.content, yours, agreement.template.sections),
    }


def _save(
    request: HttpRequest, agreement: Agreement, changes: dict[str, Any], meta: VersionForm
) -> tuple[AgreementVersion | None, dict[str, Any] | None]:
    """Save, or explain why not: (saved version, conflict). Field errors go on `meta`."""
    try:
        version = services.save_agreement(
            agreement=agreement,
            changes=changes,
            by=request.user,
            base_version=meta.cleaned_data["version"],
            base_hash=meta.cleaned_data["content_hash"] or None,
            note=meta.cleaned_data["note"],
        )
    except services.AgreementConflict as error:
        return None, _conflict(agreement, error, changes)
    except ValidationError as error:
        meta.add_error(None, error if not hasattr(error, "error_dict") else list(error.messages))
        return None, None
    return version, None


def _saved_message(version: AgreementVersion, as_new_version: str) -> str:
    if not version.sent_for_review:
        return _("The working draft was saved.")
    return as_new_version


def _rebased(data: Any, prefix: str, theirs: AgreementVersion) -> Any:
    """The posted data with the version set to the newest one: saving again after
    a conflict deliberately puts this text on top."""
    data = data.copy()
    data[f"{prefix}version"] = str(theirs.number)
    data[f"{prefix}content_hash"] = theirs.content_hash
    return data


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "edit")
    current = _current(agreement)
    form = TextForm(
        posted_data(request),
        agreement=agreement,
        initial=TextForm.initial_from(current.content, current.number, current.content_hash),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes(current.content)
        saved, conflict = _save(request, agreement, changes, form)
        if saved:
            message = _saved_message(saved, _("The agreement was saved as a new version."))
            messages.success(request, message)
            return redirect(agreement)
        if conflict:
            form = TextForm(_rebased(request.POST, "", conflict["theirs"]), agreement=agreement)
            form.is_valid()
    content = current.content
    if form.is_bound and form.is_valid():
        content = {**content, **form.changes(content)}
    findings = services.findings_for(agreement, content)
    return render(
        request,
        "agreements/edit.html",
        _context(request, agreement, form=form, conflict=conflict, findings=findings),
    )


@login_required
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The checks for the text being edited, before it is saved (htmx)."""
    agreement = _agreement(request, pk, "edit")
    current = _current(agreement)
    form = TextForm(request.POST, agreement=agreement)
    content = current.content
    if form.is_valid():
        content = {**content, **form.changes(content)}
    return render(
        request,
        "agreements/_findings.html",
        {"findings": services.findings_for(agreement, content), "live": True},
    )


def _rows_page(
    request: HttpRequest,
    pk: int,
    *,
    key: str,
    form_class: Any,
    template: str,
    initial_rows: Any,
    form_kwargs: Any,
    saved_message: str,
) -> HttpResponse:
    """Contributions and principles: a formset of rows, saved as one new version."""
    agreement = _agreement(request, pk, "edit")
    current = _current(agreement)
    # One empty row: more rows are added one save at a time, and a phone shows
    # each row's fields stacked, so three empty rows were a long scroll.
    formset_class = formset_factory(
        form_class, formset=RowFormSet, extra=1, can_delete=True, can_delete_extra=False
    )
    data = posted_data(request)
    meta = VersionForm(
        data,
        prefix="meta",
        initial={"version": current.number, "content_hash": current.content_hash},
    )
    formset = formset_class(
        data,
        prefix="rows",
        initial=initial_rows(current.content),
        form_kwargs=form_kwargs(current.content),
    )
    conflict = None
    if request.method == "POST" and meta.is_valid() and formset.is_valid():
        # Empty extra rows have no cleaned data; unchanged existing rows do.
        rows = [
            form.row()
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        saved, conflict = _save(request, agreement, {key: rows}, meta)
        if saved:
            messages.success(request, _saved_message(saved, saved_message))
            return redirect(agreement)
        if conflict:
            theirs = conflict["theirs"]
            meta = VersionForm(_rebased(request.POST, "meta-", theirs), prefix="meta")
            meta.is_valid()
            formset = formset_class(
                request.POST, prefix="rows", form_kwargs=form_kwargs(theirs.content)
            )
            formset.is_valid()
    return render(
        request,
        template,
        _context(
            request,
            agreement,
            meta=meta,
            formset=formset,
            conflict=conflict,
            findings=services.findings_for(agreement, current.content),
        ),
    )


def _party_choices(content: dict[str, Any]) -> dict[str, Any]:
    return {"parties": [(p["organisation"], p["name"]) for p in content.get("parties", [])]}


@login_required
@require_http_methods(["GET", "POST"])
def contributions(request: HttpRequest, pk: int) -> HttpResponse:
    return _rows_page(
        request,
        pk,
        key="contributions",
        form_class=ContributionForm,
        template="agreements/contributions.html",
        initial_rows=lambda content: [
            {**row, "amount": row.get("amount") or None} for row in content.get("contributions", [])
        ],
        form_kwargs=_party_choices,
        saved_message=_("The contributions were saved as a new version."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def principles(request: HttpRequest, pk: int) -> HttpResponse:
    return _rows_page(
        request,
        pk,
        key="principles",
        form_class=PrincipleForm,
        template="agreements/principles.html",
        initial_rows=lambda content: content.get("principles", []),
        form_kwargs=lambda content: {},
        saved_message=_("The principles were saved as a new version."),
    )


@require_safe
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    # Only the versions the user may read: drafts of an approved agreement stay
    # with the partnership's members, and so does a comparison with them.
    visible = visible_to(request.user, agreement.versions.all())
    rows = list(visible.select_related("created_by").defer("content"))
    numbers = [row.number for row in rows]
    comparison = None
    try:
        a = int(request.GET.get("a", ""))
        b = int(request.GET.get("b", ""))
    except ValueError:
        a = b = None
    if a is not None and (a not in numbers or b not in numbers):
        raise Http404
    if a is not None:
        pair = {v.number: v for v in visible.filter(number__in=[a, b])}
        comparison = {
            "a": pair[a],
            "b": pair[b],
            "changes": diff.compare(pair[a].content, pair[b].content, agreement.template.sections),
        }
    elif len(numbers) >= 2:
        a, b = numbers[1], numbers[0]
    progress = version_progress(agreement, visible)
    for row in rows:
        row.progress = progress.get(row.number, "")
    return render(
        request,
        "agreements/versions.html",
        _context(
            request,
            agreement,
            rows=rows,
            comparison=comparison,
            a=a,
            b=b,
        ),
    )


@require_safe
def document(request: HttpRequest, pk: int, number: int, kind: str) -> HttpResponse:
    agreement = _agreement(request, pk)
    version = agreement.versions.filter(number=number).first()
    if version is None or kind not in ("docx", "pdf") or not can(request.user, "view", version):
        raise Http404
    version.agreement = agreement
    if kind == "pdf":
        content_type = "application/pdf"
    else:
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    # Rendered once per version and what it prints, then served as kept.
    response = HttpResponse(documents.rendered(version, kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(version, kind)}"'
    return response


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "approve")
    choices = [(org, str(org)) for org in approving_organisations(request.user, agreement)]
    form = ApproveForm(request.POST, organisations=choices)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(agreement)
    # The choices are the parties the user acts for, so the organisation exists.
    organisation = Organisation.objects.get(pk=form.cleaned_data["organisation"])
    try:
        services.approve_agreement(
            agreement=agreement,
            organisation=organisation,
            by=request.user,
            version=form.cleaned_data["version"],
            content_hash=form.cleaned_data["content_hash"],
            signatory=form.cleaned_data["signatory"],
        )
    except services.AgreementConflict:
        messages.error(
            request,
            _(
                "The agreement changed after you opened it. Read the new version "
                "before you approve it."
            ),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s approved version %(number)s.")
            % {"name": organisation.name, "number": form.cleaned_data["version"]},
        )
    return redirect(agreement)


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    to = request.POST.get("to", "")
    action = "edit" if to == AgreementStatus.IN_REVIEW else "manage"
    agreement = _agreement(request, pk, action)
    try:
        if to == AgreementStatus.IN_REVIEW:
            services.submit_for_review(agreement=agreement, by=request.user)
        elif to == AgreementStatus.IN_FORCE:
            services.put_in_force(agreement=agreement, by=request.user)
        elif to == AgreementStatus.TERMINATED:
            form = TerminateForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the agreement is terminated."))
            services.terminate_agreement(
                agreement=agreement, by=request.user, reason=form.cleaned_data["reason"]
            )
        else:
            raise ValidationError(_("Choose a status."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The agreement is now “%(status)s”.") % {"status": AgreementStatus(to).label},
        )
    return redirect(reverse("agreements:agreement", args=[agreement.pk]))
