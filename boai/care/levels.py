"""The review levels of a payment and who reviews at each, shared by the workflow and the reads (so
that neither imports the other's module for them)."""

from django.utils.translation import gettext_lazy

from .models import Payment, PaymentReview

COUNTY, PREFECTURE, PROVINCE = "county", "prefecture", "province"
LEVELS = (COUNTY, PREFECTURE, PROVINCE)
LEVEL_NAMES = {
    COUNTY: gettext_lazy("County"),
    PREFECTURE: gettext_lazy("Prefecture"),
    PROVINCE: gettext_lazy("Province"),
}
LEVEL_LABELS = {
    COUNTY: gettext_lazy("the county branch"),
    PREFECTURE: gettext_lazy("the prefecture branch"),
    PROVINCE: gettext_lazy("the provincial branch"),
}


def branch_region(level: str, county_code: str) -> str:
    """The region code of the Red Cross branch that reviews at ``level`` a payment of ``county_code``."""
    if level == COUNTY:
        return county_code
    if level == PREFECTURE:
        return county_code[:4] + "00"
    return county_code[:2] + "0000"


def prefecture_code(county_code: str) -> str:
    return county_code[:4] + "00"


def current_level(payment: Payment) -> str | None:
    levels = payment.level_list()
    return levels[payment.level] if payment.level < len(levels) else None


def is_last_level(payment: Payment) -> bool:
    return payment.level >= len(payment.level_list()) - 1


def approvers(payment: Payment) -> set[int]:
    return set(payment.reviews.filter(decision=PaymentReview.Decision.APPROVED).values_list("reviewer_id", flat=True))
