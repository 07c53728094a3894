# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from samverka.accounts.models import Membership
from samverka.accounts.services import set_user_language
from samverka.agreements.services import needing_attention
from samverka.directory.models import Organisation


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    memberships: list[Membership] = []
    attention = []
    if request.user.is_authenticated:
        attention = needing_attention(request.user, timezone.localdate())
        memberships = list(
            Membership.objects.filter(user=request.user)
            .select_related("organisation")
            .order_by("organisation__name")
        )
    # Newest by primary key: an index walk, where created_at would sort 400,000 rows.
    latest = Organisation.objects.order_by("-id").only("name", "sector", "country")[:6]
    return render(
        request,
        "core/home.html",
        {"memberships": memberships, "latest": latest, "attention": attention},
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, when logged
    in, on the user so it follows them to other devices."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        if request.user.is_authenticated:
            set_user_language(user=request.user, language=language)
    return response


@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """The trivial view the benchmark compares every page with."""
    return HttpResponse("pong", content_type="text/plain")


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    connection.ensure_connection()
    return JsonResponse({"status": "ok"})
