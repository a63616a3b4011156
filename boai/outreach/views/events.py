"""Pages of the events area (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("")


urlpatterns = [
    path("events/", _todo, name="events"),
    path("events/calendar/", _todo, name="calendar"),
]
public_urlpatterns: list = []
