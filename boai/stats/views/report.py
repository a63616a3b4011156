"""report pages (see urls.py)."""

urlpatterns: list = []
