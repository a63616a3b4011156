"""Readable names of the core app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

from .workflow import workflow_action_label

AUDIT_LABELS = {
    "core.regions.loaded": _("Regions loaded"),
    "core.organisation.created": _("Organisation created"),
    "core.organisation.changed": _("Organisation changed"),
    "core.attachment.stored": _("Attachment uploaded"),
    "core.attachment.viewed": _("Attachment opened"),
    "core.attachment.swept": _("Unreferenced attachments removed"),
    "core.sms_code.purged": _("Expired SMS codes deleted"),
    "core.idempotency.purged": _("Old idempotency records deleted"),
    "core.partial_upload.purged": _("Half-written uploads deleted"),
}


# Every registered workflow's steps (``cases.organ.evaluating``), named by its declaration.
audit_label = workflow_action_label
