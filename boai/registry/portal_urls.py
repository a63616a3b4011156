from django.urls import path

from . import public_views as views

app_name = "portal"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/received/", views.register_received, name="register_received"),
    path("my/card/", views.ecard, name="ecard"),
    path("my/card.pdf", views.ecard_pdf, name="ecard_pdf"),
    path("my/", views.mine, name="mine"),
    path("my/withdraw/", views.withdraw, name="withdraw"),
    path("my/change/", views.change, name="change"),
    path("my/leave/", views.leave, name="leave"),
    path("my/data.<str:fmt>", views.my_data, name="my_data"),
    path("my/erase/", views.erase, name="erase"),
    path("lookup/", views.lookup, name="lookup"),
    path("v/<str:code>/", views.verify, name="verify"),
]
