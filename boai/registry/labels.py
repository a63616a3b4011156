"""Readable names of the registry app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

# Reasons the system writes into an audit entry: stored in English, shown translated (audit.labels).
CHANGE_FORM_OPENED = "opened the change form"
AUDIT_REASONS = {CHANGE_FORM_OPENED: _("opened the change form")}

AUDIT_LABELS = {
    "registry.registration.created": _("Registration created"),
    "registry.registration.withdrawn": _("Registration withdrawn"),
    "registry.registration.amended": _("Registration changed"),
    "registry.registration.deceased": _("Marked deceased"),
    "registry.duplicate.merged": _("Duplicate registrations merged"),
    "registry.duplicate.dismissed": _("Possible duplicate dismissed"),
    "registry.held.created": _("Entry held for review at province level"),
    "registry.held.merged": _("Held entry: same person, not entered again"),
    "registry.held.rejected": _("Held entry rejected: the ID number must be checked"),
    "registry.held.registered": _("Held entry registered"),
    "registry.import.uploaded": _("List uploaded for import"),
    "registry.import.resumed": _("Stalled import resumed"),
    "registry.import.cancelled": _("Import cancelled"),
    "registry.import.committed": _("List imported"),
    "registry.import.report_downloaded": _("Import error report downloaded"),
    "registry.import.files_purged": _("Old import lists and error reports deleted"),
    "registry.registration.exported": _("Registrations exported"),
    "registry.registration.data_copied": _("Copy of personal data downloaded by its holder"),
    "registry.registration.erased": _("Personal data erased on request"),
    "registry.registration.unmasked": _("Full personal data viewed"),
    "registry.registration.looked_up": _("Registration looked up by its holder"),
    "registry.registration.register_again": _("Someone tried to register this ID number again online"),
    "registry.refusal.recorded": _("Refusal made in life recorded"),
    "registry.refusal.revoked": _("Refusal made in life revoked"),
    "registry.national.imported": _("National registry export imported"),
    "registry.national.exported": _("Registrations exported for the national registry"),
    "registry.national.numbers_recorded": _("National registration numbers recorded"),
    "registry.registration.donated": _("Marked deceased — donated"),
}
