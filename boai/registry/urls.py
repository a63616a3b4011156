from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("new/", views.registration_create, name="create"),
    path("<int:pk>/", views.registration_detail, name="detail"),
    path("<int:pk>/unmask/", views.registration_unmask, name="unmask"),
    path("<int:pk>/change/", views.registration_amend, name="amend"),
    path("<int:pk>/withdraw/", views.registration_withdraw, name="withdraw"),
    path("<int:pk>/deceased/", views.registration_deceased, name="deceased"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.registration_attachment, name="attachment"),
]
