# SPDX-License-Identifier: AGPL-3.0-or-later
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from samverka.accounts.models import Membership
from samverka.accounts.services import set_user_language
from samverka.agreements.services import needing_attention
from samverka.directory.models import Organisation
from samverka.partnerships.models import PartnershipMember
from samverka.partnerships.services import pending_invitations

logger = logging.getLogger(__name__)

# When even the friendly 500 page cannot be rendered (say, the static manifest
# is missing): plain HTML in the four languages, needing nothing.
PLAIN_SERVER_ERROR = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Samverka</title></head>
<body><main><h1>Something went wrong · Något gick fel · Noe gikk galt · Noget gik galt</h1>
<p>The error has been logged. Please try again in a few minutes.</p></main></body></html>
"""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    memberships: list[Membership] = []
    attention = []
    invitations: list[PartnershipMember] = []
    if request.user.is_authenticated:
        attention = needing_attention(request.user, timezone.localdate())
        invitations = pending_invitations(request.user)
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
        {
            "memberships": memberships,
            "latest": latest,
            "attention": attention,
            "invitations": invitations,
        },
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
    """503 when the database does not answer. A real query: a kept connection
    looks open to ensure_connection() even after the server has dropped it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the friendly page in the active language, rendered without
    the request or the database, since either may be what failed."""
    try:
        html = loader.render_to_string("500.html")
    except Exception:  # whatever broke the page must not hide the original error
        logger.exception("The 500 page could not be rendered")
        html = PLAIN_SERVER_ERROR
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a friendly 403 in the visitor's language instead of
    Django's English technical page (the reason is for logs, not visitors)."""
    return render(request, "403_csrf.html", status=403)
