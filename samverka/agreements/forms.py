# SPDX-License-Identifier: AGPL-3.0-or-later
"""Forms that turn posted fields into content changes for services.save_agreement."""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samverka.agreements.catalogue import in_language
from samverka.agreements.content import (
    AFTER_PILOT_MAX_LENGTH,
    HOUR_KINDS,
    PRINCIPLE_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    ContributionKind,
    Currency,
    PilotRoute,
    PublicPayment,
)
from samverka.agreements.models import Agreement, AgreementTemplate
from samverka.core.forms import Form


class CreateForm(Form):
    template = forms.ModelChoiceField(
        label=_("Template"), queryset=AgreementTemplate.objects.none(), empty_label=None
    )
    language = forms.ChoiceField(label=_("Language of the agreement"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        field.queryset = templates
        field.label_from_instance = lambda template: in_language(template.name)


class VersionForm(Form):
    """The version an edit started from: a newer one means someone else saved."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The content the edit started from: the working draft keeps its number
    # while it is saved, so the number alone would not show another's save.
    # Optional, so a page opened before this field existed still saves (anew).
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    note = forms.CharField(
        label=_("What did you change? (optional)"), max_length=300, required=False
    )


def _dates(text: str) -> list[str]:
    found = []
    for part in text.replace(",", " ").split():
        try:
            found.append(date.fromisoformat(part).isoformat())
        except ValueError as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a date; write dates as YYYY-MM-DD."), params={"value": part}
            ) from error
    return sorted(set(found))


class TextForm(VersionForm):
    """Title, the template's text sections, dates, and what happens after a pilot."""

    title = forms.CharField(label=_("Title"), max_length=250)
    starts_on = forms.DateField(
        label=_("Starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_months = forms.IntegerField(
        label=_("Notice period in months"), min_value=0, max_value=120, required=False
    )
    review_dates = forms.CharField(
        label=_("Review dates"),
        help_text=_("One or more dates, YYYY-MM-DD, separated by spaces or commas."),
        required=False,
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        template = agreement.template
        self.text_sections = []
        for section in template.sections:
            if section["kind"] not in ("text", "duration"):
                continue
            name = f"section_{section['code']}"
            self.fields[name] = forms.CharField(
                label=in_language(section["title"]),
                help_text=in_language(section["guidance"]),
                required=False,
                max_length=SECTION_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[name].mandatory = section["mandatory"]
            self.text_sections.append((name, section["code"]))
        codes = {section["code"] for section in template.sections}
        self.has_after_pilot = "after_pilot" in codes or template.requires_post_pilot
        if self.has_after_pilot:
            required = template.requires_post_pilot
            self.fields["decision_on"] = forms.DateField(
                label=_("Decision date after the pilot"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields["criteria"] = forms.CharField(
                label=_("Criteria for success"),
                required=False,
                max_length=AFTER_PILOT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields["route"] = forms.ChoiceField(
                label=_("Route after success"),
                choices=[("", _("Not decided yet")), *PilotRoute.choices],
                required=False,
            )
            self.fields["route_detail"] = forms.CharField(
                label=_("The route in detail"),
                help_text=_("For example: an innovation partnership from spring 2028."),
                required=False,
                max_length=AFTER_PILOT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields["budget"] = forms.DecimalField(
                label=_("Scale-up budget"),
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
            )
            self.fields["budget_currency"] = forms.ChoiceField(
                label=_("Currency of the budget"),
                choices=[("", "—"), *Currency.choices],
                required=False,
            )
            for name in ("decision_on", "criteria", "route"):
                self.fields[name].mandatory = required
        if template.form == "iop":
            self.fields["public_payment"] = forms.ChoiceField(
                label=_("How does the public party pay?"),
                choices=[("", _("Not stated")), *PublicPayment.choices],
                required=False,
            )
        self.fields["note"] = self.fields.pop("note")  # last, next to the save button
        self.style_fields()

    def clean_review_dates(self) -> list[str]:
        return _dates(self.cleaned_data["review_dates"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        if data.get("budget") is not None and not data.get("budget_currency"):
            self.add_error("budget_currency", _("Choose the currency of the budget."))
        return data

    @staticmethod
    def initial_from(content: dict[str, Any], version: int, content_hash: str) -> dict[str, Any]:
        dates, after = content.get("dates", {}), content.get("after_pilot", {})
        initial = {
            "version": version,
            "content_hash": content_hash,
            "title": content.get("title", ""),
            "starts_on": dates.get("starts_on") or None,
            "ends_on": dates.get("ends_on") or None,
            "notice_months": dates.get("notice_months"),
            "review_dates": " ".join(dates.get("review_dates", [])),
            "decision_on": after.get("decision_on") or None,
            "criteria": after.get("criteria", ""),
            "route": after.get("route", ""),
            "route_detail": after.get("detail", ""),
            "budget": after.get("budget") or None,
            "budget_currency": after.get("currency", ""),
            "public_payment": content.get("public_payment", ""),
        }
        for code, text in content.get("sections", {}).items():
            initial[f"section_{code}"] = text
        return initial

    def changes(self, current: dict[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        sections = dict(current.get("sections", {}))
        for name, code in self.text_sections:
            sections[code] = data[name].strip()
        changes: dict[str, Any] = {
            "title": data["title"].strip(),
            "sections": sections,
            "dates": {
                "starts_on": data["starts_on"].isoformat() if data["starts_on"] else "",
                "ends_on": data["ends_on"].isoformat() if data["ends_on"] else "",
                "notice_months": data["notice_months"],
                "review_dates": data["review_dates"],
            },
        }
        if self.has_after_pilot:
            changes["after_pilot"] = {
                "decision_on": data["decision_on"].isoformat() if data["decision_on"] else "",
                "criteria": data["criteria"].strip(),
                "route": data["route"],
                "detail": data["route_detail"].strip(),
                "budget": str(data["budget"]) if data["budget"] is not None else "",
                "currency": data["budget_currency"],
            }
        if "public_payment" in self.fields:
            changes["public_payment"] = data["public_payment"]
        return changes


class RowFormSet(forms.BaseFormSet):
    """Rows of contributions or principles: the delete box is a styled,
    labelled checkbox (the formset adds it after the form styled its fields)."""

    def add_fields(self, form: Any, index: Any) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Delete this row")
            form.fields["DELETE"].widget.attrs["class"] = "ds-input"


class ContributionForm(Form):
    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    # The empty choices let an untouched extra row stay empty, so it is skipped.
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *ContributionKind.choices])
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args: Any, parties: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", "—"), *parties]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == ContributionKind.MONEY:
            if data.get("amount") is None:
                self.add_error("amount", _("Give the amount of money."))
            if not data.get("currency"):
                self.add_error("currency", _("Choose the currency of the amount."))
        elif kind in HOUR_KINDS:
            if data.get("amount") is None:
                self.add_error("amount", _("Give the number of hours."))
            data["currency"] = ""
        elif data.get("amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Choose the currency of the value."))
        if (
            kind in (ContributionKind.PREMISES, ContributionKind.OTHER)
            and not data.get("description", "").strip()
        ):
            self.add_error("description", _("Describe what is contributed."))
        return data

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "party": data["party"],
            "year": data["year"],
            "kind": data["kind"],
            "amount": str(data["amount"]) if data["amount"] is not None else "",
            "currency": data["currency"],
            "description": data["description"].strip(),
        }


class PrincipleForm(Form):
    code = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    name = forms.CharField(label=_("Principle"), max_length=200)
    meaning = forms.CharField(
        label=_("What it means in this agreement"),
        required=False,
        max_length=PRINCIPLE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def row(self) -> dict[str, Any]:
        return {
            "code": self.cleaned_data["code"],
            "name": self.cleaned_data["name"].strip(),
            "meaning": self.cleaned_data["meaning"].strip(),
        }


class ApproveForm(Form):
    organisation = forms.TypedChoiceField(label=_("Approve for"), coerce=int)
    signatory = forms.CharField(
        label=_("Name and title of the signatory"),
        help_text=_("The person authorised to sign for the organisation."),
        max_length=200,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations


class TerminateForm(Form):
    reason = forms.CharField(
        label=_("Why is the agreement terminated?"), widget=forms.Textarea(attrs={"rows": 3})
    )
