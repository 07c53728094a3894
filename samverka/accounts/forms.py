# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from samverka.accounts.models import Role, User
from samverka.core.forms import DesignSystemMixin, Form, ModelForm


class LoginForm(DesignSystemMixin, AuthenticationForm):
    pass


class ProfileForm(ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]


class InviteForm(Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RegisterForm(Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )

    def __init__(self, *args: object, email: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = User(
            email=self.email,
            first_name=self.data.get("first_name", ""),
            last_name=self.data.get("last_name", ""),
        )
        password_validation.validate_password(password, user)
        return password


class TokenForm(Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. a script.")
    )
