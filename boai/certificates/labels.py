"""Readable names of the certificates app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "certificates.batch.received": _("Blank certificates received by the province"),
    "certificates.stock.handed": _("Blank certificates handed to a unit"),
    "certificates.stock.received": _("Blank certificates received by the unit"),
    "certificates.certificate.issued": _("Certificate issued"),
    "certificates.certificate.used": _("Consent form used for a consent"),
    "certificates.certificate.voided": _("Certificate voided"),
    "certificates.certificate.lost": _("Certificate reported lost"),
    "certificates.certificate.returned": _("Certificate returned to the province"),
    "certificates.certificate.printed": _("Certificate printed"),
    "certificates.certificate.exported": _("Certificates exported"),
}
