from django.urls import path

from . import views

app_name = "plugin_app"
urlpatterns = [path("", views.parcel_list, name="list")]
