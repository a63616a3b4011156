"""Payments to donor families: applying (with documents), each level's decision, withdrawing, paying
(the ledger entry) and reversing (a second, negative entry), the yearly budgets, and the audited
export of the list. Every write checks its rules here, in one transaction with its audit entry; the
steps go through the workflow engine (``care.workflow``)."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import actor_has_perm, check_perm
from boai.accounts.scoping import sees
from boai.audit.services import audit_log
from boai.core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from boai.core.models import Attachment, Region
from boai.core.services import PROVINCE_CODE, attachment_store
from boai.core.workflow import rules_check, transition_guard, transition_take
from boai.lib.money import MAX_FEN, format_fen

from ..models import Budget, CareSettings, Family, Payment, PaymentKind, PaymentReview
from ..selectors.payments import DOCUMENT_KIND, budget_row
from ..workflow import LEVELS, PAYMENT, is_last_level

MAX_DOCUMENTS = 10
DEFAULT_MAX_YUAN = 200000  # no single payment to a family comes near it
MAX_REASON = 2000
MAX_REVIEW_REASON = 500
MAX_NOTE = 300
MAX_VOUCHER = 64
# a voucher number as banks and receipt books write it: letters, digits, Chinese characters, - / _ . and spaces
VOUCHER_SHAPE = re.compile(r"[\w\-/. ]+")
OPEN_STATES = (Payment.State.IN_REVIEW, Payment.State.APPROVED)
RANK = {level: n for n, level in enumerate(LEVELS)}
AREA_RANK = {Region.Level.COUNTY: 0, Region.Level.PREFECTURE: 1, Region.Level.PROVINCE: 2}


def max_payment_fen() -> int:
    """The most one payment may be: ``BOAI_CARE_PAYMENT_MAX_YUAN`` (200,000 yuan unless set), in fen."""
    try:
        yuan = Decimal(str(getattr(settings, "BOAI_CARE_PAYMENT_MAX_YUAN", DEFAULT_MAX_YUAN)))
    except InvalidOperation:
        yuan = Decimal(DEFAULT_MAX_YUAN)
    return int(yuan * 100) if yuan > 0 else DEFAULT_MAX_YUAN * 100


def configured_levels() -> list[str]:
    """The review levels of the one settings row (defaults when there is none), known levels only."""
    row = CareSettings.objects.order_by("pk").first()
    text = row.payment_levels if row is not None else "county,prefecture,province"
    levels = [level.strip() for level in text.split(",") if level.strip() in RANK]
    return sorted(dict.fromkeys(levels), key=RANK.__getitem__)


def levels_for(area: Region, configured: list[str]) -> list[str]:
    """The levels a payment of a family in ``area`` goes through: those below the area's level skipped."""
    own = AREA_RANK.get(area.level, 0)
    return [level for level in configured if RANK[level] >= own]


# --- applying --------------------------------------------------------------------------------------


def apply_refusal(*, actor, family: Family) -> DomainError | None:
    if not actor_has_perm(actor, "care.apply"):
        return NotAllowed()
    if not sees(actor, family, perm="care.apply"):
        return NotAllowed(_("This family is outside your area."))
    return None


