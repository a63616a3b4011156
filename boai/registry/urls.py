from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("<int:pk>/unmask/", views.registration_unmask, name="unmask"),
]
