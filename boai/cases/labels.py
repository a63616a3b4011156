"""Readable names of the cases app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "cases.attachment.viewed": _("Case document opened"),
    "cases.export.downloaded": _("Cases exported"),
    "cases.unit_staff.added": _("Procurement or transplant staff recorded"),
    "cases.unit_staff.removed": _("Procurement or transplant staff taken off the list"),
}
