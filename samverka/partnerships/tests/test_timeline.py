# SPDX-License-Identifier: AGPL-3.0-or-later
"""The timeline tells each event in one whole sentence, in every language, and
names a person's organisation only when they acted for it (issue 20)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samverka.core.audit import ACTION_LABELS, log_action
from samverka.partnerships import services
from samverka.partnerships.timeline import SENTENCES, sentence

LANGUAGES = ("sv", "nb", "da", "en")
ORG, OTHER = "Göteborgs Stad", "Røde Kors Esbjerg"

# Each event type as its service records it: the data, and what the sentence
# must then show besides the person (when it names the person).
EVENTS = {
    "partnership.created": ({"lead": ORG, "acting_for": ORG}, [ORG], True),
    "partnership.updated": ({"changes": {"name": ["a", "b"]}}, [], True),
    "partnership.place_changed": ({"place": "Göteborg"}, ["Göteborg"], True),
    "partnership.member_invited": (
        {"organisation": OTHER, "role": "partner", "via": ""},
        [OTHER],
        True,
    ),
    "partnership.member_joined": (
        {"organisation": OTHER, "role": "partner", "step": 3, "acting_for": OTHER},
        [OTHER, "3"],
        True,
    ),
    "partnership.member_declined": ({"organisation": OTHER, "acting_for": OTHER}, [OTHER], True),
    "partnership.member_left": ({"organisation": OTHER, "acting_for": OTHER}, [OTHER], True),
    "partnership.problem_revised": ({"version": 2}, ["2"], True),
    "partnership.goal_revised": ({"version": 4}, ["4"], True),
    "partnership.problem_confirmed": (
        {"organisation": ORG, "version": 2, "acting_for": ORG},
        [ORG, "2"],
        True,
    ),
    "partnership.problem_commented": (
        {"organisation": ORG, "version": 2, "acting_for": ORG},
        [ORG, "2"],
        True,
    ),
    "partnership.goal_confirmed": (
        {"organisation": ORG, "version": 3, "acting_for": ORG},
        [ORG, "3"],
        True,
    ),
    "partnership.goal_commented": (
        {"organisation": ORG, "version": 3, "acting_for": ORG},
        [ORG, "3"],
        True,
    ),
    "partnership.step_done": ({"step": 5}, ["5"], True),
    "partnership.step_reopened": ({"step": 6}, ["6"], True),
    "partnership.residents_involved": ({"kind": "walk", "residents": 12}, [], True),
    "partnership.mandate_recorded": (
        {"organisation": ORG, "body": "Kommunstyrelsen", "acting_for": ORG},
        [ORG, "Kommunstyrelsen"],
        True,
    ),
    "partnership.status_changed": ({"from": "idea", "to": "forming"}, [], True),
    "agreement.created": (
        {"agreement": 1, "title": "Avtal om fritid", "template": "x"},
        ["Avtal om fritid"],
        True,
    ),
    "agreement.saved": ({"agreement": 1, "version": 2}, ["2"], True),
    "agreement.submitted": ({"agreement": 1, "version": 2}, [], True),
    "agreement.approved": (
        {"agreement": 1, "version": 2, "organisation": ORG, "acting_for": ORG},
        [ORG, "2"],
        True,
    ),
    "agreement.approved_by_all": ({"agreement": 1, "version": 2, "hash": "ab"}, [], False),
    "agreement.approvals_lapsed": ({"agreement": 1, "version": 3, "approved_by": [ORG]}, [], True),
    "agreement.in_force": ({"agreement": 1}, [], False),
    "agreement.expired": ({"agreement": 1}, [], False),
    "agreement.terminated": ({"agreement": 1, "reason": "Klart."}, [], True),
    "admin.changed": ({"changes": {}}, [], True),
    "admin.added": ({}, [], True),
}


def test_every_event_of_a_partnership_has_its_sentences():
    logged_on_partnerships = {
        action
        for action in ACTION_LABELS
        if action.split(".")[0] in ("partnership", "agreement", "admin")
    }
    assert logged_on_partnerships <= set(SENTENCES)
    assert set(EVENTS) == set(SENTENCES)


@pytest.mark.parametrize("action", sorted(EVENTS))
def test_each_event_is_one_whole_sentence_in_every_language(cast, partnership, action):
    data, shows, names_person = EVENTS[action]
    entry = log_action(partnership, action, user=cast.org_admin, data=data)
    told = {}
    for language in LANGUAGES:
        with translation.override(language):
            told[language] = sentence(entry, show_people=True)
    for language, text in told.items():
        assert "%(" not in text and ")s" not in text, (language, text)
        assert text[0].isupper(), (language, text)
        # No label glued to a name with a colon, the old broken form.
        assert not re.search(r": (Göteborgs Stad|Røde Kors Esbjerg)", text), (language, text)
        for value in shows:
            assert value in text, (language, text)
        assert ("Erik Testsson" in text) is names_person, (language, text)
        if language != "en":
            assert text != told["en"], f"not translated to {language}: {text}"
    # Status and kinds are told with their labels in the language.
    if action == "partnership.status_changed":
        assert "forming" not in told["sv"]


def test_a_person_is_shown_acting_only_for_the_organisation_they_act_for(cast, partnership):
    erik = cast.org_admin  # administrator of Göteborgs Stad only
    mette = cast.other_member  # administrator of Røde Kors Esbjerg only
    member = services.invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="partner", by=erik
    )
    services.respond(member=member, accept=True, by=mette)
    # Erik records the answer of an organisation he does not act for.
    services.answer_statement(
        partnership=partnership,
        kind="problem",
        organisation=cast.ngo,
        agrees=True,
        comment="",
        by=erik,
    )
    services.answer_statement(
        partnership=partnership,
        kind="problem",
        organisation=cast.municipality,
        agrees=True,
        comment="",
        by=erik,
    )
    # An entry claiming Erik acted for A while it is about B (e.g. a hand-made one).
    log_action(
        partnership,
        "partnership.mandate_recorded",
        user=erik,
        data={"organisation": OTHER, "body": "Styrelsen", "acting_for": ORG},
    )
    with translation.override("en"):
        page = Client()
        page.force_login(erik)
        text = html.unescape(
            page.get(
                reverse("partnerships:timeline", args=[partnership.pk]),
                HTTP_ACCEPT_LANGUAGE="en",
            ).text
        )
    assert "Erik Testsson invited Røde Kors Esbjerg" in text
    assert "Røde Kors Esbjerg joined at step 1, represented by Mette Testsson" in text
    assert "Røde Kors Esbjerg confirmed the problem statement (version 1)" in text
    assert "Erik Testsson, for Göteborgs Stad, confirmed the problem statement (version 1)" in text
    assert "Erik Testsson recorded a mandate of Røde Kors Esbjerg from Styrelsen" in text
    assert "Erik Testsson, for Røde Kors Esbjerg" not in text
    assert "Göteborgs Stad joined at step 1, represented by Erik Testsson" in text
    assert text.count("represented by Erik Testsson") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_and_the_api_tell_the_same_whole_sentences(cast, partnership, language):
    member = services.invite_organisation(
        partnership=partnership, organisation=cast.ngo, role="partner", by=cast.org_admin
    )
    services.respond(member=member, accept=True, by=cast.other_member)
    client = Client()
    client.force_login(cast.other_member)
    url = reverse("partnerships:timeline", args=[partnership.pk])
    page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).text)
    api = client.get(
        f"/api/partnerships/{partnership.pk}/timeline", HTTP_ACCEPT_LANGUAGE=language
    ).json()

    told = [entry["sentence"] for entry in api]
    assert len(told) == 5  # created, lead joined, problem revised, invited, joined
    for text in told:
        assert text in page
        assert "%(" not in text
    with translation.override(language):
        joined = sentence(
            next(
                e
                for e in _entries(partnership)
                if e.data.get("organisation") == OTHER and e.action == "partnership.member_joined"
            ),
            show_people=True,
        )
    assert joined in told and "Mette Testsson" in joined and OTHER in joined
    if language != "en":
        assert "joined" not in joined


def _entries(partnership):
    from samverka.core.audit import history_for

    return list(history_for(partnership))
