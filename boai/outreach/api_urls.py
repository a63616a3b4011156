from rest_framework.routers import SimpleRouter

from .api import campaigns, collect, events, fundraising, media

router = SimpleRouter()
for area in (events, campaigns, collect, media, fundraising):
    area.register(router)
urlpatterns = router.urls
