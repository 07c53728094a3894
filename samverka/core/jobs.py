# SPDX-License-Identifier: AGPL-3.0-or-later
"""Background jobs that lost their worker, and the files jobs and requests
leave behind.

A job's heartbeat is written whenever it reports progress (every batch of an
import: a few seconds apart). Not from a timer thread: an import forks a
second process, which is only safe while the worker has one thread. A job
still "running" with a heartbeat older than SAMVERKA_JOB_STALE_SECONDS lost
its worker (killed, out of memory, the machine restarted); its transaction
died with it, so nothing was written, and it is marked failed so the user can
try again. On SQLite the commit phase's progress only becomes visible at its
end, so the threshold must exceed the longest commit there.
"""

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverka.core.models import Job

logger = logging.getLogger(__name__)

UPLOADS = "jobs"  # Job.upload's folder in the storage


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "SAMVERKA_JOB_STALE_SECONDS", 900)))


def stopped(jobs: QuerySet[Job], *, now: datetime | None = None) -> QuerySet[Job]:
    """The running jobs among these whose worker stopped."""
    cutoff = (now or timezone.now()) - stale_after()
    return jobs.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def fail_stopped(jobs: QuerySet[Job] | None = None, *, now: datetime | None = None) -> int:
    """Mark the jobs whose worker stopped as failed; how many there were."""
    now = now or timezone.now()
    count = 0
    for pk in stopped(jobs if jobs is not None else Job.objects.all(), now=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Checked again under the lock: the worker may have finished meanwhile.
            job = stopped(Job.objects.select_for_update().filter(pk=pk), now=now).first()
            if job is None:
                continue
            with translation.override(job.options.get("language") or settings.LANGUAGE_CODE):
                job.message = _(
                    "The worker stopped before this job finished; nothing was written. Try again."
                )
            job.status = Job.Status.FAILED
            job.finished_at = now
            # What was under way: the import may commit its preview again.
            job.options = {**job.options, "interrupted": job.options.get("stage", "")}
            job.save(update_fields=["status", "finished_at", "message", "options"])
            count += 1
    return count


def checked(job: Job) -> Job:
    """The job, marked failed first if its worker stopped (for pages that show it)."""
    if job.status == Job.Status.RUNNING and fail_stopped(Job.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    return job


def expire_uploads(*, now: datetime | None = None) -> dict[str, int]:
    """Delete the files jobs no longer need and requests left behind:

    - uploads of finished jobs older than SAMVERKA_UPLOAD_RETENTION_HOURS (a
      preview never committed; a committed import deletes its own at once),
      and files in the uploads folder no job refers to;
    - Django's temporary upload files older than
      SAMVERKA_UPLOAD_TEMP_MAX_AGE_HOURS in FILE_UPLOAD_TEMP_DIR (a request
      interrupted mid-upload leaves one). Only that folder, and only when it
      is set: never another program's files in the system's /tmp.

    Jobs whose worker stopped are marked failed first."""
    now = now or timezone.now()
    counts = {"stopped_jobs": fail_stopped(now=now), "uploads": 0, "temporary_files": 0}
    hours = int(getattr(settings, "SAMVERKA_UPLOAD_RETENTION_HOURS", 24))
    cutoff = now - timedelta(hours=hours)
    old = (
        Job.objects.exclude(upload="")
        .filter(status__in=[Job.Status.DONE, Job.Status.FAILED])
        .filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff))
    )
    for pk in old.values_list("pk", flat=True):
        with transaction.atomic():
            # Checked again under the lock: a commit queued meanwhile keeps its file.
            job = old.select_for_update().filter(pk=pk).first()
            if job is None:
                continue
            with translation.override(job.options.get("language") or settings.LANGUAGE_CODE):
                job.message = _(
                    "The file was deleted %(hours)s hours after it was uploaded, without an "
                    "import. Upload it again to import it."
                ) % {"hours": hours}
            job.options = {**job.options, "expired": True}
            name, job.upload = job.upload.name, ""
            job.save(update_fields=["upload", "message", "options"])
        default_storage.delete(name)  # once the job no longer refers to it
        counts["uploads"] += 1
    counts["uploads"] += _expire_orphans(cutoff)
    counts["temporary_files"] = _expire_temporary(now)
    return counts


def _expire_orphans(cutoff: datetime) -> int:
    """Uploads no job refers to (the job's transaction rolled back after the
    file was saved, or the job was deleted)."""
    if not default_storage.exists(UPLOADS):
        return 0
    known = set(Job.objects.exclude(upload="").values_list("upload", flat=True))
    removed = 0
    folders = [UPLOADS]
    while folders:
        folder = folders.pop()
        subfolders, files = default_storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed


def _expire_temporary(now: datetime) -> int:
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if not folder or not Path(folder).is_dir():
        return 0
    hours = int(getattr(settings, "SAMVERKA_UPLOAD_TEMP_MAX_AGE_HOURS", 6))
    cutoff = now.timestamp() - hours * 3600
    removed = 0
    # Django names them tmpXXXXXXXX.upload.<ext> (TemporaryUploadedFile).
    for path in Path(folder).glob("tmp*.upload*"):
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # its request finished meanwhile
            continue
    if removed:
        logger.info("Deleted %s temporary upload files older than %s hours", removed, hours)
    return removed
