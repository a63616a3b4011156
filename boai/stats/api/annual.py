"""The annual and period figures API (see api_urls.py)."""

urlpatterns: list = []
