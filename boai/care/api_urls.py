from rest_framework.routers import SimpleRouter

from .api import families, followups, ledger, payments

router = SimpleRouter()
for area in (
    families,
    followups,
    payments,
    ledger,
):
    area.register(router)
urlpatterns = router.urls
