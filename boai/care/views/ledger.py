"""Pages of ledger."""

urlpatterns: list = []
public_urlpatterns: list = []
