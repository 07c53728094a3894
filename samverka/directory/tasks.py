# SPDX-License-Identifier: AGPL-3.0-or-later
from django.tasks import task

from samverka.directory.transfer import jobs


@task
def preview_import(*, job_id: int) -> None:
    """Check an uploaded file and count what it would change; writes nothing."""
    jobs.run_job(job_id)


@task
def commit_import(*, job_id: int) -> None:
    """Import a previewed file in one transaction: all rows, or none."""
    jobs.run_job(job_id)


@task
def refresh_search_statistics() -> None:
    """Recount the search statistics after a large import or re-index."""
    from samverka.directory.search.index import refresh_statistics

    refresh_statistics()


@task
def index_pending_organisations() -> None:
    """Write the search rows an import listed (see search.index.index_pending)."""
    from samverka.directory.search.index import index_pending

    index_pending()
