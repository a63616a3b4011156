from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import (
    PublicConsentNoticeView,
    PublicLookupCodeView,
    PublicRegistrationView,
    PublicSmsCodeView,
    PublicVerifyView,
    RegistrationViewSet,
)
from .national_api import NationalExportView, NationalImportViewSet, NationalNumbersView, RefusalViewSet

router = SimpleRouter()
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("refusals", RefusalViewSet, basename="refusal")
router.register("national-imports", NationalImportViewSet, basename="national-import")
urlpatterns = [
    path("national-exports/", NationalExportView.as_view(), name="national-exports"),
    path("national-numbers/", NationalNumbersView.as_view(), name="national-numbers"),
    path("public/consent-notice/", PublicConsentNoticeView.as_view(), name="public-consent-notice"),
    path("public/sms-codes/", PublicSmsCodeView.as_view(), name="public-sms-codes"),
    path("public/registrations/", PublicRegistrationView.as_view(), name="public-registrations"),
    path("public/lookup-codes/", PublicLookupCodeView.as_view(), name="public-lookup-codes"),
    path("public/verify/<str:code>/", PublicVerifyView.as_view(), name="public-verify"),
    *router.urls,
]
