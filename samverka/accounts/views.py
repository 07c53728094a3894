# SPDX-License-Identifier: AGPL-3.0-or-later
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverka.accounts import services
from samverka.accounts.forms import EraseForm, LoginForm, ProfileForm, RegisterForm, TokenForm
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
        return _remember_language(super().form_valid(form), form.get_user())


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
