# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from samverka.accounts import ratelimit
from samverka.accounts.models import Role, User
from samverka.core.forms import DesignSystemMixin, Form, ModelForm


class LoginForm(DesignSystemMixin, AuthenticationForm):
    def clean_username(self) -> str:
        # Addresses are stored in lower case (UserManager.create_user); phones
        # often capitalise the first letter.
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, object]:
        if ratelimit.is_locked(self.cleaned_data.get("username")):
            raise forms.ValidationError(
                _(
                    "Too many failed attempts. For your security, logging in to this "
                    "account is paused for %(minutes)s minutes."
                ),
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        return super().clean()


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
        strip=False,  # as at login: " secret" is not "secret"
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


class EraseForm(Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,  # else "password " would pass for "password"
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed and my personal data erased for good.")
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password
