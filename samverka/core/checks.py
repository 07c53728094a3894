# SPDX-License-Identifier: AGPL-3.0-or-later
"""System checks of the installation itself (`manage.py check --deploy`)."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.files.storage import storages


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs=None, **kwargs) -> list[CheckMessage]:
    """Without the manifest every page that links a stylesheet answers 500 once
    DEBUG is off, so the deploy check refuses it before gunicorn starts."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    return [
        Error(
            f"The static files manifest ({storage.manifest_name}) is missing from "
            f"STATIC_ROOT ({settings.STATIC_ROOT}): every page would fail.",
            hint="Run `manage.py collectstatic --noinput` (`./run setup` does) with the "
            "same STATIC_ROOT as the server.",
            id="samverka.E001",
        )
    ]
