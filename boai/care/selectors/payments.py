"""Reads of the payments: the list (with "awaiting my decision" and "to pay"), one payment with its
levels as a progress bar, its documents and ledger entries, the menu's badge, the family page's panel,
and the budgets with what is committed, paid and remaining. Scoped only through ``accounts.scoping``.

Which budget funds a payment: the budget of the family's prefecture for the payment's year and kind;
where the prefecture has none, the province's (code 530000). Committed: payments approved and not yet
paid; paid: the ledger's net sum (reversals subtract) of the payments of that year."""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from boai.accounts.roles import actor_has_perm
from boai.accounts.scoping import visible
from boai.core.models import Attachment, Region
from boai.core.review_levels import Stage, branch_level, where
from boai.core.review_levels import stages as level_stages

from ..levels import LEVEL_NAMES, REVIEW, approvers, prefecture_code
from ..models import Budget, LedgerEntry, Payment, PaymentReview

DOCUMENT_KIND = "payment_document"
PROVINCE_CODE = "530000"

# --- awaiting my decision, to pay ------------------------------------------------------------------


def reviewer_level(user) -> str | None:
    """The level the user's Red Cross branch reviews payments at, if they may review at all."""
    return branch_level(user) if actor_has_perm(user, "care.review") else None


def _awaiting_q(user) -> Q | None:
    return REVIEW.awaiting_q(user, reviewer_level(user))  # not what they applied for (not_own_application)


def awaiting(user) -> QuerySet:
    q = _awaiting_q(user)
    if q is None:
        return Payment.objects.none()
    return visible(user, Payment, perm="care.review").filter(q)


def awaiting_count(user) -> int:
    """The menu's badge: how many payments await the user's decision."""
    if not (user and user.is_authenticated):
        return 0
    return awaiting(user).count()


def to_pay(user) -> QuerySet:
    """Approved payments in the user's area that the user may pay (they approved them at no level)."""
    if not (user and user.is_authenticated) or not actor_has_perm(user, "care.pay"):
        return Payment.objects.none()
    return (
        visible(user, Payment, perm="care.pay")
        .filter(state=Payment.State.APPROVED)
        .exclude(reviews__reviewer_id=user.pk, reviews__decision=PaymentReview.Decision.APPROVED)
    )


def to_pay_count(user) -> int:
    return to_pay(user).count()


# --- the list --------------------------------------------------------------------------------------


