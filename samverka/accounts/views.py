# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from samverka.accounts import services, twofactor
from samverka.accounts.forms import (
    CodeForm,
    EraseForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    RegisterForm,
    SetPasswordForm,
    SetupCodeForm,
    TokenForm,
)
from samverka.accounts.models import ApiToken, Invitation, User
from samverka.accounts.privacy import erase_personal_data, export_personal_data
from samverka.core.forms import posted_data
from samverka.core.permissions import get_object_for

NEW_TOKEN_SESSION_KEY = "samverka_new_api_token"


def _remember_language(response: HttpResponse, user: User) -> HttpResponse:
    if user.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if twofactor.has_two_factor(user):
            # The password was right; only the code step logs in.
            twofactor.begin_login(self.request, user, next_url=self.get_success_url())
            return redirect("accounts:two_factor_login")
        response = super().form_valid(form)
        if twofactor.is_required(user):
            response = redirect("accounts:two_factor")  # the page says why
        return _remember_language(response, user)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_was_reset(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_was_changed(user=form.user)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(posted_data(request), instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return _remember_language(redirect("accounts:profile"), user)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        # Shown once, after the redirect, so a reload cannot create a second token.
        request.session[NEW_TOKEN_SESSION_KEY] = raw
        return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
            "tokens": request.user.api_tokens.all(),
        },
    )


@login_required
@require_POST
def token_delete(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_for(request.user, ApiToken, "delete", pk=pk)
    token.delete()
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: as the logged-in user, or by creating an account."""
    found = Invitation.find(token)
    if found is None or not found.is_open():
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=found.email).exists()
    form = None
    if request.user.is_authenticated:
        if not found.is_for(request.user):
            # The page says whom it was for and how to go on; nothing is accepted.
            status = 403 if request.method == "POST" else 200
            return render(
                request,
                "accounts/invitation.html",
                {"invitation": found, "someone_else": True},
                status=status,
            )
        if request.method == "POST":
            services.accept_invitation(invitation=found, user=request.user)
            messages.success(request, _("Welcome to %(org)s.") % {"org": found.organisation})
            return redirect(found.organisation)
    elif not existing:
        form = RegisterForm(posted_data(request), email=found.email)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.register_from_invitation(
                    invitation=found,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password"],
                    language=get_language(),  # the page's, from their browser or choice
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                login(request, user, backend="samverka.accounts.ratelimit.RateLimitedModelBackend")
                messages.success(request, _("Welcome to %(org)s.") % {"org": found.organisation})
                return _remember_language(redirect(found.organisation), user)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": found, "form": form, "existing": existing},
    )


@login_required
@require_http_methods(["GET"])
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html", {"form": EraseForm(user=request.user)})


@login_required
@require_http_methods(["GET"])
def privacy_export(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(
        export_personal_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="samverka-my-data.json"'
    return response


@login_required
@require_POST
def privacy_erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/privacy.html", {"form": form}, status=400)
    erase_personal_data(user=request.user, by=request.user)
    logout(request)
    messages.success(request, _("Your personal data was erased and your account closed."))
    return redirect("core:home")


# Two-factor authentication (accounts/twofactor.py)

NEW_RECOVERY_CODES_SESSION_KEY = "samverka_new_recovery_codes"


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else default


def _check_code(form: CodeForm, user: User) -> Device | None:
    """The device that accepts the form's code, or None with the error on the form."""
    try:
        device = twofactor.verify_code(user=user, code=form.cleaned_data["code"])
    except twofactor.CodeThrottled:
        form.add_error("code", _("Too many wrong codes. Wait a few seconds and try again."))
        return None
    if device is None:
        form.add_error("code", _("The code is not correct."))
    return device


def _recovery_code_used(request: HttpRequest, user: User, device: Device) -> None:
    if isinstance(device, StaticDevice):
        left = twofactor.remaining_recovery_codes(user)
        messages.warning(
            request,
            ngettext(
                "You used a recovery code. %(count)s is left.",
                "You used a recovery code. %(count)s are left.",
                left,
            )
            % {"count": left},
        )


@require_http_methods(["GET", "POST"])
def two_factor_login(request: HttpRequest) -> HttpResponse:
    """The login's second step, after the password: a code from the app or a
    recovery code. Also verifies a session that logged in before two-factor
    was turned on."""
    pending = twofactor.pending_login(request)
    if pending is not None:
        user, state = pending
        next_url = state["next"]
    elif (
        request.user.is_authenticated
        and not twofactor.is_verified(request.user)
        and twofactor.has_two_factor(request.user)
    ):
        user, state = request.user, None
        next_url = _next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    elif request.user.is_authenticated:
        return redirect(_next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
    else:
        return redirect("accounts:login")
    form = CodeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        device = _check_code(form, user)
        if device is not None:
            if state is not None:
                twofactor.finish_login(request, user, device, state["backend"])
            else:
                otp_login(request, device)
            _recovery_code_used(request, user, device)
            return _remember_language(redirect(next_url), user)
    return render(request, "accounts/two_factor_login.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on (scan the key, confirm with a code), or see that it is on."""
    user = request.user
    if twofactor.has_two_factor(user):
        return render(
            request,
            "accounts/two_factor.html",
            {
                "enabled": True,
                "codes": request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None),
                "remaining": twofactor.remaining_recovery_codes(user),
                "form": CodeForm(),
            },
        )
    device = twofactor.begin_setup(user)
    form = SetupCodeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = twofactor.confirm_setup(device=device, code=form.cleaned_data["code"])
        except twofactor.CodeThrottled:
            form.add_error("code", _("Too many wrong codes. Wait a few seconds and try again."))
        else:
            if codes is None:
                form.add_error(
                    "code",
                    _(
                        "The code is not correct. Check that your phone's clock is right "
                        "and enter the newest code."
                    ),
                )
            else:
                otp_login(request, device)  # this session passed the second factor
                # Shown once, after the redirect, so a reload cannot show them again.
                request.session[NEW_RECOVERY_CODES_SESSION_KEY] = codes
                messages.success(request, _("Two-factor authentication is on."))
                return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": False,
            "form": form,
            "qr_code": twofactor.qr_code_data_uri(device),
            "secret": twofactor.secret_text(device),
            "required": twofactor.is_required(user),
        },
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off; a code proves the person still holds the app or a recovery code."""
    if not twofactor.has_two_factor(request.user):
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    if form.is_valid() and _check_code(form, request.user) is not None:
        twofactor.disable(user=request.user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": True,
            "remaining": twofactor.remaining_recovery_codes(request.user),
            "form": form,
        },
        status=400,
    )
