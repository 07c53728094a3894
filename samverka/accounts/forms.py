# SPDX-License-Identifier: AGPL-3.0-or-later
import math
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from samverka.accounts import ratelimit
from samverka.accounts.models import Role, User
from samverka.accounts.tasks import send_password_reset_email
from samverka.core.forms import DesignSystemMixin, Form, ModelForm


class ThrottledLoginMixin:
    """Says when a slowed-down client may try again, instead of a wrong-password
    message (the backend refuses the attempt either way)."""

    def clean(self) -> dict[str, object]:
        until = ratelimit.retry_at(self.request, self.cleaned_data.get("username"))  # type: ignore[attr-defined]
        if until is not None:
            minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts from your network. Please wait %(minutes)s "
                    "minute before trying again, or reset your password.",
                    "Too many failed attempts from your network. Please wait %(minutes)s "
                    "minutes before trying again, or reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        return super().clean()  # type: ignore[misc]


class LoginForm(ThrottledLoginMixin, DesignSystemMixin, AuthenticationForm):
    def clean_username(self) -> str:
        # Addresses are stored in lower case (UserManager.create_user); phones
        # often capitalise the first letter.
        return str(self.cleaned_data["username"]).strip().lower()


class PasswordResetForm(DesignSystemMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Queue the e-mail; the task makes the link, so no token waits in the queue.
        Unknown addresses get nothing, and the page says the same either way."""
        for user in self.get_users(self.cleaned_data["email"]):
            if not ratelimit.claim_reset_email(user=user):
                continue  # one was sent moments ago; the page says the same
            transaction.on_commit(
                partial(send_password_reset_email.enqueue, user_id=user.pk, language=get_language())
            )


class SetPasswordForm(DesignSystemMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DesignSystemMixin, auth_forms.PasswordChangeForm):
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


class CodeForm(Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits in your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class SetupCodeForm(CodeForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].help_text = _("The six digits your authenticator app shows now.")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
