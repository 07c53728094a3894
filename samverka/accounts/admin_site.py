# SPDX-License-Identifier: AGPL-3.0-or-later
"""Django's admin, open only to platform administrators who passed a second factor.

Installed as the default site (INSTALLED_APPS names VerifiedAdminConfig), so
every @admin.register lands here. The admin's own login page is the site's
two-step login, so there is no way in with a password alone.
"""

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class VerifiedAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        from samverka.accounts.twofactor import is_verified

        return super().has_permission(request) and is_verified(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        from samverka.accounts import twofactor
        from samverka.accounts.views import LoginView

        index = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return LoginView.as_view(next_page=index)(request)
        if self.has_permission(request):
            return redirect(index)
        if not twofactor.is_required(user):
            raise PermissionDenied  # logged in, but not a platform administrator
        query = urlencode({"next": request.GET.get("next") or index})
        if twofactor.has_two_factor(user):
            return redirect(f"{reverse('accounts:two_factor_login')}?{query}")
        return redirect("accounts:two_factor")


class VerifiedAdminConfig(AdminConfig):
    default_site = "samverka.accounts.admin_site.VerifiedAdminSite"
