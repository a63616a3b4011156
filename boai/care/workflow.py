"""The payment workflow, declared once for the Platform's engine (``boai.core.workflow``).

A payment to a donor family is applied for, then reviewed at the levels copied from the settings when
it was applied for (``CareSettings.payment_levels``), one after the other: each level's Red Cross branch
approves it (on to the next level, or approved at the last one, within the budget) or rejects it with a
reason. An approved payment is paid (the ledger entry, by someone who approved it at no level) and a
payment made by mistake is reversed (a second, negative entry): the ledger is never changed."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import InvalidInput
from boai.core.models import Region
from boai.core.workflow import Rule, Step, Workflow, register
from boai.lib.money import format_fen

from .levels import (  # noqa: F401  (re-exported for the services and views)
    COUNTY,
    LEVEL_LABELS,
    LEVEL_NAMES,
    LEVELS,
    PREFECTURE,
    PROVINCE,
    REVIEW,
    approvers,
    branch_region,
    current_level,
    is_last_level,
    prefecture_code,
)
from .models import LedgerEntry, Payment
from .selectors.ledger import entry_hash
from .selectors.payments import budget_row, funding_budget

State = Payment.State


PAYER_RULE = Rule(
    code="care.payer_not_approver",
    text=gettext_lazy("The person who pays a payment is never one who approved it, at any level."),
    check=lambda payment, data, actor: (
        _("you approved this payment: someone else must pay it")
        if getattr(actor, "pk", None) in approvers(payment)
        else None
    ),
)


def _budget_refusal(payment: Payment, data, actor) -> str | None:
    budget = funding_budget(payment, lock=True)
    if budget is None:
        return _("no budget is set for %(kind)s in %(year)s for this prefecture") % {
            "kind": payment.get_kind_display(),
            "year": payment.year,
        }
    row = budget_row(budget)
    if payment.amount_fen > row.remaining:
        return _("%(amount)s yuan asked, %(remaining)s yuan remain in the budget") % {
            "amount": format_fen(payment.amount_fen),
            "remaining": format_fen(max(row.remaining, 0)),
        }
    return None


BUDGET_RULE = Rule(
    code="care.within_budget",
    text=gettext_lazy("A payment is approved at the last level only if it fits in what remains of its yearly budget."),
    check=_budget_refusal,
)


def _write_entry(move, **fields) -> LedgerEntry:
    """A ledger entry, then its hash once it has its pk (the hash covers the pk): one transaction."""
    entry = LedgerEntry.objects.create(recorded_by=move.actor, recorded_at=move.now, row_hash="", **fields)
    entry.row_hash = entry_hash(entry)
    LedgerEntry.objects.filter(pk=entry.pk, row_hash="").update(row_hash=entry.row_hash)
    return entry


def _pay_check(move) -> None:
    """The payment's date (not in the future, not before the approval), method and voucher."""
    data = move.data
    paid_on = data.get("paid_on")
    if not isinstance(paid_on, date):
        raise InvalidInput(_("Give the date the money was paid."), field="paid_on")
    if paid_on > timezone.localdate(move.now):
        raise InvalidInput(_("The date of payment cannot be in the future."), field="paid_on")
    approved_on = timezone.localdate(move.obj.decided_at) if move.obj.decided_at else None
    if approved_on and paid_on < approved_on:
        raise InvalidInput(
            _("The date of payment cannot be before the approval (%(day)s).") % {"day": approved_on.isoformat()},
            field="paid_on",
        )
    if data.get("method") not in LedgerEntry.Method.values:
        raise InvalidInput(_("Choose how the money was paid."), field="method")
    voucher = (data.get("voucher") or "").strip()
    if not voucher:
        raise InvalidInput(_("Give the voucher number."), field="voucher")
    if len(voucher) > 64:
        raise InvalidInput(_("Keep the voucher number under 64 characters."), field="voucher")
    if len((data.get("note") or "").strip()) > 300:
        raise InvalidInput(_("Keep the note under 300 characters."), field="note")


def paid(move) -> None:
    payment = move.obj
    data = move.data
    entry = _write_entry(
        move,
        payment=payment,
        amount_fen=payment.amount_fen,
        kind=payment.kind,
        prefecture=Region.objects.get(code=prefecture_code(payment.region_id)),
        paid_on=data["paid_on"],
        method=data["method"],
        voucher=data["voucher"].strip(),
        note=(data.get("note") or "").strip(),
    )
    move.changes.update(
        {
            "ledger_entry": entry.pk,
            "amount_fen": entry.amount_fen,
            "paid_on": entry.paid_on.isoformat(),
            "method": entry.method,
            "voucher": entry.voucher,
            "row_hash": entry.row_hash,
        }
    )


def _reverse_check(move) -> None:
    reason = (move.data.get("reason") or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the reversal."), field="reason")
    if len(reason) > 300:
        raise InvalidInput(_("Keep the reason under 300 characters."), field="reason")


def reversed_(move) -> None:
    payment = move.obj
    original = (  # the payment's row is locked by the engine: no second reversal can run beside this one
        LedgerEntry.objects.filter(payment=payment, reverses__isnull=True, reversed_by__isnull=True)
        .order_by("id")
        .first()
    )
    if original is None:  # the state says paid; the ledger must agree
        raise InvalidInput(_("This payment has no ledger entry left to reverse."))
    today = timezone.localdate(move.now)
    entry = _write_entry(
        move,
        payment=payment,
        reverses=original,
        amount_fen=-original.amount_fen,
        kind=original.kind,
        prefecture=original.prefecture,
        paid_on=max(today, original.paid_on),
        method=original.method,
        voucher=original.voucher,
        note=(move.data.get("reason") or "").strip(),
    )
    move.changes.update(
        {
            "ledger_entry": entry.pk,
            "reverses": original.pk,
            "amount_fen": entry.amount_fen,
            "reason": entry.note,
            "row_hash": entry.row_hash,
        }
    )


PAYMENT = register(
    Workflow(
        kind="care_payment",
        title=gettext_lazy("Payment to a donor family"),
        model=Payment,
        start=State.IN_REVIEW,
        start_perm="care.apply",
        start_verb="apply",
        audit_prefix="care.payment",
        version_field="version",
        stale_message=gettext_lazy("Someone else changed this payment in the meantime. Reload the page and try again."),
        stale_code="care.payment.stale",
        steps=(
            *REVIEW.steps(
                review_perm="care.review",
                withdraw_perm="care.apply",
                labels={
                    "passed": gettext_lazy("Payment approved at one level"),
                    "approved": gettext_lazy("Payment approved"),
                    "rejected": gettext_lazy("Payment rejected"),
                    "withdrawn": gettext_lazy("Payment withdrawn"),
                },
                approved_rules=(BUDGET_RULE,),
            ),
            Step(
                State.PAID,
                (State.APPROVED,),
                "care.pay",
                verb=gettext_lazy("Record the payment"),
                label=gettext_lazy("Payment paid (ledger entry written)"),
                rules=(PAYER_RULE,),
                guard=_pay_check,
                effect=paid,
            ),
            Step(
                State.REVERSED,
                (State.PAID,),
                "care.pay",
                verb=gettext_lazy("Reverse"),
                label=gettext_lazy("Payment reversed (reversing ledger entry written)"),
                guard=_reverse_check,
                effect=reversed_,
                exit=True,
            ),
        ),
        finals=frozenset({State.REJECTED, State.WITHDRAWN, State.REVERSED}),
        record=REVIEW.record,
    )
)
