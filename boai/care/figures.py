"""Family care's published figures (``core.figures``): days in Beijing time, the family's county."""

from datetime import date

from django.db.models import Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .models import LedgerEntry, PaymentKind

# --- payments --------------------------------------------------------------------------------------


def _ledger(kind: str, year: int, region_prefix: str):
    return LedgerEntry.objects.filter(
        kind=kind,
        paid_on__gte=date(year, 1, 1),
        paid_on__lt=date(year + 1, 1, 1),
        payment__region__code__startswith=region_prefix,
    )


def payments_count(kind: str):
    def count(year: int, region_prefix: str) -> int:
        return _ledger(kind, year, region_prefix).filter(reverses__isnull=True, reversed_by__isnull=True).count()

    return count


def payments_amount(kind: str):
    def amount(year: int, region_prefix: str) -> int:
        return _ledger(kind, year, region_prefix).aggregate(s=Sum("amount_fen"))["s"] or 0

    return amount


PAYMENT_FIGURES = [
    figure
    for kind, label in PaymentKind.choices
    for figure in (
        Figure(
            code=f"care.payments_{kind}_count",
            label=format_lazy("{}: {}", _("Payments paid"), label),
            definition=_(
                "Payments of this kind whose ledger entry is dated (paid on, Beijing time) in the year and that "
                "have not been reversed since; counted in the family's county."
            ),
            count=payments_count(kind),
        ),
        Figure(
            code=f"care.payments_{kind}_amount",
            label=format_lazy("{}: {}", _("Amount paid (fen)"), label),
            definition=_(
                "The net sum in fen of the ledger entries of this kind dated in the year: payments made, less "
                "reversals dated in the year (a reversal counts in the year it is dated); in the family's county."
            ),
            count=payments_amount(kind),
        ),
    )
]

FIGURES: list = [*PAYMENT_FIGURES]
