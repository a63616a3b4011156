"""population pages (see urls.py)."""

urlpatterns: list = []
