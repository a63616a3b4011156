from rest_framework.routers import SimpleRouter

from .api import BodyCaseViewSet, OrganCaseViewSet

router = SimpleRouter()
router.register("organ-cases", OrganCaseViewSet, basename="organ-case")
router.register("body-cases", BodyCaseViewSet, basename="body-case")
urlpatterns = router.urls
