from django.urls import path

from . import views
from .models import Kind

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("print/", views.certificate_print, name="print"),
    path("stock/", views.stock, name="stock"),
    path("stock/transfers/<int:pk>/confirm/", views.transfer_confirm, name="transfer_confirm"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("consent-forms/", views.stock, {"kind": Kind.ORGAN_CONSENT}, name="consent_stock"),
    path(
        "consent-forms/reconciliation/",
        views.reconciliation,
        {"kind": Kind.ORGAN_CONSENT},
        name="consent_reconciliation",
    ),
    path("issue/<int:case_pk>/", views.issue, name="issue"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate_pdf, name="pdf"),
    path("<int:pk>/void/", views.certificate_void, name="void"),
    path("<int:pk>/lost/", views.certificate_lost, name="lost"),
    path("<int:pk>/return/", views.certificate_return, name="return"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="reissue"),
    path("<int:pk>/photos/<int:attachment_id>/", views.photo, name="photo"),
]

public_urlpatterns = [path("verify/", views.verify, name="verify")]
