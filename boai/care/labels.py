"""Readable names of family care's audit actions (collected by ``audit.labels``). Workflow steps are
named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # families
    "care.family.created": _("Donor family record created"),
    # follow-ups, contacts and visits, outcome letters
    "care.settings.changed": _("Family care settings changed"),
    "care.follow_ups.planned": _("Follow-ups planned"),
    "care.family.wishes_changed": _("Family's wishes changed"),
    "care.contact.recorded": _("Contact or visit recorded"),
    "care.follow_up.reminded": _("Follow-up reminder sent"),
    # payments and budgets
    # ledger
}
