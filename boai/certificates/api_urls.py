from rest_framework.routers import SimpleRouter

from .api import BatchViewSet, CertificateViewSet

router = SimpleRouter()
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("certificate-batches", BatchViewSet, basename="certificate-batch")
urlpatterns = router.urls
