from django.urls import path

from samverka.directory import hsds_views, matching_views, transfer_views, views
from samverka.directory.search import views as search_views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("search/", search_views.search_page, name="search"),
    path("import/", transfer_views.import_start, name="import"),
    path("import/template/", transfer_views.import_template, name="import_template"),
    path("import/<int:pk>/", transfer_views.import_job, name="import_job"),
    path("import/<int:pk>/commit/", transfer_views.import_commit, name="import_commit"),
    path("export/", transfer_views.export, name="export"),
    path("hsds.json", hsds_views.hsds_download, name="hsds_export"),
    path("find-partners/", matching_views.find_partners, name="find_partners"),
    path("<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/members/", views.organisation_members, name="members"),
    path("<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/history/", views.organisation_history, name="history"),
    path("<int:pk>/places/", views.places_served, name="places"),
    path("<int:pk>/suggest/", views.suggest, name="suggest"),
    path("<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path(
        "<int:pk>/suggestions/<int:suggestion_pk>/decide/",
        views.suggestion_decide,
        name="suggestion_decide",
    ),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("claims/", views.claims, name="claims"),
    path("claims/<int:claim_pk>/decide/", views.claim_decide, name="claim_decide"),
    path("<int:pk>/entry-doors/", views.entry_doors, name="entry_doors"),
    path("<int:pk>/entry-doors/<int:door_pk>/", views.entry_door_edit, name="entry_door_edit"),
    path(
        "<int:pk>/entry-doors/<int:door_pk>/delete/",
        views.entry_door_delete,
        name="entry_door_delete",
    ),
]
