"""Pages of followups."""

urlpatterns: list = []
public_urlpatterns: list = []
