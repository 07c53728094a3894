# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a person reads in their own language: the empty choice of a select and dates."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from samverka.accounts.forms import ProfileForm

EVENING = datetime.datetime(2026, 12, 6, 20, 49, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.mark.parametrize(
    ("language", "label"), [("sv", "Välj…"), ("nb", "Velg…"), ("da", "Vælg…"), ("en", "Choose…")]
)
def test_the_empty_choice_of_a_select_is_translated(db, language, label):
    """Issue 20: Django's "- Select an option -" has no Swedish or Norwegian."""
    with translation.override(language):
        html = str(ProfileForm()["language"])

    assert f'<option value="" selected>{label}</option>' in html
    assert "Select an option" not in html


def _render(language, template):
    with translation.override(language):
        return Template("{% load tz %}" + template).render(Context({"when": EVENING})).strip()


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("DATE_FORMAT", "6 Dec 2026"),
        ("DATETIME_FORMAT", "6 Dec 2026, 20:49"),
        ("SHORT_DATE_FORMAT", "2026-12-06"),
        ("SHORT_DATETIME_FORMAT", "2026-12-06 20:49"),
        ("TIME_FORMAT", "20:49"),
    ],
)
def test_english_dates_are_not_american(fmt, expected):
    """Issue 20: English pages showed "12/06/2026 8:49 p.m."."""
    shown = _render("en", f'{{{{ when|date:"{fmt}" }}}}')

    assert shown == expected
    assert "m." not in shown
    assert not re.search(r"\b12/06\b", shown)


def test_a_datetime_without_a_filter_is_not_american_either():
    shown = _render("en", "{{ when }}")

    assert shown == "6 Dec 2026, 20:49"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "6 december 2026 20:49"),
        ("nb", "6. desember 2026 20:49"),
        ("da", "6. december 2026 20:49"),
    ],
)
def test_the_nordic_languages_write_dates_their_own_way(language, expected):
    assert _render(language, '{{ when|date:"DATETIME_FORMAT" }}') == expected
