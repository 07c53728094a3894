from django.contrib.auth import views as auth_views
from django.urls import path

from samverka.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/delete/", views.token_delete, name="token_delete"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/export/", views.privacy_export, name="privacy_export"),
    path("privacy/erase/", views.privacy_erase, name="privacy_erase"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
