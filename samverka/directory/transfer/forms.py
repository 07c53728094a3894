# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.utils.translation import gettext_lazy as _

from samverka.core.forms import Form
from samverka.directory.forms import OrganisationFilterForm


class ImportForm(Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "One organisation per row, with the template's columns. CSV may use comma or "
            "semicolon and be saved as UTF-8 or as Windows-1252 (Excel's default)."
        ),
    )


class ExportForm(OrganisationFilterForm):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("csv", _("CSV (UTF-8)")), ("xlsx", _("Excel workbook (XLSX)"))],
        required=False,
    )
    delimiter = forms.ChoiceField(
        label=_("CSV separator"),
        choices=[("comma", _("Comma")), ("semicolon", _("Semicolon (Nordic Excel)"))],
        required=False,
    )
