# SPDX-License-Identifier: AGPL-3.0-or-later
"""The directory list as an Open Referral HSDS 3.0 download."""

import json
from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from samverka.directory import hsds
from samverka.directory.forms import OrganisationFilterForm
from samverka.directory.models import Organisation


@require_safe
def hsds_download(request: HttpRequest) -> StreamingHttpResponse:
    """Every organisation matching the list's filters, as a JSON array of HSDS
    organizations. Streamed in chunks, so a national export stays small in memory."""
    filters = OrganisationFilterForm(request.GET or None)
    queryset = Organisation.objects.all()
    if filters.is_valid():
        queryset = filters.apply(queryset)
    response = StreamingHttpResponse(_json_array(hsds.iter_documents(queryset)))
    response["Content-Type"] = "application/json"
    response["Content-Disposition"] = 'attachment; filename="samverka-hsds-organizations.json"'
    return response


def _json_array(documents: Iterator[dict]) -> Iterator[str]:
    yield "["
    for index, document in enumerate(documents):
        yield ("," if index else "") + "\n" + json.dumps(document, ensure_ascii=False)
    yield "\n]\n"
