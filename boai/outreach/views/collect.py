"""Pages of the collect area (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("")


urlpatterns = [
    path("events/<int:pk>/collect/", _todo, name="collect"),
]
public_urlpatterns: list = []
