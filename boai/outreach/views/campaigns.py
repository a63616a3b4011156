"""Pages of the campaigns area (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("")


urlpatterns = [
    path("events/<int:pk>/link/", _todo, name="event_link"),
    path("campaigns/", _todo, name="campaigns"),
]
public_urlpatterns: list = []
