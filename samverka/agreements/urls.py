# SPDX-License-Identifier: AGPL-3.0-or-later
from django.urls import path

from samverka.agreements import views

app_name = "agreements"
urlpatterns = [
    path("for/<int:partnership_pk>/", views.partnership_agreements, name="list"),
    path("<int:pk>/", views.agreement_detail, name="agreement"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/contributions/", views.contributions, name="contributions"),
    path("<int:pk>/principles/", views.principles, name="principles"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path(
        "<int:pk>/versions/<int:number>/document.<str:kind>",
        views.document,
        name="document",
    ),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/status/", views.change_status, name="status"),
]
