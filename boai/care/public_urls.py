"""The care app's public pages (no staff account)."""

from .views import families, followups, ledger, payments

urlpatterns = (
    families.public_urlpatterns + followups.public_urlpatterns + payments.public_urlpatterns + ledger.public_urlpatterns
)
