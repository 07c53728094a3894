# SPDX-License-Identifier: AGPL-3.0-or-later
"""An import whose worker stops (killed, out of memory): the job carries a
heartbeat, and one that stopped beating is marked failed so the user can try
again, when someone looks at it or by the scheduled clean-up."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from samverka.core.models import Job
from samverka.directory.models import Organisation
from samverka.directory.places import load_municipalities

CSV = b"name;country;sector\nSkolan i Hammarkullen;SE;education\n"
STOPPED = "The worker stopped before this job finished; nothing was written. Try again."


@pytest.fixture
def places(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_municipalities()


def post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {})


@pytest.fixture
def previewed(client, cast, places):
    client.force_login(cast.platform_admin)
    file = io.BytesIO(CSV)
    file.name = "orgs.csv"
    post(client, "/organisations/import/", {"file": file})
    return Job.objects.get(kind="directory.import")


def killed(job, stage, *, beat_ago):
    """The job as a worker killed mid-way leaves it: running, its transaction gone."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        options={**job.options, "stage": stage},
        finished_at=None,
        heartbeat_at=timezone.now() - beat_ago,
    )
    job.refresh_from_db()
    return job


def test_a_running_job_beats_as_it_reports_progress(previewed):
    assert previewed.status == "done"
    assert previewed.heartbeat_at is not None
    assert previewed.started_at <= previewed.heartbeat_at <= previewed.finished_at


def test_a_commit_whose_worker_stopped_fails_when_looked_at_and_can_be_committed_again(
    client, previewed
):
    job = killed(previewed, "commit", beat_ago=timedelta(hours=1))

    page = client.get(f"/organisations/import/{job.pk}/").content.decode()

    job.refresh_from_db()
    assert job.status == "failed" and job.message == STOPPED and job.finished_at
    assert STOPPED in page
    assert "Import 1 new and update 0" in page  # the commit button, again
    assert not Organisation.objects.filter(name="Skolan i Hammarkullen").exists()

    post(client, f"/organisations/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert (job.status, job.options["stage"]) == ("done", "committed")
    assert "interrupted" not in job.options
    assert Organisation.objects.filter(name="Skolan i Hammarkullen").count() == 1


def test_a_preview_whose_worker_stopped_fails_in_the_api_too(client, previewed):
    job = killed(previewed, "preview", beat_ago=timedelta(hours=1))
    Job.objects.filter(pk=job.pk).update(result={})

    status = client.get(f"/api/imports/{job.pk}").json()

    assert (status["status"], status["message"], status["can_commit"]) == (
        "failed",
        STOPPED,
        False,
    )


def test_a_job_with_a_recent_heartbeat_is_left_running(client, previewed, settings):
    settings.SAMVERKA_JOB_STALE_SECONDS = 600
    job = killed(previewed, "commit", beat_ago=timedelta(seconds=300))
    client.get(f"/organisations/import/{job.pk}/")
    call_command("expire_uploads")
    job.refresh_from_db()
    assert job.status == "running"
    # Not committable while it runs.
    post(client, f"/organisations/import/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "running"
    assert not Organisation.objects.filter(name="Skolan i Hammarkullen").exists()


def test_the_scheduled_clean_up_fails_stopped_jobs(previewed):
    job = killed(previewed, "commit", beat_ago=timedelta(hours=1))
    out = io.StringIO()
    call_command("expire_uploads", stdout=out)
    assert "stopped jobs failed: 1" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", STOPPED)
    assert job.upload  # kept for the retry


def test_a_job_of_an_older_worker_without_heartbeat_counts_from_its_start(previewed):
    Job.objects.filter(pk=previewed.pk).update(
        status=Job.Status.RUNNING,
        heartbeat_at=None,
        started_at=timezone.now() - timedelta(hours=2),
    )
    call_command("expire_uploads")
    previewed.refresh_from_db()
    assert previewed.status == "failed"
