# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverka.core.forms import Form, ModelForm
from samverka.directory.models import Country, Organisation, Place, Theme
from samverka.partnerships.models import (
    COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    InvolvementKind,
    MemberRole,
    Partnership,
    ResidentGroup,
    Status,
)


def _place_named(form: forms.Form, name: str, country: str, country_name: str) -> Place | None:
    """The one place in the country with that name, or None with an error on "place"."""
    places = Place.objects.filter(name__iexact=name)
    if country:
        places = places.filter(country=country)
    found = list(places.order_by("path")[:2])
    if len(found) == 1:
        return found[0]
    form.add_error(
        "place",
        _("No place in %(country)s has that name.") % {"country": country_name}
        if not found
        else _("Several places have that name; write the municipality's instead."),
    )
    return None


class PartnershipForm(ModelForm):
    """Starting a partnership: the lead is one of the user's own organisations."""

    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    problem_statement = forms.CharField(
        label=_("Which problem should the collaboration address first?"),
        help_text=_("Step 1 of the checklist. Every member will be asked to confirm it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.CharField(
        label=_("Place"),
        help_text=_("A municipality, district or housing area, by its name."),
        max_length=150,
        required=False,
    )

    class Meta:
        model = Partnership
        fields = ["name", "horizon", "visibility"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name, lead = data.get("place", "").strip(), data.get("lead")
        data["places"] = []
        if name and lead is not None:
            place = _place_named(self, name, lead.country, lead.get_country_display())
            if place is not None:
                data["places"] = [place.pk]
        return data

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = (
            organisations if organisations is not None else (Organisation.objects.none())
        )
        self.order_fields(
            ["name", "lead", "place", "problem_statement", "themes", "horizon", "visibility"]
        )


class PartnershipEditForm(ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        choices=Theme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partnership
        fields = ["name", "themes", "horizon", "starts_on", "ends_on", "review_on", "visibility"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "review_on": forms.DateInput(attrs={"type": "date"}),
        }

    place = forms.CharField(
        label=_("Place"),
        help_text=_("A municipality, district or housing area, by its name."),
        max_length=150,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["themes"].initial = self.instance.themes
        # The place is changed through services.change_place, not the model form.
        first = self.instance.places.order_by("path").first() if self.instance.pk else None
        self.fields["place"].initial = first.name if first else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = data.get("place", "").strip()
        data["new_place"] = None
        if name:
            country = self.instance.country
            data["new_place"] = _place_named(
                self, name, country, str(dict(Country.choices).get(country, country))
            )
        return data


class InviteOrganisationForm(Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("Role in the partnership"),
        choices=[c for c in MemberRole.choices if c[0] != MemberRole.LEAD],
        initial=MemberRole.PARTNER,
    )
    entry_door = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact_email = forms.EmailField(label=_("Person to invite (e-mail)"), required=False)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
    )


class OrganisationSearchForm(Form):
    q = forms.CharField(label=_("Find an organisation"), max_length=100, required=False)


class StatementForm(Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(Form):
    agrees = forms.TypedChoiceField(
        label=_("Your organisation's answer"),
        choices=[("yes", _("We agree")), ("no", _("We would change it"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
    )


class StepForm(Form):
    note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)


class InvolvementForm(Form):
    kind = forms.ChoiceField(label=_("How"), choices=InvolvementKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    residents_reached = forms.IntegerField(
        label=_("Residents reached"), min_value=0, max_value=1_000_000
    )
    groups = forms.MultipleChoiceField(
        label=_("Groups reached"),
        choices=ResidentGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcomes = forms.CharField(
        label=_("What came out"),
        help_text=_("One per line. Each can later be linked to an action-plan item."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MandateForm(Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    body = forms.CharField(
        label=_("Decided by"),
        help_text=_("For example: the municipal executive board."),
        max_length=200,
    )
    decided_on = forms.DateField(
        label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    resources = forms.CharField(
        label=_("Resources"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    document = forms.FileField(label=_("Decision document"), required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class PartnershipFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    late = forms.BooleanField(label=_("Civil society or business joined late"), required=False)
