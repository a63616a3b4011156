"""Statistics' public pages (no staff account): the open data."""

from .views import open_data

urlpatterns = open_data.public_urlpatterns
