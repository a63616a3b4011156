"""Pages of payments."""

urlpatterns: list = []
public_urlpatterns: list = []
