# SPDX-License-Identifier: AGPL-3.0-or-later
"""An import as a background job: upload → preview → commit.

Pages and the API both call these; the views check who may (platform
administrators only: see docs/user-guide.md, "Import").
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverka.core.audit import log_action
from samverka.core.models import Job
from samverka.directory.search import index
from samverka.directory.transfer.importing import Outcome, run_import

KIND = "directory.import"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "SAMVERKA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_upload(upload: UploadedFile | None) -> UploadedFile:
    if upload is None:
        raise ValidationError(_("Choose a CSV or XLSX file."), code="required")
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    return upload


@transaction.atomic
def start_import(*, upload: UploadedFile | None, by: Any, language: str = "") -> Job:
    """Store the file and queue its preview (a dry run that changes nothing)."""
    from samverka.directory.tasks import preview_import

    upload = check_upload(upload)
    job = Job(
        kind=KIND,
        created_by=by,
        options={
            "filename": (upload.name or "")[:200],
            "language": language or translation.get_language() or settings.LANGUAGE_CODE,
            "stage": "preview",
        },
        message=_("Waiting to check the file…"),
    )
    job.upload.save(upload.name or "import", upload, save=False)
    job.save()
    transaction.on_commit(lambda: preview_import.enqueue(job_id=job.pk))
    return job


def can_commit(job: Job) -> bool:
    result = job.result or {}
    stage = job.options.get("stage")
    # A commit whose worker stopped wrote nothing (core.jobs.fail_stopped) and
    # still has its preview's result: it may be committed again.
    previewed = job.status == Job.Status.DONE and stage == "preview"
    interrupted = (
        job.status == Job.Status.FAILED
        and stage == "commit"
        and job.options.get("interrupted") == "commit"
    )
    return (
        (previewed or interrupted)
        and bool(job.upload)  # gone once expired (core.jobs.expire_uploads)
        and result.get("error_count") == 0
        and (result.get("created", 0) + result.get("updated", 0)) > 0
    )


@transaction.atomic
def commit_import(*, job: Job, by: Any) -> Job:
    """Queue the real import of a previewed file. It runs the same checks again
    (the directory may have changed since) and changes nothing if any fails."""
    from samverka.directory.tasks import commit_import as commit_task

    job = Job.objects.select_for_update().get(pk=job.pk)
    if not can_commit(job):
        raise ValidationError(_("This import cannot be committed."), code="state")
    options = {k: v for k, v in job.options.items() if k != "interrupted"}
    job.options = {**options, "stage": "commit", "committed_by": by.pk if by else None}
    job.status = Job.Status.QUEUED
    job.done = 0
    job.message = _("Waiting to import…")
    job.finished_at = None
    job.save(update_fields=["options", "status", "done", "message", "finished_at"])
    transaction.on_commit(lambda: commit_task.enqueue(job_id=job.pk))
    return job


class _ProgressWriter:
    """Writes Job.done/total every batch. Inside the commit's transaction the
    row would stay invisible until the end, so on PostgreSQL progress goes
    through a second, autocommitting connection. (SQLite allows one writer
    at a time: there the commit phase shows progress only at the end.)"""

    def __init__(self, job: Job, *, in_transaction: bool):
        self.job = job
        self.side = None
        if in_transaction and connection.vendor == "postgresql":
            self.side = connections.create_connection("default")

    def __call__(self, done: int, total: int) -> None:
        # Also the job's heartbeat: see core.jobs.
        now = timezone.now()
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(
                    'UPDATE "core_job" SET "done" = %s, "total" = %s, "heartbeat_at" = %s '
                    'WHERE "id" = %s',
                    [done, total, now, self.job.pk],
                )
        else:
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total, heartbeat_at=now)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def indexing(job: Job) -> dict[str, int]:
    """How far the search index is behind a committed import: the changed
    organisations, and how many of them the index task has still to write
    (counted over the whole list, which another import may share)."""
    result = job.result or {}
    if job.options.get("stage") != "committed" or not job.finished:
        return {"changed": 0, "not_yet_searchable": 0, "searchable": 0}
    changed = result.get("created", 0) + result.get("updated", 0)
    waiting = min(index.pending_count(), changed) if changed else 0
    return {"changed": changed, "not_yet_searchable": waiting, "searchable": changed - waiting}


def run_job(job_id: int) -> Outcome | None:
    """The task body: preview or commit, by the job's stage."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status != Job.Status.QUEUED:
        return None
    write = job.options.get("stage") == "commit"
    job.status = Job.Status.RUNNING
    job.started_at = job.started_at or timezone.now()
    job.heartbeat_at = timezone.now()
    with translation.override(job.options.get("language") or settings.LANGUAGE_CODE):
        job.message = _("Importing…") if write else _("Checking the file…")
        job.save(update_fields=["status", "started_at", "heartbeat_at", "message"])
        progress = _ProgressWriter(job, in_transaction=write)
        try:
            with job.upload.open("rb") as file:
                outcome = run_import(
                    file,
                    name=job.options.get("filename", ""),
                    write=write,
                    by=job.created_by,
                    job_id=job.pk,
                    progress=progress,
                )
        except Exception:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                finished_at=timezone.now(),
                message=_("The import stopped on an unexpected error; nothing was changed."),
            )
            raise
        finally:
            progress.close()
        result = outcome.as_dict()
        if write:
            stage = "committed" if outcome.written else "rejected"
            message = (
                _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % result
                if outcome.written
                else _("Nothing was imported: the file has errors.")
            )
        else:
            stage = "preview"
            message = _("Checked %(rows)s rows.") % result
        job.refresh_from_db(fields=["options"])
        job.options = {**job.options, "stage": stage}
        job.result = result
        job.status = Job.Status.DONE if not write or outcome.written else Job.Status.FAILED
        job.done = job.total = outcome.rows
        job.message = message
        job.finished_at = timezone.now()
        job.save(
            update_fields=["options", "result", "status", "done", "total", "message", "finished_at"]
        )
    if write and outcome.written:
        log_action(
            job,
            "organisations.imported",
            user=job.created_by,
            data={k: result[k] for k in ("rows", "created", "updated", "unchanged")},
        )
    if write:
        # The rows are in the directory now (or rejected): keep no copy of the file.
        job.upload.delete(save=False)
        Job.objects.filter(pk=job.pk).update(upload="")
    return outcome
