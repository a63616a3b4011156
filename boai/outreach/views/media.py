"""Pages of the media area (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("")


urlpatterns = [
    path("media/", _todo, name="media"),
]
public_urlpatterns: list = []
