from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
]

workspace_urlpatterns = [
    path("", views.user_list_view, name="user_list"),
    path("<int:pk>/", views.user_detail_view, name="user_detail"),
    path("<int:pk>/role/", views.user_role_view, name="user_role"),
    path("<int:pk>/active/", views.user_active_view, name="user_active"),
    path("<int:pk>/second-factor/", views.user_otp_reset_view, name="user_otp_reset"),
]
