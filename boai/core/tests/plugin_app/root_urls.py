"""The project's URLs plus the one line a programme adds."""

from django.urls import include, path

from config.urls import *  # noqa: F403 - the project's handlers and patterns, unchanged
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("workspace/parcels/", include("boai.core.tests.plugin_app.urls"))]
