# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import and export of the directory (pages). The work is in directory.transfer.

Importing is for platform administrators (the national directory
maintainers); exporting for anyone logged in, since the directory is public.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samverka.core import jobs as core_jobs
from samverka.core.forms import posted_data
from samverka.core.models import Job
from samverka.core.permissions import can, get_object_for, is_platform_admin
from samverka.directory.models import Organisation
from samverka.directory.transfer import exporting, jobs
from samverka.directory.transfer.columns import COLUMN_LABELS
from samverka.directory.transfer.forms import ExportForm, ImportForm


def _require_importer(request: HttpRequest) -> None:
    if not is_platform_admin(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(posted_data(request), request.FILES or None)
    if form.is_valid():
        try:
            job = jobs.start_import(
                upload=form.cleaned_data["file"],
                by=request.user,
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("directory:import_job", pk=job.pk)
    recent = Job.objects.filter(kind=jobs.KIND, created_by=request.user)[:10]
    return render(
        request,
        "directory/import.html",
        {"form": form, "recent": recent, "max_mb": jobs.max_bytes() // 1_048_576},
    )


def _job(request: HttpRequest, pk: int, action: str = "view") -> Job:
    # Jobs have no permission rule: only platform administrators reach them.
    return get_object_for(request.user, Job.objects.filter(kind=jobs.KIND), action, pk=pk)


@login_required
@require_safe
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = core_jobs.checked(_job(request, pk))
    result = job.result or {}
    errors = [
        {**error, "label": COLUMN_LABELS.get(error["column"], error["column"])}
        for error in result.get("errors", [])
    ]
    stage = job.options.get("stage", "preview")
    if stage == "commit" and job.finished:  # it stopped: the result is still the preview's
        stage = "preview"
    context = {
        "job": job,
        "result": result,
        "errors": errors,
        "stage": stage,
        "can_commit": jobs.can_commit(job),
        "more_errors": result.get("error_count", 0) - len(errors),
        **jobs.indexing(job),
    }
    if request.htmx and not job.finished:
        return render(request, "directory/import_job.html#progress", context)
    if request.htmx and context["not_yet_searchable"] and request.htmx.target == "import-indexing":
        return render(request, "directory/import_job.html#indexing", context)
    if request.htmx:
        # Finished: reload the whole page so the preview or result shows.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "directory/import_job.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk, "commit")
    try:
        jobs.commit_import(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("directory:import_job", pk=job.pk)


@login_required
@require_safe
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    if request.GET.get("format") == "xlsx":
        return FileResponse(
            exporting.xlsx_file(iter(exporting.template_rows())),
            as_attachment=True,
            filename="samverka-import-template.xlsx",
        )
    response = HttpResponse(exporting.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="samverka-import-template.csv"'
    return response


def may_export(user: object) -> bool:
    return can(user, "export", Organisation())


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    if not may_export(request.user):
        raise PermissionDenied
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "directory/export.html", {"form": form}, status=400)
    if "format" not in request.GET:
        return render(request, "directory/export.html", {"form": form})
    return export_response(
        form.apply(Organisation.objects.all()),
        format=form.cleaned_data["format"] or "csv",
        semicolon=form.cleaned_data["delimiter"] == "semicolon",
    )


def export_response(queryset: object, *, format: str, semicolon: bool) -> HttpResponse:
    stamp = timezone.now().strftime("%Y-%m-%d")
    if format == "xlsx":
        return FileResponse(
            exporting.xlsx_file(exporting.rows(queryset)),  # type: ignore[arg-type]
            as_attachment=True,
            filename=f"samverka-organisations-{stamp}.xlsx",
        )
    response = StreamingHttpResponse(
        exporting.csv_stream(
            exporting.rows(queryset),  # type: ignore[arg-type]
            delimiter=";" if semicolon else ",",
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="samverka-organisations-{stamp}.csv"'
    return response
