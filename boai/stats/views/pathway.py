"""pathway pages (see urls.py)."""

urlpatterns: list = []
