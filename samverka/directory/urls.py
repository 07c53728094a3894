from django.urls import path

from samverka.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="organisations"),
    path("<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/members/", views.organisation_members, name="members"),
    path("<int:pk>/members/<int:membership_pk>/role/", views.member_role, name="member_role"),
    path("<int:pk>/members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/history/", views.organisation_history, name="history"),
    path("<int:pk>/entry-doors/", views.entry_doors, name="entry_doors"),
    path("<int:pk>/entry-doors/<int:door_pk>/", views.entry_door_edit, name="entry_door_edit"),
    path(
        "<int:pk>/entry-doors/<int:door_pk>/delete/",
        views.entry_door_delete,
        name="entry_door_delete",
    ),
]
