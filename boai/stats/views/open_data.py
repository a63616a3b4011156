"""open_data pages (see urls.py)."""

urlpatterns: list = []
public_urlpatterns: list = []
