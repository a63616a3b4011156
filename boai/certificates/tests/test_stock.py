"""The organ certificate stock: the closed loop from the province's batch to the family, every wrong
step refused with nothing written, and the reconciliation."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from boai.certificates import selectors, services
from boai.certificates.models import Certificate, Kind, State
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.tests.personas import user

from .helpers import closed_case, issue, serial, snapshot, stock, unit

pytestmark = pytest.mark.django_db
PHOTO = SimpleUploadedFile("spoiled.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def refused(error, code, call):
    before = snapshot()
    with pytest.raises(error) as caught:
        call()
    if code:
        assert caught.value.code == code, caught.value.message
    assert snapshot() == before
    return caught.value


def test_the_closed_loop_from_batch_to_family_balances():
    stock()
    case = closed_case()
    cert = issue(case, 1001)
    assert (cert.state, cert.organ_case, cert.donor_name, cert.number) == ("issued", case, case.name, "00001001")
    services.certificate_void(actor=user("opo_staff"), certificate=serial(1002), reason="打印错位", photo=PHOTO)
    services.certificate_report_lost(actor=user("opo_staff"), certificate=serial(1003), note="搬迁时遗失")
    services.certificate_return(actor=user("opo_staff"), certificate=serial(1004), note="多余")
    result = selectors.reconcile()
    kmu1 = next(b for b in result.units if b.unit.code == "OPO-KMU1")
    assert (kmu1.received, kmu1.issued, kmu1.voided, kmu1.lost, kmu1.returned, kmu1.on_hand) == (5, 1, 1, 1, 1, 1)
    assert kmu1.difference == 0 and result.province_received == 10 and result.balanced
    # the returned blank can go to another unit, and both units still balance
    services.stock_hand_out(actor=user("prov_admin"), unit=unit("OPO-YNPH"), serial_from=1004, serial_to=1004)
    assert selectors.reconcile().balanced


def test_a_serial_the_unit_never_received_cannot_be_issued():
    stock(confirm=False)  # 1001-1005 handed, not confirmed; 1006-1010 at the province
    case = closed_case()
    refused(Conflict, "cert.not_received", lambda: issue(case, 1001))
    refused(Conflict, "cert.not_received", lambda: issue(case, 1007))
    refused(Conflict, "cert.not_received", lambda: issue(case, 999999))


def test_a_serial_is_issued_only_once():
    stock()
    first, second = closed_case("31"), closed_case("32")
    issue(first, 1001)
    refused(Conflict, "cert.wrong_state", lambda: issue(second, 1001))


def test_a_case_that_is_not_closed_gets_no_certificate():
    from boai.cases.models import OrganCase
    from boai.cases.tests.helpers import open_organ, walk_organ

    stock()
    case = open_organ()
    walk_organ(case["id"], "allocated")
    refused(Conflict, "cert.case_not_closed", lambda: issue(OrganCase.objects.get(pk=case["id"]), 1001))


def test_a_second_certificate_for_a_case_is_refused_until_the_first_is_voided():
    stock()
    case = closed_case()
    first = issue(case, 1001)
    refused(Conflict, "cert.case_has_certificate", lambda: issue(case, 1002))
    services.certificate_void(actor=user("opo_staff"), certificate=first, reason="姓名写错，重新发放")
    assert issue(case, 1002).state == "issued"
    assert serial(1001).state == "voided" and serial(1001).number == "00001001"


def test_voiding_needs_a_reason_and_a_spoiled_blank_needs_its_photo():
    stock()
    refused(
        InvalidInput,
        None,
        lambda: services.certificate_void(actor=user("opo_staff"), certificate=serial(1002), reason=" "),
    )
    refused(
        InvalidInput,
        None,
        lambda: services.certificate_void(actor=user("opo_staff"), certificate=serial(1002), reason="污损"),
    )


def test_another_unit_cannot_touch_the_stock():
    from boai.cases.tests.helpers import staff_account

    transfer = stock(confirm=False)
    other = staff_account("opo_other", "opo_staff", "OPO-YNPH")
    refused(NotAllowed, None, lambda: services.transfer_confirm(actor=other, transfer=transfer))
    services.transfer_confirm(actor=user("opo_staff"), transfer=transfer)
    refused(
        Conflict,
        "cert.already_confirmed",
        lambda: services.transfer_confirm(actor=user("opo_staff"), transfer=transfer),
    )
    refused(
        NotAllowed,
        None,
        lambda: services.certificate_void(actor=other, certificate=serial(1002), reason="x", photo=PHOTO),
    )


def test_ranges_are_checked_before_anything_moves():
    stock()
    prov = user("prov_admin")
    refused(
        Conflict,
        "cert.serial_exists",
        lambda: services.batch_receive(
            actor=prov,
            serial_from=1010,
            serial_to=1020,
            received_on=__import__("datetime").date(2026, 2, 1),
            supplier="x",
        ),
    )
    refused(
        Conflict,
        "cert.wrong_state",
        lambda: services.stock_hand_out(actor=prov, unit=unit(), serial_from=1005, serial_to=1007),
    )
    refused(
        Conflict,
        "cert.serial_missing",
        lambda: services.stock_hand_out(actor=prov, unit=unit(), serial_from=1009, serial_to=1011),
    )
    refused(
        InvalidInput, None, lambda: services.stock_hand_out(actor=prov, unit=unit(), serial_from=1008, serial_to=1006)
    )
    refused(
        NotAllowed,
        None,
        lambda: services.stock_hand_out(actor=user("wuhua_staff"), unit=unit(), serial_from=1006, serial_to=1006),
    )


def test_the_reconciliation_flags_a_serial_that_went_missing():
    stock()
    assert selectors.reconcile().balanced
    gone = serial(1003)
    with connection.cursor() as cursor:  # what no service can do: a row vanishes with its history
        cursor.execute("DELETE FROM certificates_certificateevent WHERE certificate_id = %s", [gone.pk])
        cursor.execute("DELETE FROM certificates_certificate WHERE id = %s", [gone.pk])
        cursor.execute("UPDATE certificates_certificate SET state = 'in_stock', unit_id = NULL WHERE serial = 1004")
    result = selectors.reconcile()
    assert not result.balanced
    assert result.missing == [1003] and result.province_difference == 1
    assert result.mismatched == ["00001004"]
    page = Client()
    page.force_login(user("prov_admin"))
    html = page.get("/workspace/certificates/reconciliation/").content.decode()
    assert "1003" in html and "00001004" in html and "msg-error" in html
    from openpyxl import load_workbook

    export = page.get("/workspace/certificates/reconciliation/?format=xlsx")
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    flagged = [row for row in sheet.iter_rows(values_only=True) if row and row[1] in (1003, "00001004")]
    assert len(flagged) == 2


def test_the_reconciliation_of_a_period_counts_its_moves():
    from datetime import timedelta

    from django.utils import timezone

    stock()
    issue(closed_case(), 1001)
    since = timezone.now() - timedelta(minutes=5)
    result = selectors.reconcile(since=since)
    kmu1 = next(b for b in result.units if b.unit.code == "OPO-KMU1")
    assert kmu1.moves["received"] == 5 and kmu1.moves["issued"] == 1
    earlier = selectors.reconcile(as_of=since)
    assert all(b.received == 0 for b in earlier.units) and earlier.province_received == 0


def test_body_certificates_follow_the_case_and_numbers_are_never_reused():
    from django.utils import timezone

    from boai.cases.models import BodyCase
    from boai.cases.tests.helpers import BODY_ACTORS, BODY_STEPS, open_body, take, walk_body

    year = timezone.localtime().year
    case = open_body()["id"]
    body_case = BodyCase.objects.get(pk=case)
    refused(
        Conflict,
        "cert.case_not_ready",
        lambda: services.body_certificate_issue(actor=user("prov_admin"), case=body_case, kind=Kind.BODY_RECEPTION),
    )
    walk_body(case, "received")
    reception = Certificate.objects.get(body_case_id=case, kind=Kind.BODY_RECEPTION)
    assert reception.number == f"滇遗接〔{year}〕0001" and reception.state == State.ISSUED
    for to in ("in_use", "remains_handled", "honoured"):
        assert take("body", case, to, BODY_ACTORS[to], BODY_STEPS[to]).status_code == 200
    honour = Certificate.objects.get(body_case_id=case, kind=Kind.BODY_HONOUR)
    assert honour.number == f"滇遗荣〔{year}〕0001"
    refused(
        Conflict,
        "cert.case_has_certificate",
        lambda: services.body_certificate_issue(actor=user("prov_admin"), case=body_case, kind=Kind.BODY_RECEPTION),
    )
    refused(
        NotAllowed,
        None,
        lambda: services.certificate_void(actor=user("wuhua_staff"), certificate=reception, reason="x"),
    )
    services.certificate_void(actor=user("prov_admin"), certificate=reception, reason="姓名有误")
    again = services.body_certificate_issue(actor=user("prov_admin"), case=body_case, kind=Kind.BODY_RECEPTION)
    assert again.number == f"滇遗接〔{year}〕0002"
    reception.refresh_from_db()
    assert reception.state == State.VOIDED and reception.number == f"滇遗接〔{year}〕0001"


def test_the_demo_stock_balances():
    from boai.cases.demo import load_demo_cases
    from boai.certificates.demo import load_demo_certificates

    load_demo_cases()
    assert load_demo_certificates() is True
    result = selectors.reconcile()
    assert result.balanced and result.province_received == 200
    kmu1 = next(b for b in result.units if b.unit.code == "OPO-KMU1")
    assert (kmu1.received, kmu1.issued, kmu1.voided, kmu1.on_hand) == (100, 1, 1, 98)
    ynph = next(b for b in result.units if b.unit.code == "OPO-YNPH")
    assert ynph.in_transit == 50 and ynph.received == 0
    assert Certificate.objects.filter(kind=Kind.BODY_HONOUR).count() == 1


def test_a_blank_returned_handed_back_and_lost_on_the_way_still_balances():
    stock()
    services.certificate_return(actor=user("opo_staff"), certificate=serial(1004))
    services.stock_hand_out(actor=user("prov_admin"), unit=unit(), serial_from=1004, serial_to=1004)
    services.certificate_report_lost(actor=user("prov_admin"), certificate=serial(1004), note="邮寄途中遗失")
    result = selectors.reconcile()
    kmu1 = next(b for b in result.units if b.unit.code == "OPO-KMU1")
    assert (kmu1.received, kmu1.returned, kmu1.lost, kmu1.on_hand) == (5, 1, 0, 4)
    assert result.balanced and result.province_states["lost"] == 1


def test_the_province_reports_only_blanks_lost_on_the_way():
    stock()
    refused(
        NotAllowed,
        None,
        lambda: services.certificate_report_lost(actor=user("prov_admin"), certificate=serial(1003), note="x"),
    )


def test_an_issued_certificate_is_seen_where_its_case_is_seen():
    from datetime import date

    from boai.cases.models import OrganCase
    from boai.cases.tests.helpers import open_organ, walk_organ
    from boai.registry.tests.helpers import resident_id

    stock()
    case = open_organ(id_number=resident_id("530302", date(1970, 3, 3), "44", "M"), name="麒麟人", region="530302")
    walk_organ(case["id"], "closed")
    cert = issue(OrganCase.objects.get(pk=case["id"]), 1001)
    visible = lambda who: selectors.certificate_list(user=user(who)).filter(pk=cert.pk).exists()  # noqa: E731
    assert visible("qilin_staff") and visible("opo_staff") and not visible("wuhua_staff")


def test_the_audit_log_masks_the_recipients_name():
    from boai.audit.models import AuditEntry

    stock()
    issue(closed_case(), 1001, recipient_name="王小明")
    entry = AuditEntry.objects.filter(action="certificates.certificate.issued").latest("id")
    assert "王小明" not in str(entry.changes) and entry.changes["recipient_name"].startswith("王")
