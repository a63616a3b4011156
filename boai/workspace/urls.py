from django.urls import path

from boai.core.views import organisation_list

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", organisation_list, name="organisations"),
]
