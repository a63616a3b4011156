from rest_framework.routers import SimpleRouter

from .api import applications, people, practice, qualifications, training

router = SimpleRouter()
for area in (people, applications, training, qualifications, practice):
    area.register(router)
urlpatterns = router.urls
