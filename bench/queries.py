# SPDX-License-Identifier: AGPL-3.0-or-later
"""SQL queries per request for each benchmarked page, on the configured database."""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverka.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

client = Client()
result = {}
for name, path in json.loads(sys.argv[1]).items():
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    result[name] = {"queries": len(queries), "status": status}
print(json.dumps(result))