def payment_apply(*, actor, family: Family, kind: str, amount_fen: int, reason: str, documents=(), now=None) -> Payment:
    """Apply for a payment to ``family``. A family that asked not to be contacted may still receive
    money: nothing here looks at its wishes."""
    now = now or timezone.now()
    refusal = apply_refusal(actor=actor, family=family)
    if refusal is not None:
        raise refusal
    if kind not in PaymentKind.values:
        raise InvalidInput(_("Choose the kind of payment."), field="kind")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    if amount_fen > max_payment_fen():
        raise InvalidInput(
            _("The amount is too large: one payment is at most %(max)s yuan.") % {"max": format_fen(max_payment_fen())},
            field="amount",
        )
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("Say why the family should receive this payment (at least 4 characters)."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("Keep the reason to at most %(n)d characters.") % {"n": MAX_REASON}, field="reason")
    documents = [d for d in documents if d]
    if not documents:
        raise InvalidInput(
            _("Attach at least one document (the application or a supporting paper): PDF, JPEG or PNG."),
            field="documents",
        )
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidInput(_("Attach at most %(n)d documents.") % {"n": MAX_DOCUMENTS}, field="documents")
    with transaction.atomic():
        # the family's row locked: two clicks of the same application cannot both pass the check below
        family = Family.objects.select_for_update().get(pk=family.pk)
        open_one = (
            Payment.objects.filter(family=family, kind=kind, state__in=OPEN_STATES).order_by("applied_at", "id").first()
        )
        if open_one is not None:
            raise Conflict(
                _(
                    "This family already has an application of this kind not yet paid: payment #%(no)s of "
                    "%(day)s (%(state)s). Withdraw it or wait until it is decided and paid."
                )
                % {
                    "no": open_one.pk,
                    "day": timezone.localdate(open_one.applied_at).isoformat(),
                    "state": open_one.get_state_display(),
                },
                code="care.payment_open",
                field="kind",
            )
        levels = levels_for(family.region, configured_levels())
        if not levels:
            raise Conflict(
                _("No configured review level covers a family of this area: the province's settings must name one."),
                code="care.review_levels",
            )
        payment = Payment.objects.create(
            family=family,
            kind=kind,
            amount_fen=amount_fen,
            reason=reason,
            region=family.region,
            year=timezone.localdate(now).year,
            levels=",".join(levels),
            level=0,
            applied_by=actor,
            applied_at=now,
        )
        for upload in documents:
            try:
                attachment_store(owner=payment, kind=DOCUMENT_KIND, upload=upload, actor=actor, now=now)
            except InvalidInput as exc:
                raise InvalidInput(
                    _("%(file)s: %(message)s") % {"file": getattr(upload, "name", ""), "message": exc.message},
                    field="documents",
                ) from exc
        audit_log(
            action=PAYMENT.action(None),
            actor=actor,
            obj=payment,
            changes={
                "family": family.pk,
                "kind": kind,
                "amount_fen": amount_fen,
                "levels": payment.levels,
                "documents": len(documents),
            },
            now=now,
        )
    return payment


# --- deciding --------------------------------------------------------------------------------------


def _step_refusal(payment, to, actor, perm) -> DomainError | None:
    try:
        step = transition_guard(PAYMENT, payment, to=to, actor=actor, version=None)
        rules_check([r for r in step.rules if r.code != "care.within_budget"], payment, {}, actor)
    except DomainError as exc:
        return exc
    if not sees(actor, payment, perm=perm):
        return NotAllowed(_("This payment is outside your area."))
    return None


def review_refusal(*, actor, payment: Payment) -> DomainError | None:
    """Why ``actor`` may not decide ``payment`` now (None: the decision form is theirs)."""
    return _step_refusal(payment, Payment.State.REJECTED, actor, "care.review")


def withdraw_refusal(*, actor, payment: Payment) -> DomainError | None:
    return _step_refusal(payment, Payment.State.WITHDRAWN, actor, "care.apply")


def pay_refusal(*, actor, payment: Payment) -> DomainError | None:
    return _step_refusal(payment, Payment.State.PAID, actor, "care.pay")


def reverse_refusal(*, actor, payment: Payment) -> DomainError | None:
    return _step_refusal(payment, Payment.State.REVERSED, actor, "care.pay")


def _in_scope(actor, payment, perm) -> None:
    if actor_has_perm(actor, perm) and not sees(actor, payment, perm=perm):
        raise NotAllowed(_("This payment is outside your area."))


def _text_check(value, *, field: str, most: int, message) -> str:
    value = (value or "").strip()
    if len(value) > most:
        raise InvalidInput(message % {"n": most}, field=field)
    return value


def payment_review(
    *, actor, payment: Payment, decision: str, reason: str = "", version: int | None = None, now=None
) -> Payment:
    """One level's decision: approved (on to the next level, or approved at the last, within the budget)
    or rejected with a reason. ``version``: the payment's version the decider read (refused if it moved)."""
    if decision not in PaymentReview.Decision.values:
        raise InvalidInput(_("Choose approve or reject."), field="decision")
    reason = _text_check(
        reason, field="reason", most=MAX_REVIEW_REASON, message=_("Keep the reason to at most %(n)d characters.")
    )
    _in_scope(actor, payment, "care.review")
    if decision == PaymentReview.Decision.REJECTED:
        to = Payment.State.REJECTED
    else:
        to = "passed" if not is_last_level(payment) else Payment.State.APPROVED
    return transition_take(payment, to=to, actor=actor, version=version, now=now, data={"reason": reason}, flow=PAYMENT)


def payment_withdraw(*, actor, payment: Payment, version: int | None = None, now=None) -> Payment:
    _in_scope(actor, payment, "care.apply")
    return transition_take(payment, to=Payment.State.WITHDRAWN, actor=actor, version=version, now=now, flow=PAYMENT)


