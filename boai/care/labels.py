"""Readable names of family care's audit actions (collected by ``audit.labels``). Workflow steps are
named by the engine; these are the other writes."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    # families
    "care.family.created": _("Donor family record created"),
    # follow-ups, contacts and visits, outcome letters
    # payments and budgets
    "care.payment.exported": _("Payments exported"),
    "care.budget.set": _("Payment budget set"),
    # ledger
}
