# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest

from samverka.core.text import LONG_TEXT_MAX_LENGTH, multi_line, single_line


def posted_data(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one; None (an unbound form) for a GET.

    `request.POST or None` would treat a POST without fields as a GET: the form
    would be shown again with no message and nothing saved.
    """
    return request.POST if request.method == "POST" else None


class DesignSystemMixin:
    """Renders fields with Designsystemet classes and ties each error message
    to its field for screen readers (aria-describedby)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.style_fields()

    def style_fields(self) -> None:
        """Give every widget the design system's class; forms that add fields in
        their own __init__ call it again afterwards."""
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            guard_text(field)
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "ds-input")
            elif "ds-input" not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = (widget.attrs.get("class", "") + " ds-input").strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                bound = self[name]  # type: ignore[index]
                attrs = self.fields[name].widget.attrs  # type: ignore[attr-defined]
                described = attrs.get("aria-describedby", "")
                error_id = f"{bound.auto_id}_error"
                if error_id not in described:
                    attrs["aria-describedby"] = f"{error_id} {described}".strip()


def guard_text(field: forms.Field) -> None:
    """Every typed text refuses control and text-direction characters (a text
    area keeps its line breaks), and a text area without its own limit gets the
    longest one (core.text), so no form stores more than the API accepts."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    validator = multi_line if multiline else single_line
    if validator not in field.validators:
        field.validators.append(validator)
    if (
        multiline
        and field.max_length is None
        and not any(isinstance(v, MaxLengthValidator) for v in field.validators)
    ):
        field.max_length = LONG_TEXT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(LONG_TEXT_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(LONG_TEXT_MAX_LENGTH)


class Form(DesignSystemMixin, forms.Form):
    pass


class ModelForm(DesignSystemMixin, forms.ModelForm):
    pass


class FormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
