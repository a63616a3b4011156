"""Family care's published figures (``core.figures``): days in Beijing time, the family's county."""

from datetime import date

from django.db.models import Count, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .models import Channel, Contact, Family, LedgerEntry, PaymentKind


def families(year: int, region_prefix: str) -> int:
    return Family.objects.filter(donated_on__lte=date(year, 12, 31), region__code__startswith=region_prefix).count()


def _home_visits(year: int, region_prefix: str):
    return Contact.objects.filter(
        channel=Channel.VISIT,
        occurred_on__gte=date(year, 1, 1),
        occurred_on__lt=date(year + 1, 1, 1),
        family__region__code__startswith=region_prefix,
    )


def visited_households(year: int, region_prefix: str) -> int:
    return _home_visits(year, region_prefix).values("family_id").distinct().count()


def visited_person_visits(year: int, region_prefix: str) -> int:
    visits = (
        _home_visits(year, region_prefix).annotate(members=Count("members_met")).values_list("members", "others_met")
    )
    return sum(members + others for members, others in visits)


FIGURES: list = [
    Figure(
        code="care.families",
        label=_("Donor families in the database"),
        definition=_(
            "Family records whose date of donation is on or before the end of the year, counted in the family's county."
        ),
        count=families,
    ),
    # follow-ups
    Figure(
        code="care.families_visited_households",
        label=_("Donor households visited"),
        definition=_(
            "Distinct donor families with at least one home visit dated (Beijing day) in the year (phone"
            " calls, letters and"
            " messages are not counted); counted in the family's county."
        ),
        count=visited_households,
    ),
    Figure(
        code="care.families_visited_person_visits",
        label=_("Person-visits to donor families"),
        definition=_(
            "For each home visit dated in the year, the people met: the family members met plus the others met"
            " (a visit is recorded only with at least one person met); summed. A household visited twice,"
            " meeting two people each time, counts one household and four person-visits. In the family's county."
        ),
        count=visited_person_visits,
    ),
]

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

FIGURES += PAYMENT_FIGURES
