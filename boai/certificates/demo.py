"""Invented certificate stock for `make run`, moved through the same services as the pages. Needs the
demo cases (boai.cases.demo) for the certificate it issues."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.cases.models import OrganCase
from boai.core.models import Organisation

from . import services
from .models import Certificate, CertificateBatch, Kind

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@transaction.atomic
def load_demo_certificates() -> bool:
    if CertificateBatch.objects.exists():
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
    return True


load = load_demo_certificates
BASELINE = False  # not part of the tests' baseline data: tests that need it load it
