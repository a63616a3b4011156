from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    PublicLookupCodeView,
    PublicRegistrationView,
    PublicSmsCodeView,
    PublicVerifyView,
    RegistrationViewSet,
)

router = SimpleRouter()
router.register("registrations", RegistrationViewSet, basename="registration")
urlpatterns = [
    path("public/sms-codes/", PublicSmsCodeView.as_view(), name="public-sms-codes"),
    path("public/registrations/", PublicRegistrationView.as_view(), name="public-registrations"),
    path("public/lookup-codes/", PublicLookupCodeView.as_view(), name="public-lookup-codes"),
    path("public/verify/<str:code>/", PublicVerifyView.as_view(), name="public-verify"),
    *router.urls,
]
