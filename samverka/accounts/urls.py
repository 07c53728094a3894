from django.contrib.auth import views as auth_views
from django.urls import path

from samverka.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.two_factor_login, name="two_factor_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/delete/", views.token_delete, name="token_delete"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/export/", views.privacy_export, name="privacy_export"),
    path("privacy/erase/", views.privacy_erase, name="privacy_erase"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
