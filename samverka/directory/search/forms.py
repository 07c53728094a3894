# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverka.core.choices import labels
from samverka.directory.models import CapabilityKind, Country, Place, Sector, Theme
from samverka.directory.search.query import Filters


def _choices(choices: type, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *choices.choices]


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices no form changes: each form shares them
    instead of deep-copying every lazily translated label (a third of the
    search form's cost per request)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> "FixedChoiceField":
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class SearchForm(forms.Form):
    """The search box and its filters. Every field is optional; a bad value is
    a form error, never a server error."""

    q = forms.CharField(label=_("Search"), max_length=500, required=False)
    sector = FixedChoiceField(
        label=_("Sector"), choices=_choices(Sector, _("All sectors")), required=False
    )
    theme = FixedChoiceField(
        label=_("Theme"), choices=_choices(Theme, _("All themes")), required=False
    )
    capability = FixedChoiceField(
        label=_("Can offer"),
        choices=_choices(CapabilityKind, _("Anything")),
        required=False,
    )
    country = FixedChoiceField(
        label=_("Country"), choices=_choices(Country, _("All countries")), required=False
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=150,
        required=False,
        help_text=_("A municipality, district or neighbourhood; includes the places within it."),
    )
    sort = FixedChoiceField(
        label=_("Sort by"),
        choices=[("relevance", _("Relevance")), ("name", _("Name"))],
        required=False,
    )
    page = forms.IntegerField(
        label=_("Page"), min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput
    )

    SELECTS = {"sector": Sector, "theme": Theme, "capability": CapabilityKind, "country": Country}

    def selects(self) -> list[dict[str, Any]]:
        """The drop-downs with plain-string options: resolving each lazily
        translated choice in the template cost more than the search."""
        result = []
        for name in (*self.SELECTS, "sort"):
            field = self[name]
            current = str(field.value() or "")
            choices = self.fields[name].choices  # type: ignore[attr-defined]
            names = labels(self.SELECTS[name]) if name in self.SELECTS else {}
            options = [
                (value, names.get(value) or str(label), value == current)
                for value, label in choices
            ]
            result.append(
                {
                    "id": field.auto_id,
                    "name": name,
                    "label": str(field.label),
                    "options": options,
                    "errors": field.errors,
                }
            )
        return result

    def clean_place(self) -> Place | None:
        value = self.cleaned_data["place"].strip()
        if not value:
            return None
        places = Place.objects.only("id", "name", "path")
        # An id (facet links use them) or a name. isdigit() alone accepts "²", and
        # a long number does not fit the database's integer.
        is_id = value.isascii() and value.isdigit() and len(value) <= 18
        found = (
            places.filter(pk=int(value)).first()
            if is_id
            else places.filter(name__iexact=value).order_by("path").first()
        )
        if found is None:
            raise forms.ValidationError(_("No place by that name."), code="unknown_place")
        return found

    def filters(self) -> Filters:
        data = self.cleaned_data
        place = data.get("place")
        return Filters(
            sector=data.get("sector") or "",
            theme=data.get("theme") or "",
            capability=data.get("capability") or "",
            country=data.get("country") or "",
            place=place.pk if place else None,
        )
