"""The review levels of a payment and who reviews at each, shared by the workflow and the reads (so
that neither imports the other's module for them). The levels themselves are the Platform's
(``boai.core.review_levels``), the same as the coordinators' applications'."""

from django.utils.translation import gettext_lazy

from boai.core.review_levels import (  # noqa: F401  (re-exported for the workflow, services and reads)
    COUNTY,
    LEVEL_LABELS,
    LEVELS,
    PREFECTURE,
    PROVINCE,
    LevelReview,
    Texts,
    branch_region,
    current_level,
    is_last_level,
)

from .models import Payment, PaymentReview

LEVEL_NAMES = {
    COUNTY: gettext_lazy("County"),
    PREFECTURE: gettext_lazy("Prefecture"),
    PROVINCE: gettext_lazy("Province"),
}

REVIEW = LevelReview(
    model=Payment,
    area="region",
    submitter="applied_by",
    review_model=PaymentReview,
    review_subject="payment",
    codes={
        "reviewer": "care.review_level",
        "own": "care.not_own_application",
        "withdraw": "care.withdraw_before_decision",
    },
    texts=Texts(
        no_level_left=gettext_lazy("the payment has no level left to review"),
        reviewer_rule=gettext_lazy(
            "A payment is decided only by the Red Cross branch of the level now reviewing it, whose area covers "
            "the family's county."
        ),
        own_rule=gettext_lazy("A payment is not decided by the account that applied for it."),
        own_refusal=gettext_lazy("you applied for it"),
        withdraw_rule=gettext_lazy("A payment is withdrawn only before any level has decided it."),
        last_level=gettext_lazy("This is the last level: approving it approves the payment."),
        levels_remain=gettext_lazy("Levels remain: approving passes the payment to the next level."),
    ),
)


def prefecture_code(county_code: str) -> str:
    return county_code[:4] + "00"


def approvers(payment: Payment) -> set[int]:
    return set(payment.reviews.filter(decision=PaymentReview.Decision.APPROVED).values_list("reviewer_id", flat=True))
