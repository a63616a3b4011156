"""Readable names of the cases app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

from .workflow import action_label

AUDIT_LABELS = {
    "cases.attachment.viewed": _("Case document opened"),
    "cases.export.downloaded": _("Cases exported"),
}


# One label per workflow step (``cases.organ.evaluating``), named by the workflow's declaration.
audit_label = action_label
