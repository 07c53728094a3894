# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samverka.core.forms import Form, ModelForm
from samverka.directory.models import Country, EntryDoor, Organisation, Sector
from samverka.directory.services import EDITABLE_FIELDS, ENTRY_DOOR_FIELDS


class OrganisationProfileForm(ModelForm):
    """The basic profile. `version` guards against overwriting someone else's save."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


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
