# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin
from django.urls import include, path

from samverka.api.views import api

urlpatterns = [
    path("", include("samverka.core.urls")),
    path("accounts/", include("samverka.accounts.urls")),
    path("organisations/", include("samverka.directory.urls")),
    path("partnerships/", include("samverka.partnerships.urls")),
    path("agreements/", include("samverka.agreements.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

# 404 and 403 use Django's handlers with templates/404.html and 403.html.
handler500 = "samverka.core.views.server_error"
