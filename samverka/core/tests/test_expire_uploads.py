# SPDX-License-Identifier: AGPL-3.0-or-later
"""`manage.py expire_uploads` (also a task): uploads of imports never
committed, and temporary upload files of interrupted requests, do not stay
for ever."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from samverka.core.models import Job
from samverka.core.tasks import expire_uploads
from samverka.directory.transfer.jobs import can_commit

PREVIEW = {"rows": 1, "created": 1, "updated": 0, "error_count": 0, "errors": []}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return tmp_path


def previewed(cast, *, hours_ago, status=Job.Status.DONE, stage="preview"):
    job = Job(
        kind="directory.import",
        created_by=cast.platform_admin,
        status=status,
        options={"stage": stage, "language": "en", "filename": "orgs.csv"},
        result=PREVIEW,
    )
    job.upload.save("orgs.csv", ContentFile(b"name;country\n"), save=False)
    job.save()
    then = timezone.now() - timedelta(hours=hours_ago)
    Job.objects.filter(pk=job.pk).update(created_at=then, finished_at=then)
    job.refresh_from_db()
    return job


def aged(path, hours):
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def test_uploads_of_previews_never_committed_are_deleted_after_a_day(cast, media, client):
    old = previewed(cast, hours_ago=25)
    recent = previewed(cast, hours_ago=2)
    queued = previewed(cast, hours_ago=25, status=Job.Status.QUEUED, stage="commit")
    assert can_commit(old)
    old_file = old.upload.name

    out = io.StringIO()
    call_command("expire_uploads", stdout=out)

    assert "uploads deleted: 1" in out.getvalue()
    assert not default_storage.exists(old_file)
    old.refresh_from_db()
    assert not old.upload and not can_commit(old)
    message = (
        "The file was deleted 24 hours after it was uploaded, without an import. "
        "Upload it again to import it."
    )
    assert old.message == message
    client.force_login(cast.platform_admin)
    page = client.get(f"/organisations/import/{old.pk}/").content.decode()
    assert message in page and "Import 1 new" not in page
    for kept in (recent, queued):
        kept.refresh_from_db()
        assert kept.upload and default_storage.exists(kept.upload.name)


def test_the_retention_is_a_setting(cast, media, settings):
    job = previewed(cast, hours_ago=3)
    settings.SAMVERKA_UPLOAD_RETENTION_HOURS = 2
    expire_uploads.call()
    job.refresh_from_db()
    assert not job.upload


def test_uploads_no_job_refers_to_are_deleted_when_old(db, media):
    orphan = default_storage.save("jobs/2026/01/lost.csv", ContentFile(b"x"))
    fresh = default_storage.save("jobs/2026/01/new.csv", ContentFile(b"x"))
    aged(default_storage.path(orphan), 48)
    assert expire_uploads.call()["uploads"] == 1
    assert not default_storage.exists(orphan) and default_storage.exists(fresh)


def test_old_temporary_upload_files_are_deleted_and_nothing_else(db, media, settings):
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    for name in ("tmpa1b2c3d4.upload.csv", "tmpe5f6g7h8.upload.xlsx", "notes.txt"):
        (folder / name).write_bytes(b"x")
    left = aged(folder / "tmpa1b2c3d4.upload.csv", 7)  # its request was interrupted
    running = aged(folder / "tmpe5f6g7h8.upload.xlsx", 1)
    other = aged(folder / "notes.txt", 100)

    assert expire_uploads.call()["temporary_files"] == 1

    assert not left.exists() and running.exists() and other.exists()


def test_temporary_uploads_go_to_a_folder_of_our_own():
    folder = Path(django_settings.FILE_UPLOAD_TEMP_DIR)
    assert folder.is_relative_to(Path(django_settings.BASE_DIR) / "var")
    assert folder.is_dir()
