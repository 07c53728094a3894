# SPDX-License-Identifier: AGPL-3.0-or-later
"""Translated labels of a choices class, computed once per language.

Model.get_FOO_display() rebuilds and hashes every translated choice on each
call; on a list of 50 rows that was the largest cost of the page.
"""

from functools import cache

from django.db import models
from django.utils.translation import get_language, override


@cache
def _labels(choices: type[models.Choices], language: str) -> dict[str, str]:
    with override(language):
        return {str(value): str(label) for value, label in choices.choices}


def labels(choices: type[models.Choices]) -> dict[str, str]:
    return _labels(choices, get_language() or "en")
