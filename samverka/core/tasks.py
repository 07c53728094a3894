# SPDX-License-Identifier: AGPL-3.0-or-later
from django.tasks import task


@task
def expire_uploads() -> dict[str, int]:
    """Fail jobs whose worker stopped; delete old uploads and temporary upload files."""
    from samverka.core import jobs

    return jobs.expire_uploads()
