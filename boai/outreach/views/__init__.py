"""Outreach's pages, by area; each module declares its urlpatterns (staff pages) and
public_urlpatterns (pages for everyone)."""
