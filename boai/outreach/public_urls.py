"""Outreach's public pages (no staff account): a campaign's or an event's short link, ``/c/<code>/``."""

from .views import campaigns

urlpatterns = campaigns.public_urlpatterns
