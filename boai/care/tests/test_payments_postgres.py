"""On PostgreSQL: the ledger is append-only (a trigger refuses UPDATE and DELETE, save the one write of a
new entry's hash), what a payment applied for never changes, and two payers at once leave one entry."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import LedgerEntry, Payment
from ..services import payments as services
from .payments_helpers import approved, pay

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _refused(sql, params):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_ledger_refuses_update_and_delete(transactional_base_data):
    payment = pay(approved())
    entry = LedgerEntry.objects.get(payment=payment)
    _refused("UPDATE care_ledgerentry SET amount_fen = 1 WHERE id = %s", [entry.pk])
    _refused("UPDATE care_ledgerentry SET row_hash = 'x' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM care_ledgerentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(voucher="changed")
    entry.refresh_from_db()
    assert (entry.amount_fen, entry.voucher) == (500000, "PZ-2026-001")


def test_what_was_applied_for_never_changes(transactional_base_data):
    payment = approved()
    _refused("UPDATE care_payment SET amount_fen = 1 WHERE id = %s", [payment.pk])
    _refused("UPDATE care_payment SET kind = 'hardship' WHERE id = %s", [payment.pk])
    _refused("DELETE FROM care_payment WHERE id = %s", [payment.pk])
    payment.refresh_from_db()
    assert payment.amount_fen == 500000


def test_two_payers_at_once_leave_one_ledger_entry(transactional_base_data):
    payment = approved()
    today = timezone.localdate()

    def payer(who, voucher):
        return lambda: services.payment_pay(
            actor=user(who), payment=payment, paid_on=today, method="bank", voucher=voucher
        )

    outcomes = race(payer("wuhua_clerk", "PZ-A"), payer("wuhua_clerk", "PZ-B"))
    assert outcomes == ["saved", "state.order"]
    assert LedgerEntry.objects.filter(payment=payment).count() == 1
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.PAID


def test_two_identical_applications_at_once_leave_one(transactional_base_data):
    """The same application sent twice at the same moment (a double click): the family's row is locked,
    so the second sees the first and is refused by name."""
    from .factories import make_family
    from .payments_helpers import applied

    family = make_family()
    outcomes = race(lambda: applied(family=family), lambda: applied(family=family))
    assert sorted(outcomes) == ["care.payment_open", "saved"]
    assert Payment.objects.filter(family=family).count() == 1
