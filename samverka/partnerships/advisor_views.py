# SPDX-License-Identifier: AGPL-3.0-or-later
"""The model advisor page: a plain form, and the ranked forms on the same page.

A question with a condition (`ask_when` in the rules) is shown with a hint
saying when it applies; the server requires it only then and otherwise
ignores it, so the page works without JavaScript in one step."""

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from samverka.core.choices import labels
from samverka.core.forms import Form, posted_data
from samverka.core.permissions import can, get_object_for
from samverka.directory.models import Country, Sector
from samverka.partnerships import advisor
from samverka.partnerships.models import MemberStatus, Partnership


def _choices(question: str) -> list[tuple[str, Any]]:
    return [(key, text.lazy()) for key, text in advisor.rule_book().choices[question].items()]


def _yes_no(question: str) -> forms.TypedChoiceField:
    book = advisor.rule_book()
    condition = book.conditions.get(question)
    return forms.TypedChoiceField(
        label=book.questions[question].lazy(),
        choices=_choices("yes_no"),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        # A conditional question is required in clean(), where the condition is known.
        required=condition is None,
        help_text=condition.hint.lazy() if condition else "",
    )


BOOK = advisor.rule_book()


class AdvisorForm(Form):
    """The questionnaire. Labels are the advisor's data texts (in four languages)."""

    country = forms.ChoiceField(
        label=BOOK.questions["country"].lazy(), choices=Country.choices, widget=forms.RadioSelect
    )
    sectors = forms.MultipleChoiceField(
        label=BOOK.questions["sectors"].lazy(),
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one sector.")},
    )
    purposes = forms.MultipleChoiceField(
        label=BOOK.questions["purposes"].lazy(),
        choices=_choices("purposes"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    scope = forms.ChoiceField(
        label=BOOK.questions["scope"].lazy(),
        choices=_choices("scope"),
        widget=forms.RadioSelect,
    )
    horizon = forms.ChoiceField(
        label=BOOK.questions["horizon"].lazy(),
        choices=_choices("horizon"),
        widget=forms.RadioSelect,
    )
    buys_service = _yes_no("buys_service")
    own_resources = _yes_no("own_resources")
    tests_concepts = _yes_no("tests_concepts")
    owners_central = _yes_no("owners_central")
    police = _yes_no("police")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        earlier = {
            "country": data.get("country"),
            "sectors": frozenset(data["sectors"]) if "sectors" in data else None,
            "purposes": frozenset(data.get("purposes") or ()),
            "scope": data.get("scope"),
            "horizon": data.get("horizon"),
        }
        for question in advisor.rule_book().conditions:
            applies = advisor.question_applies(question, earlier)
            if applies is False:
                # Not asked: whatever was sent for it is ignored, even if malformed.
                self.errors.pop(question, None)
                data[question] = False
            elif applies and data.get(question) in (None, ""):
                self.add_error(question, self.fields[question].error_messages["required"])
        return data

    def answers(self) -> advisor.Answers:
        data = self.cleaned_data
        return advisor.Answers(
            country=data["country"],
            sectors=frozenset(data["sectors"]),
            purposes=frozenset(data["purposes"]),
            scope=data["scope"],
            horizon=data["horizon"],
            buys_service=data["buys_service"],
            own_resources=data["own_resources"],
            tests_concepts=data["tests_concepts"],
            owners_central=data["owners_central"],
            police_involved=data["police"],
        )


def _partnership(request: HttpRequest) -> Partnership | None:
    """The partnership the advice is for (?partnership=), when the user may see it."""
    raw = request.POST.get("partnership") or request.GET.get("partnership")
    if not raw:
        return None
    try:
        return get_object_for(request.user, Partnership, pk=int(raw))
    except (ValueError, Http404):
        return None


def initial_from(partnership: Partnership) -> dict[str, Any]:
    """Answers a partnership already gives: its country, the sectors at the table
    and its horizon."""
    sectors = sorted(
        set(
            partnership.members.filter(status=MemberStatus.ACTIVE).values_list(
                "organisation__sector", flat=True
            )
        )
    )
    return {
        "country": partnership.country,
        "sectors": sectors,
        "horizon": partnership.horizon,
        "scope": "place",
        "police": "yes" if "police" in sectors else "no",
    }


@require_http_methods(["GET", "HEAD", "POST"])
def advisor_page(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    form = AdvisorForm(
        posted_data(request), initial=initial_from(partnership) if partnership else None
    )
    context: dict[str, Any] = {
        "form": form,
        "recommendations": None,
        "partnership": partnership,
        "may_choose": partnership is not None and can(request.user, "manage", partnership),
    }
    if form.is_valid():
        answers = form.answers()
        recommendations = advisor.advise(answers)
        context |= {
            "answers": answers,
            "recommendations": recommendations,
            "shortfall": advisor.why_lower(recommendations),
            "skipped": [note for _question, note in advisor.skipped_questions(answers)],
            "not_available": advisor.not_available(answers),
            "country": labels(Country)[answers.country],
        }
    template = "partnerships/advisor.html"
    if request.htmx:
        template += "#advisor"
    return render(request, template, context)