def area_prefix(code: str) -> str:
    """The code prefix of an area: 53 for the province, 5301 for a prefecture, the county's own code."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def payment_list(
    *,
    user,
    state: str = "",
    kind: str = "",
    year: int | None = None,
    county: str = "",
    mine: bool = False,
    payable: bool = False,
    family=None,
) -> QuerySet:
    qs = visible(user, Payment, perm="care.view").select_related("family", "region")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(year=year)
    if county:
        qs = qs.filter(region__code__startswith=area_prefix(county))
    if family is not None:
        qs = qs.filter(family_id=family)
    if payable:
        qs = qs.filter(pk__in=to_pay(user).values("pk"))
    q = _awaiting_q(user)
    if mine:
        qs = qs.filter(q) if q is not None else qs.none()
    if q is None:
        return qs.order_by("-applied_at", "-id")
    first = Case(When(q, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(awaits=first).order_by("awaits", "-applied_at", "-id")


def counts(qs: QuerySet) -> dict:
    """How many payments of the list are in each state, and their amount."""
    rows = qs.order_by().values("state").annotate(n=Count("id"), fen=Sum("amount_fen"))
    by_state = {row["state"]: row for row in rows}
    return [
        {
            "state": state,
            "label": label,
            "n": by_state.get(state, {}).get("n") or 0,
            "fen": by_state.get(state, {}).get("fen") or 0,
        }
        for state, label in Payment.State.choices
    ]


def decorate(payment: Payment, user=None) -> Payment:
    """``where``: a sentence of where the payment stands."""
    payment.where = where(payment)
    payment.awaits_me = getattr(payment, "awaits", 1) == 0
    return payment


def marked(rows) -> list:
    return [decorate(row) for row in rows]


def stages(payment: Payment) -> list[Stage]:
    return level_stages(payment, lambda level: str(LEVEL_NAMES.get(level, level)))


def ledger_entries(payment: Payment) -> QuerySet:
    return payment.ledger.select_related("recorded_by", "prefecture").order_by("id")


def documents(payment: Payment) -> QuerySet:
    return Attachment.objects.filter(owner_type="care.payment", owner_id=str(payment.pk), kind=DOCUMENT_KIND).order_by(
        "uploaded_at", "id"
    )


def document(payment: Payment, attachment_id) -> Attachment | None:
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        return None
    return documents(payment).filter(pk=attachment_id).first()


def is_approver(payment: Payment, user) -> bool:
    return getattr(user, "pk", None) in approvers(payment)


# --- budgets ---------------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    budget: Budget
    committed: int
    paid: int

    @property
    def used(self) -> int:
        return self.committed + self.paid

    @property
    def remaining(self) -> int:
        return self.budget.amount_fen - self.committed - self.paid

    @property
    def committed_pct(self) -> int:
        return _pct(self.committed, self.budget.amount_fen)

    @property
    def paid_pct(self) -> int:
        return _pct(max(self.paid, 0), self.budget.amount_fen)

    @property
    def over(self) -> bool:
        return self.remaining < 0


def _pct(part: int, whole: int) -> int:
    if whole <= 0:
        return 100 if part > 0 else 0
    return max(0, min(100, round(100 * part / whole)))


def _charged(budget: Budget) -> Q:
    """The payments (of ``Payment``) charged to ``budget``."""
    q = Q(year=budget.year, kind=budget.kind)
    if budget.region_id != PROVINCE_CODE:
        return q & Q(region__code__startswith=budget.region_id[:4])
    own = Budget.objects.filter(year=budget.year, kind=budget.kind).exclude(region_id=PROVINCE_CODE)
    q &= Q(region__code__startswith=PROVINCE_CODE[:2])
    for prefix in own.values_list("region_id", flat=True):
        q &= ~Q(region__code__startswith=prefix[:4])
    return q


def budget_row(budget: Budget) -> BudgetRow:
    charged = _charged(budget)
    committed = Payment.objects.filter(charged, state=Payment.State.APPROVED).aggregate(s=Sum("amount_fen"))["s"] or 0
    paid = (
        LedgerEntry.objects.filter(payment__in=Payment.objects.filter(charged)).aggregate(s=Sum("amount_fen"))["s"] or 0
    )
    return BudgetRow(budget=budget, committed=committed, paid=paid)


def funding_budget(payment: Payment, *, lock: bool = False) -> Budget | None:
    """The budget a payment is charged to (its prefecture's, else the province's); locked when asked, so
    that two approvals at once cannot both take the last of it."""
    qs = Budget.objects.filter(year=payment.year, kind=payment.kind)
    if lock:
        qs = qs.select_for_update()
    return qs.filter(region_id=prefecture_code(payment.region_id)).first() or qs.filter(region_id=PROVINCE_CODE).first()


def budget_table(*, user, year: int) -> list[BudgetRow]:
    """The year's budgets the user may read (those of their prefecture and the province's)."""
    rows = Budget.objects.filter(year=year).select_related("region").order_by("region_id", "kind")
    prefix = getattr(getattr(user, "organization", None), "region_id", "") or ""
    if prefix and not prefix.endswith("0000"):
        rows = rows.filter(Q(region_id=PROVINCE_CODE) | Q(region_id=prefecture_code(prefix)))
    return [budget_row(b) for b in rows]


def budget_years() -> list[int]:
    return sorted(set(Budget.objects.values_list("year", flat=True)), reverse=True)


def prefectures() -> QuerySet:
    """The province (530000) and its own prefectures: the only places a budget is set."""
    return Region.objects.filter(
        Q(level=Region.Level.PREFECTURE, code__startswith=PROVINCE_CODE[:2]) | Q(code=PROVINCE_CODE)
    ).order_by("code")


def sees_reason(user) -> bool:
    """A payment's reason (the family's hardship) is read only by those who apply, review or pay, and the
    auditors; other readers of the payments (coordinators...) see that it is withheld."""
    from boai.accounts.roles import Role

    return any(user.has_perm(p) for p in ("care.apply", "care.review", "care.pay")) or (
        getattr(user, "role", "") == Role.AUDITOR
    )
