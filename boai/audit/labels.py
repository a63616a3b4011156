"""Readable names of audit actions, for the auditor's pages (the dotted code stays in the log)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "accounts.login.succeeded": _("Logged in"),
    "accounts.login.failed": _("Login failed"),
    "accounts.logout": _("Logged out"),
    "accounts.otp.enrolled": _("Authenticator app set up"),
    "accounts.otp.reset": _("Authenticator app reset"),
    "accounts.password.changed": _("Password changed"),
    "accounts.token.issued": _("API token issued"),
    "accounts.user.created": _("Account created"),
    "accounts.user.role_changed": _("Role changed"),
    "accounts.user.enabled": _("Account enabled"),
    "accounts.user.disabled": _("Account disabled"),
    "core.regions.loaded": _("Regions loaded"),
    "core.organisation.created": _("Organisation created"),
    "core.organisation.changed": _("Organisation changed"),
    "core.attachment.stored": _("Attachment uploaded"),
    "core.attachment.viewed": _("Attachment opened"),
    "core.attachment.swept": _("Unreferenced attachments removed"),
    "registry.registration.created": _("Registration created"),
    "registry.registration.withdrawn": _("Registration withdrawn"),
    "registry.registration.amended": _("Registration changed"),
    "registry.registration.deceased": _("Marked deceased"),
    "registry.duplicate.merged": _("Duplicate registrations merged"),
    "registry.duplicate.dismissed": _("Possible duplicate dismissed"),
    "registry.import.uploaded": _("List uploaded for import"),
    "registry.import.committed": _("List imported"),
    "registry.import.report_downloaded": _("Import error report downloaded"),
    "registry.registration.exported": _("Registrations exported"),
    "registry.registration.data_copied": _("Copy of personal data downloaded by its holder"),
    "registry.registration.erased": _("Personal data erased on request"),
    "registry.registration.unmasked": _("Full personal data viewed"),
    "registry.registration.looked_up": _("Registration looked up by its holder"),
    "registry.refusal.recorded": _("Refusal made in life recorded"),
    "registry.registration.donated": _("Marked deceased — donated"),
    "cases.attachment.viewed": _("Case document opened"),
    "cases.export.downloaded": _("Cases exported"),
    "certificates.batch.received": _("Blank certificates received by the province"),
    "certificates.stock.handed": _("Blank certificates handed to a unit"),
    "certificates.stock.received": _("Blank certificates received by the unit"),
    "certificates.certificate.issued": _("Certificate issued"),
    "certificates.certificate.voided": _("Certificate voided"),
    "certificates.certificate.lost": _("Certificate reported lost"),
    "certificates.certificate.returned": _("Certificate returned to the province"),
    "certificates.certificate.printed": _("Certificate printed"),
    "certificates.certificate.exported": _("Certificates exported"),
    "security.access.denied": _("Access outside scope refused"),
    "security.permission.denied": _("Permission refused"),
    "security.keys.rotated": _("Encryption keys rotated"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    if action.startswith("cases."):  # one per workflow step: named by the workflow's declaration
        from boai.cases.workflow import action_label as case_action_label

        return case_action_label(action) or action
    return action
