"""Readable names of family care's audit actions (collected by ``audit.labels``). Workflow steps are
named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # families
    "care.family.created": _("Donor family record created"),
    "care.family.changed": _("Donor family record changed"),
    "care.family.member_added": _("Family member added"),
    "care.family.member_changed": _("Family member changed"),
    "care.family.member_removed": _("Family member removed from the list"),
    "care.family.revealed": _("Family contacts shown in full"),
    "care.family.exported": _("Donor families exported"),
    "care.outcome_letter.issued": _("Outcome letter written"),
    # follow-ups, contacts and visits, outcome letters
    "care.settings.changed": _("Family care settings changed"),
    "care.follow_ups.planned": _("Follow-ups planned"),
    "care.family.wishes_changed": _("Family's wishes changed"),
    "care.contact.recorded": _("Contact or visit recorded"),
    "care.follow_up.reminded": _("Follow-up reminder sent"),
    # payments and budgets
    "care.payment.exported": _("Payments exported"),
    "care.budget.set": _("Payment budget set"),
    # ledger
    "care.ledger.checked": _("Payments ledger checked against the audit log"),
}
