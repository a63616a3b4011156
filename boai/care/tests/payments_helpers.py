"""Helpers of the payments' tests: a scan to upload, a payment taken through the review chain, and a
snapshot of everything a refused step must leave as it was."""

from django.core.files.uploadedfile import SimpleUploadedFile

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import Budget, LedgerEntry, Payment, PaymentReview
from ..services import payments as services
from .factories import make_budget, make_family

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

CHAIN = ("wuhua_staff", "kunming_staff", "prov_admin")  # county, prefecture, province for a Wuhua family


def pdf(name="application.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applied(*, family=None, yuan=5000, kind="condolence", by="wuhua_clerk", documents=None) -> Payment:
    family = family or make_family(region="530102")
    return services.payment_apply(
        actor=user(by),
        family=family,
        kind=kind,
        amount_fen=yuan * 100,
        reason="家庭困难，申请人道慰问金",
        documents=[pdf()] if documents is None else documents,
    )


def decide(payment, by, decision="approved", reason=""):
    return services.payment_review(actor=user(by), payment=payment, decision=decision, reason=reason)


def approved(*, budget_yuan=100000, **kwargs) -> Payment:
    """A Wuhua payment approved at every level (a Kunming budget set for it first)."""
    payment = applied(**kwargs)
    make_budget(year=payment.year, kind=payment.kind, region="530100", yuan=budget_yuan)
    for who in CHAIN:
        payment = decide(payment, who)
    assert payment.state == Payment.State.APPROVED
    return payment


def pay(payment, by="wuhua_clerk", paid_on=None, method="bank", voucher="PZ-2026-001"):
    from django.utils import timezone

    return services.payment_pay(
        actor=user(by), payment=payment, paid_on=paid_on or timezone.localdate(), method=method, voucher=voucher
    )


def snapshot(payment=None):
    """What a refused step must not change."""
    shot = {
        "payments": Payment.objects.count(),
        "reviews": PaymentReview.objects.count(),
        "ledger": LedgerEntry.objects.count(),
        "audit": AuditEntry.objects.count(),
        "attachments": Attachment.objects.count(),
        "budgets": list(Budget.objects.values_list("pk", "amount_fen")),
    }
    if payment is not None:
        p = Payment.objects.get(pk=payment.pk)
        shot["payment"] = (p.state, p.level, p.decided_at)
    return shot
