"""Pages of wall."""

urlpatterns: list = []
public_urlpatterns: list = []
