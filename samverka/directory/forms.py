# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms

from samverka.core.forms import ModelForm
from samverka.directory.models import Organisation
from samverka.directory.services import EDITABLE_FIELDS


class OrganisationProfileForm(ModelForm):
    """The basic profile. `version` guards against overwriting someone else's save."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        fields = list(EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
