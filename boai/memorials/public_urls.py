"""The memorials app's public pages (no staff account)."""

from .views import sites, wall

urlpatterns = sites.public_urlpatterns + wall.public_urlpatterns
