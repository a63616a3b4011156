"""Invented certificate stock for `make run`, moved through the same services as the pages. Needs the
demo cases (boai.cases.demo) for the certificate it issues; the demo cases' consents take their consent
forms from ``consent_forms_held`` (offered to them through ``cases.extensions.demo_consent_forms``)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from boai.accounts.models import User
from boai.accounts.roles import role_has_perm
from boai.cases.models import OrganCase
from boai.core.models import Organisation

from . import services
from .models import Certificate, CertificateBatch, Kind, State

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _holder(perm: str, unit: Organisation | None = None) -> User:
    """An active account whose role holds ``perm`` (of ``unit``, if given): who moves the demo stock."""
    users = User.objects.filter(is_active=True).order_by("id")
    if unit is not None:
        users = users.filter(organization=unit)
    found = next((u for u in users if role_has_perm(u.role, perm)), None)
    if found is None:
        raise LookupError(f"no active account holds {perm} at {unit or 'any unit'}")
    return found


@transaction.atomic
def consent_forms_held(*, unit: Organisation, count: int = 1, now=None, batch: int = 20) -> list[str]:
    """The numbers of ``count`` blank consent forms ``unit`` holds, received through the services
    (a batch at the province, a hand-over, the unit's receipt) when it holds fewer: for the demo cases'
    consents and for tests that walk a case past consent."""
    now = now or timezone.now()

    def held():
        forms = Certificate.objects.filter(kind=Kind.ORGAN_CONSENT, unit=unit, state=State.RECEIVED)
        return list(forms.order_by("serial").values_list("number", flat=True)[:count])

    numbers = held()
    if len(numbers) >= count:
        return numbers
    province = _holder("certificates.stock")
    first = (Certificate.objects.filter(kind=Kind.ORGAN_CONSENT).aggregate(last=Max("serial"))["last"] or 0) + 1
    last = first + max(batch, count - len(numbers)) - 1
    services.batch_receive(
        actor=province,
        kind=Kind.ORGAN_CONSENT,
        serial_from=first,
        serial_to=last,
        received_on=timezone.localdate(now),
        supplier="云南省红十字会印制",
        now=now,
    )
    transfer = services.stock_hand_out(
        actor=province, kind=Kind.ORGAN_CONSENT, unit=unit, serial_from=first, serial_to=last, now=now
    )
    services.transfer_confirm(actor=_holder("certificates.unit", unit), transfer=transfer, now=now)
    return held()


@transaction.atomic
def load_demo_certificates() -> bool:
    if CertificateBatch.objects.filter(kind=Kind.ORGAN).exists():
        return False
    province, opo = User.objects.get(username="prov_admin"), User.objects.get(username="opo_staff")
    now = timezone.now()
    services.batch_receive(
        actor=province,
        serial_from=1001,
        serial_to=1200,
        received_on=timezone.localdate(now - timedelta(days=60)),
        supplier="中国红十字会总会",
        now=now - timedelta(days=60),
    )
    kmu1, ynph = Organisation.objects.get(code="OPO-KMU1"), Organisation.objects.get(code="OPO-YNPH")
    first = services.stock_hand_out(
        actor=province, unit=kmu1, serial_from=1001, serial_to=1100, now=now - timedelta(days=50)
    )
    services.transfer_confirm(actor=opo, transfer=first, now=now - timedelta(days=49))
    services.stock_hand_out(actor=province, unit=ynph, serial_from=1101, serial_to=1150, now=now - timedelta(days=2))
    case = OrganCase.objects.filter(state="closed", unit=kmu1, counted_at__isnull=False).first()
    if case is not None:
        services.organ_certificate_issue(
            actor=opo,
            case=case,
            serial=1001,
            recipient_name="马丽",
            recipient_relationship="spouse",
            issued_on=timezone.localdate(now - timedelta(days=3)),
            now=now - timedelta(days=3),
        )
    spoiled = Certificate.objects.get(kind=Kind.ORGAN, serial=1002)
    services.certificate_void(
        actor=opo,
        certificate=spoiled,
        reason="打印时卡纸，证书污损",
        photo=SimpleUploadedFile("spoiled.png", PNG, content_type="image/png"),
        now=now - timedelta(days=3),
    )
    # consent forms: the demo OPO unit holds some (the demo cases' consents used theirs), one spoiled
    blank = consent_forms_held(unit=kmu1, count=10, now=now - timedelta(days=40))
    services.certificate_void(
        actor=opo,
        certificate=Certificate.objects.get(kind=Kind.ORGAN_CONSENT, number=blank[-1]),
        reason="家属签字前填写错误，作废",
        photo=SimpleUploadedFile("spoiled-consent.png", PNG, content_type="image/png"),
        now=now - timedelta(days=2),
    )
    return True


load = load_demo_certificates
BASELINE = False  # not part of the tests' baseline data: tests that need it load it
