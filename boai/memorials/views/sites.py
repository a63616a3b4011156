"""Pages of sites."""

urlpatterns: list = []
public_urlpatterns: list = []
