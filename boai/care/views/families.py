"""Pages of families."""

urlpatterns: list = []
public_urlpatterns: list = []
