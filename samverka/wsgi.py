# SPDX-License-Identifier: AGPL-3.0-or-later
"""WSGI entry point: the production server is gunicorn with sync workers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")
application = get_wsgi_application()
