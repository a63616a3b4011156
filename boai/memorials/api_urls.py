from rest_framework.routers import SimpleRouter

from .api import sites, wall

router = SimpleRouter()
for area in (
    sites,
    wall,
):
    area.register(router)
urlpatterns = router.urls
