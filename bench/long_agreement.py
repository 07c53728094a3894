# SPDX-License-Identifier: AGPL-3.0-or-later
"""Long agreements (issue 19): the comparison page and API, and the PDF/DOCX of a
version served again, for ten sections of 50,000 characters (the limit).

    .venv/bin/python -m pytest bench/long_agreement.py -q -s -p no:cacheprovider

(The "before" figure, 620 s for one section pair, was the word diff of
`git show a75278d:samverka/agreements/diff.py` on the same texts.)
"""

import time

from django.test import Client
from django.urls import reverse

from samverka.agreements import services
from samverka.agreements.tests.conftest import *  # noqa: F403  (the agreement fixture)
from samverka.agreements.tests.long_texts import long_sections, rewritten, with_ten_text_sections


def _timed(call):
    started = time.perf_counter()
    response = call()
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


def test_long_agreement_figures(cast, agreement):
    codes = with_ten_text_sections(agreement.template)
    sections = long_sections(codes, seed=1)
    rewrites = {code: rewritten(text, 2) for code, text in sections.items()}
    for number, changed in enumerate((sections, rewrites), start=1):
        services.save_agreement(
            agreement=agreement,
            changes={"sections": changed},
            by=cast.coordinator,
            base_version=number,
        )
    client = Client()
    client.force_login(cast.coordinator)
    versions = reverse("agreements:versions", args=[agreement.pk])
    client.get(versions)  # warm up: URL patterns, templates, catalogs

    def document(kind):
        return client.get(reverse("agreements:document", args=[agreement.pk, 3, kind]))

    page = _timed(lambda: client.get(versions, {"a": 2, "b": 3}))
    api = _timed(lambda: client.get(f"/api/agreements/{agreement.pk}/compare", {"a": 2, "b": 3}))
    print(f"\ncompare page {page:.2f} s, API {api:.2f} s")
    first, again = _timed(lambda: document("pdf")), _timed(lambda: document("pdf"))
    print(f"PDF first {first:.2f} s, again {again:.3f} s")
    first, again = _timed(lambda: document("docx")), _timed(lambda: document("docx"))
    print(f"DOCX first {first:.2f} s, again {again:.3f} s")
