# SPDX-License-Identifier: AGPL-3.0-or-later
"""The "Find partners" page: a plain GET form and the explained ranking."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from samverka.core.choices import labels
from samverka.core.forms import Form
from samverka.directory import matching
from samverka.directory.models import CapabilityKind, Country, Place, Sector, Theme


class FindPartnersForm(Form):
    text = forms.CharField(
        label=_("What do you want to solve?"),
        help_text=_("In your own words, in any Nordic language or English."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    place = forms.CharField(
        label=_("Place"),
        help_text=_("A municipality, district or housing area."),
        max_length=150,
        required=False,
    )
    place_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", _("All countries")), *Country.choices],
        required=False,
    )
    capabilities = forms.MultipleChoiceField(
        label=_("We need"),
        choices=CapabilityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("From these sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    present_sectors = forms.MultipleChoiceField(
        label=_("Sectors already in the partnership"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.place_choices: list[Place] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        place: Place | None = None
        country = data.get("country") or ""
        if data.get("place_id"):
            place = Place.objects.select_related("parent").filter(pk=data["place_id"]).first()
            if place is None:
                raise ValidationError({"place": _("Choose a place from the list.")})
        elif data.get("place", "").strip():
            found = matching.places_named(data["place"], country)
            if not found:
                raise ValidationError({"place": _("No place with that name.")})
            if len(found) == 1:
                place = found[0]
            else:
                self.place_choices = found
        data["place_obj"] = place
        if not (
            data.get("text", "").strip()
            or place
            or self.place_choices
            or data.get("capabilities")
            or data.get("sectors")
        ):
            raise ValidationError(
                _("Describe what you want to solve, or choose a place, capabilities or sectors."),
                code="empty",
            )
        return data

    def match_request(self) -> matching.MatchRequest:
        data = self.cleaned_data
        return matching.MatchRequest(
            text=data["text"],
            place=data["place_obj"],
            country=data["country"],
            capabilities=tuple(data["capabilities"]),
            sectors=tuple(data["sectors"]),
            present_sectors=tuple(data["present_sectors"]),
        )


@require_safe
def find_partners(request: HttpRequest) -> HttpResponse:
    form = FindPartnersForm(request.GET or None)
    result = None
    choices: list[tuple[Place, str]] = []
    if form.is_valid():
        if form.place_choices:
            query = request.GET.copy()
            for place in form.place_choices:
                query["place_id"] = str(place.pk)
                choices.append((place, query.urlencode()))
        else:
            result = matching.find_partners(form.match_request())
    return render(
        request,
        "directory/find_partners.html",
        {
            "form": form,
            "checkbox_fields": [form["capabilities"], form["sectors"], form["present_sectors"]],
            "result": result,
            "choices": choices,
            "sectors": labels(Sector),
            "themes": labels(Theme),
            "countries": labels(Country),
            "base_url": reverse("directory:organisations"),
        },
    )