def voucher_check(voucher) -> str:
    voucher = (voucher or "").strip()
    if not voucher:
        raise InvalidInput(_("Give the voucher number."), field="voucher")
    if len(voucher) > MAX_VOUCHER:
        raise InvalidInput(
            _("Keep the voucher number to at most %(n)d characters.") % {"n": MAX_VOUCHER}, field="voucher"
        )
    if not VOUCHER_SHAPE.fullmatch(voucher):
        raise InvalidInput(
            _("A voucher number has only letters, digits, Chinese characters, spaces and - / _ ."),
            field="voucher",
        )
    return voucher


def payment_pay(
    *,
    actor,
    payment: Payment,
    paid_on: date | None,
    method: str,
    voucher: str,
    note: str = "",
    version: int | None = None,
    now=None,
) -> Payment:
    """Record the payment made: the ledger entry (with its hash, carried by the audit entry). Refused to
    anyone who approved the payment at any level (rule care.payer_not_approver)."""
    voucher = voucher_check(voucher)
    note = _text_check(note, field="note", most=MAX_NOTE, message=_("Keep the note to at most %(n)d characters."))
    _in_scope(actor, payment, "care.pay")
    return transition_take(
        payment,
        to=Payment.State.PAID,
        actor=actor,
        version=version,
        now=now,
        data={"paid_on": paid_on, "method": method, "voucher": voucher, "note": note},
        flow=PAYMENT,
    )


def payment_reverse(*, actor, payment: Payment, reason: str, version: int | None = None, now=None) -> Payment:
    """Reverse a payment made by mistake: a second ledger entry of the opposite amount."""
    reason = _text_check(
        reason, field="reason", most=MAX_NOTE, message=_("Keep the reason to at most %(n)d characters.")
    )
    _in_scope(actor, payment, "care.pay")
    return transition_take(
        payment,
        to=Payment.State.REVERSED,
        actor=actor,
        version=version,
        now=now,
        data={"reason": reason},
        flow=PAYMENT,
    )


@transaction.atomic
def payment_document_viewed(*, payment: Payment, attachment: Attachment, actor) -> None:
    audit_log(
        action="core.attachment.viewed",
        actor=actor,
        obj=payment,
        changes={"kind": attachment.kind, "sha256": attachment.sha256},
    )


def payments_exported(*, actor, filters: dict, fmt: str, reason: str, count: int) -> None:
    """Every export of the list is audited with its reason, its filters and how many rows it holds."""
    check_perm(actor, "care.export")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("State why you need this list (at least 4 characters)."), field="reason")
    with transaction.atomic():
        audit_log(
            action="care.payment.exported",
            actor=actor,
            object_type="care.payment",
            changes={
                "format": fmt,
                "reason": reason[:200],
                "rows": count,
                "filters": {k: str(v) for k, v in filters.items() if v not in ("", None, False)},
            },
        )


# --- budgets ---------------------------------------------------------------------------------------


def budget_region_ok(region: Region) -> bool:
    """A budget is the province's own (530000) or one of its prefectures', never another province's."""
    return region.code == PROVINCE_CODE or (
        region.level == Region.Level.PREFECTURE and region.code.startswith(PROVINCE_CODE[:2])
    )


def budget_set(*, actor, year: int, kind: str, region_code: str, amount_fen: int, now=None) -> Budget:
    """Set the yearly budget of a kind of payment in a prefecture (or the province, 530000). Lowering it
    below what is committed and paid already is refused."""
    check_perm(actor, "care.budget")
    now = now or timezone.now()
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(_("Give a year between 2000 and 2100."), field="year")
    if kind not in PaymentKind.values:
        raise InvalidInput(_("Choose the kind of payment."), field="kind")
    region = Region.objects.filter(code=region_code).first()
    if region is None or not budget_region_ok(region):
        raise InvalidInput(
            _("Choose a prefecture of the province, or the province for provincial money."), field="region"
        )
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 <= amount_fen <= MAX_FEN:
        raise InvalidInput(_("Give the budget in yuan."), field="amount")
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(year=year, kind=kind, region=region).first()
        before = budget.amount_fen if budget else None
        if budget is None:
            budget = Budget(year=year, kind=kind, region=region, amount_fen=amount_fen, set_by=actor, set_at=now)
        budget.amount_fen = amount_fen
        row = budget_row(budget)
        if amount_fen < row.used:
            raise InvalidInput(
                _("The budget cannot be lower than what is committed and paid already (%(used)s yuan).")
                % {"used": format_fen(row.used)},
                field="amount",
            )
        budget.set_by, budget.set_at = actor, now
        budget.save()
        audit_log(
            action="care.budget.set",
            actor=actor,
            obj=budget,
            changes={"year": year, "kind": kind, "region": region.code, "amount_fen": [before, amount_fen]},
            now=now,
        )
    return budget
