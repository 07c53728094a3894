# SPDX-License-Identifier: AGPL-3.0-or-later
"""Long pages on a phone: the checklist and the advisor start with a summary
and links to each step or section."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from samverka.partnerships import checklist, services
from samverka.partnerships.tests.test_advisor import URL as ADVISOR
from samverka.partnerships.tests.test_advisor import VALID


def test_the_checklist_summary_counts_steps_and_mandatory_steps_left(cast, partnership):
    steps = checklist.steps_for(partnership)
    mandatory = [s.number for s in steps if s.mandatory]
    services.complete_step(
        partnership=partnership, number=mandatory[0], by=cast.org_admin, note="Done."
    )
    client = Client()
    client.force_login(cast.coordinator)
    page = client.get(reverse("partnerships:checklist", args=[partnership.pk])).text

    left = len(mandatory) - 1
    assert f"1 of {len(steps)} steps done, {left} mandatory steps left" in page
    nav = re.search(r'<nav class="on-this-page".*?</nav>', page, re.DOTALL).group(0)
    for step in steps:  # one link per step, to the step's own id
        assert f'href="#step-{step.number}"' in nav
        assert f'id="step-{step.number}"' in page
    assert page.index('class="on-this-page"') < page.index('class="checklist"')


def test_the_summary_leaves_out_optional_and_done_steps_from_mandatory_left():
    def step(number, mandatory, done):
        completion = object() if done else None
        return checklist.Step(number, "c", "T", "", "", mandatory, completion)  # type: ignore[arg-type]

    steps = [step(1, True, True), step(2, True, False), step(3, False, False)]
    assert checklist.summary(steps) == checklist.Summary(done=1, total=3, mandatory_left=1)


@pytest.mark.django_db
def test_the_advice_starts_with_the_best_fit_and_links_to_each_form(client):
    page = client.post(ADVISOR, VALID).text
    nav = re.search(r'<nav class="on-this-page".*?</nav>', page, re.DOTALL).group(0)
    best = re.search(r'<li class="advice" id="(form-[a-z_]+)">\s*<h3[^>]*>([^<]+)</h3>', page)
    assert f"Best fit: {best.group(2)}" in nav
    links = re.findall(r'href="#(form-[a-z_]+)"', nav)
    assert links[0] == best.group(1)
    assert set(links) == set(re.findall(r'<li class="advice" id="(form-[a-z_]+)"', page))
    assert 'href="#advisor-answers"' in nav and 'id="advisor-answers"' in page
    assert 'href="#not-available"' in nav and 'id="not-available"' in page


@pytest.mark.django_db
def test_the_questionnaire_alone_has_no_summary(client):
    assert 'class="on-this-page"' not in client.get(ADVISOR).text
