# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samverka.core.forms import Form, ModelForm
from samverka.directory.models import (
    CapabilityKind,
    Country,
    EntryDoor,
    Organisation,
    Sector,
    Theme,
)
from samverka.directory.services import EDITABLE_FIELDS, ENTRY_DOOR_FIELDS


class OrganisationProfileForm(ModelForm):
    """The profile with its capabilities. `version` guards against overwriting
    someone else's save."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "commitment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, capabilities: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        capabilities = capabilities or {}
        # One checkbox and one detail per capability kind: no JavaScript needed.
        for kind, label in CapabilityKind.choices:
            self.fields[f"capability_{kind}"] = forms.BooleanField(
                label=label, required=False, initial=kind in capabilities
            )
            self.fields[f"capability_{kind}_detail"] = forms.CharField(
                label=_("What exactly: %(capability)s") % {"capability": label},
                max_length=500,
                required=False,
                initial=capabilities.get(kind, ""),
            )
        self.fields["themes"].initial = self.instance.themes
        self.style_fields()

    def capability_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"capability_{kind}"], self[f"capability_{kind}_detail"])
            for kind in CapabilityKind.values
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("capability_") and name != "version"
        ]

    def capabilities(self) -> dict[str, str]:
        return {
            kind: self.cleaned_data[f"capability_{kind}_detail"].strip()
            for kind in CapabilityKind.values
            if self.cleaned_data.get(f"capability_{kind}")
            or self.cleaned_data.get(f"capability_{kind}_detail", "").strip()
        }


class OrganisationFilterForm(Form):
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", _("All countries")), *Country.choices], required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    def apply(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        for name in ("country", "sector"):
            if self.cleaned_data.get(name):
                queryset = queryset.filter(**{name: self.cleaned_data[name]})
        return queryset


class EntryDoorForm(ModelForm):
    class Meta:
        model = EntryDoor
        fields = list(ENTRY_DOOR_FIELDS)


class EntryDoorEditForm(EntryDoorForm):
    """`version` guards against overwriting someone else's save, as on the profile."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SuggestionForm(ModelForm):
    """The public profile text as the suggester would have it."""

    comment = forms.CharField(
        label=_("Why (shown to the organisation's administrators)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = Organisation
        fields = ["name", "description", "website", "email", "phone", "commitment"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "commitment": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self) -> None:
        # Validated by the service against a copy; the form must not touch
        # the organisation itself (uniqueness of the number is not in question).
        pass


class ClaimForm(Form):
    message = forms.CharField(
        label=_("Your role in the organisation"),
        help_text=_("Who you are there, so the reviewer can check it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PlaceSearchForm(Form):
    q = forms.CharField(label=_("Find a place"), max_length=100, required=False)
