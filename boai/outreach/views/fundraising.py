"""Pages of the fundraising area (placeholder until the area is built)."""

from django.http import HttpResponse
from django.urls import path


def _todo(request):
    return HttpResponse("")


urlpatterns = [
    path("fundraising/", _todo, name="fundraising"),
]
public_urlpatterns: list = []
