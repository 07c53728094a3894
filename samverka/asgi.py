# SPDX-License-Identifier: AGPL-3.0-or-later
"""ASGI entry point, unused: no feature needs it yet, and Django under ASGI was
measured 5-9x slower than under WSGI here. Serve samverka.wsgi instead."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")
application = get_asgi_application()
