"""Organ donation consent forms: numbered stock like the organ certificates (batch, hand-over, receipt,
void, lost, reconciliation of their own), and the consent step of an organ case that names the form the
family signed: only a blank its unit received, used once."""

from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.cases.models import CaseStep, OrganCase, Signer
from boai.cases.tests.helpers import ORGAN_STEPS, open_organ, staff_account, take, walk_organ
from boai.certificates import selectors, services
from boai.certificates.models import Certificate, CertificateEvent, Kind, State
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry.tests.helpers import resident_id

from .helpers import KMU1, unit

pytestmark = pytest.mark.django_db

PHOTO_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def consent_stock(first=1, last=10, unit_code=KMU1, confirm_by="opo_staff"):
    """A batch of consent forms at the province, handed to a unit and (if ``confirm_by``) confirmed."""
    province = user("prov_admin")
    services.batch_receive(
        actor=province,
        kind=Kind.ORGAN_CONSENT,
        serial_from=first,
        serial_to=last,
        received_on=date(2026, 1, 5),
        supplier="省红十字会",
    )
    transfer = services.stock_hand_out(
        actor=province, kind=Kind.ORGAN_CONSENT, unit=unit(unit_code), serial_from=first, serial_to=last
    )
    if confirm_by:
        services.transfer_confirm(actor=user(confirm_by), transfer=transfer)
    return transfer


def form(n: int) -> Certificate:
    return Certificate.objects.get(kind=Kind.ORGAN_CONSENT, serial=n)


_people = iter(range(10, 99))


def at_family_approached() -> int:
    """A new organ case (of another person each time) at the step before consent."""
    seq = str(next(_people))
    case = open_organ(id_number=resident_id("530102", date(1971, 5, 6), seq, "M"), name=f"捐献者{seq}")["id"]
    walk_organ(case, "family_approached")
    return case


def snapshot(case_id):
    case = OrganCase.objects.get(pk=case_id)
    return (
        CaseStep.objects.count(),
        Signer.objects.count(),
        Attachment.objects.count(),
        AuditEntry.objects.count(),
        CertificateEvent.objects.count(),
        list(Certificate.objects.order_by("id").values_list("state", "unit_id", "organ_case_id", "version")),
        case.version,
        case.state,
    )


def consent(case_id, number):
    return take(
        "organ", case_id, "consented", "coordinator", {**ORGAN_STEPS["consented"], "consent_form_number": number}
    )


def test_a_consent_with_a_form_the_unit_received_uses_it_and_the_reconciliation_counts_it():
    consent_stock(1, 10)
    case = at_family_approached()
    response = consent(case, "ZQ00000003")
    assert response.status_code == 200, response.json()
    used = form(3)
    assert (used.state, used.organ_case_id, used.unit.code) == (State.ISSUED, case, KMU1)
    assert used.events.last().to_state == State.ISSUED
    assert AuditEntry.objects.filter(action="certificates.certificate.used", object_repr="ZQ00000003").exists()
    result = selectors.reconcile(kind=Kind.ORGAN_CONSENT)
    kmu1 = next(b for b in result.units if b.unit.code == KMU1)
    assert (kmu1.received, kmu1.issued, kmu1.on_hand) == (10, 1, 9) and result.balanced
    organ = selectors.reconcile()  # the organ certificates' own reconciliation knows nothing of consent forms
    assert organ.province_received == 0 and all(b.received == 0 for b in organ.units)


def test_a_number_typed_with_spaces_in_lower_case_or_full_width_finds_the_form_and_the_timeline_keeps_it_as_printed():
    consent_stock(1, 10)
    first, second = at_family_approached(), at_family_approached()
    assert consent(first, " zq 0000 0004 ").status_code == 200
    assert consent(second, "ＺＱ０００００００７").status_code == 200
    assert form(4).organ_case_id == first and form(7).organ_case_id == second
    step = CaseStep.objects.get(organ_case_id=first, to_state="consented")
    assert step.data["consent_form_number"] == "ZQ00000004"


@pytest.mark.parametrize(
    "number, code, words",
    [
        ("ZQ00000015", "consent_form.other_unit", "未下发给本案例所属单位"),  # received by another unit
        ("ZQ00009999", "consent_form.unknown", "不在库存中"),
        ("ZQ00000002", "consent_form.used", "已用于另一份捐献同意"),
        ("ZQ00000005", "consent_form.wrong_state", "已作废"),
        ("ZQ00000006", "consent_form.wrong_state", "遗失"),
        ("ZQ00000021", "consent_form.not_received", "尚未确认签收"),  # handed to the unit, not confirmed
        ("ZQ00000031", "consent_form.other_unit", "未下发"),  # still at the province
    ],
)
def test_a_consent_with_a_form_that_is_not_a_blank_of_the_unit_is_refused_and_nothing_is_written(number, code, words):
    consent_stock(1, 10)
    staff_account("opo_other", "opo_staff", "OPO-YNPH")
    consent_stock(11, 20, unit_code="OPO-YNPH", confirm_by="opo_other")
    consent_stock(21, 25, confirm_by=None)
    services.batch_receive(
        actor=user("prov_admin"),
        kind=Kind.ORGAN_CONSENT,
        serial_from=31,
        serial_to=35,
        received_on=date(2026, 1, 5),
        supplier="省红十字会",
    )
    assert consent(at_family_approached(), "ZQ00000002").status_code == 200  # used by another case
    opo = user("opo_staff")
    services.certificate_void(actor=opo, certificate=form(5), reason="填写错误", photo=png())
    services.certificate_report_lost(actor=opo, certificate=form(6), note="搬迁时遗失")
    case = at_family_approached()
    before = snapshot(case)
    response = consent(case, number)
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == code and words in body["errors"]["consent_form_number"][0], body
    assert snapshot(case) == before


def test_a_consent_without_a_form_number_is_a_400_and_nothing_is_written():
    consent_stock(1, 10)
    case = at_family_approached()
    before = snapshot(case)
    response = consent(case, "")
    assert response.status_code == 400 and "consent_form_number" in response.json()["errors"]
    assert snapshot(case) == before


def test_one_form_typed_for_two_consents_is_used_by_the_first_only():
    consent_stock(1, 10)
    first, second = at_family_approached(), at_family_approached()
    assert consent(first, "ZQ00000001").status_code == 200
    assert consent(second, "ZQ00000001").json()["code"] == "consent_form.used"
    assert OrganCase.objects.get(pk=second).state == "family_approached"


def test_a_used_form_belongs_to_the_case_and_cannot_be_voided_or_returned():
    consent_stock(1, 10)
    case = at_family_approached()
    consent(case, "ZQ00000001")
    opo = user("opo_staff")
    assert services.void_refusal(actor=opo, certificate=form(1)) is not None
    assert services.return_refusal(actor=opo, certificate=form(1)) is not None
    assert services.void_refusal(actor=opo, certificate=form(2)) is None  # a spoiled blank can be voided


def test_the_case_page_shows_the_consent_form_and_the_register_lists_it():
    consent_stock(1, 10)
    case = at_family_approached()
    consent(case, "ZQ00000004")
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user("opo_staff"))
    page = web.get(f"/workspace/cases/organ/{case}/").content.decode()
    assert "同意书编号" in page and "ZQ00000004" in page
    assert f'href="/workspace/certificates/{form(4).pk}/"' in page
    register = web.get("/workspace/certificates/?kind=organ_consent&state=issued").content.decode()
    assert "ZQ00000004" in register and "ZQ00000005" not in register


def test_a_case_consented_before_forms_were_numbered_goes_on_and_shows_no_number(monkeypatch):
    from boai.core import workflow

    consent_stock(1, 10)
    case = at_family_approached()
    monkeypatch.setitem(workflow._HOOKS, ("organ", "consented"), [])  # as before this change: nothing checked
    assert consent(case, "旧案例无编号").status_code == 200
    monkeypatch.undo()
    assert Certificate.objects.filter(organ_case=case).count() == 0
    # the ethics review follows as for any consented case
    assert take("organ", case, "ethics_approved", "opo_staff", ORGAN_STEPS["ethics_approved"]).status_code == 200
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user("opo_staff"))
    assert 'id="consent-form"' not in web.get(f"/workspace/cases/organ/{case}/").content.decode()


def png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("spoiled.png", PHOTO_PNG, content_type="image/png")


def test_the_consent_form_stock_page_receives_hands_out_and_the_unit_confirms():
    province = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    province.force_login(user("prov_admin"))
    response = province.post(
        "/workspace/certificates/consent-forms/",
        {"batch-serial_from": 1, "batch-serial_to": 30, "batch-received_on": "2026-11-01", "batch-supplier": "印刷厂"},
    )
    assert response.status_code == 302 and response["Location"] == "/workspace/certificates/consent-forms/"
    assert Certificate.objects.filter(kind=Kind.ORGAN_CONSENT).count() == 30
    assert form(1).number == "ZQ00000001"
    response = province.post(
        "/workspace/certificates/consent-forms/", {"hand-unit": unit().pk, "hand-serial_from": 1, "hand-serial_to": 20}
    )
    assert response.status_code == 302
    page = province.get("/workspace/certificates/consent-forms/").content.decode()
    assert "人体器官捐献知情同意书库存" in page and "省级空白库存尚有 10 份同意书" in page
    # the organ certificate stock is another stock: none of these serials is there
    assert "省级空白库存尚有 0 张" in province.get("/workspace/certificates/stock/").content.decode()
    # the same serials can be received as organ certificates: each kind is numbered on its own
    organ = province.post(
        "/workspace/certificates/stock/",
        {"batch-serial_from": 1, "batch-serial_to": 5, "batch-received_on": "2026-11-01", "batch-supplier": "总会"},
    )
    assert organ.status_code == 302 and Certificate.objects.filter(kind=Kind.ORGAN).count() == 5

    opo = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    opo.force_login(user("opo_staff"))
    transfer = form(1).transfer
    response = opo.post(f"/workspace/certificates/stock/transfers/{transfer.pk}/confirm/")
    assert response["Location"] == "/workspace/certificates/consent-forms/"
    assert form(1).state == State.RECEIVED
    assert "已确认签收：20 份同意书" in opo.get(response["Location"]).content.decode()
    recon = opo.get("/workspace/certificates/consent-forms/reconciliation/").content.decode()
    assert "人体器官捐献知情同意书对账" in recon and "账实相符：每一份同意书都有去向" in recon


def test_a_consent_form_is_not_a_certificate_anyone_can_verify_or_print():
    consent_stock(1, 10)
    case = at_family_approached()
    consent(case, "ZQ00000001")
    assert Client().get("/verify/", {"number": "ZQ00000001"}).status_code == 404
    web = Client()
    web.force_login(user("opo_staff"))
    assert web.get(f"/workspace/certificates/{form(1).pk}/certificate.pdf").status_code == 404


def test_the_api_records_a_batch_of_consent_forms_and_lists_them_by_kind():
    api = APIClient()
    api.force_authenticate(user("prov_admin"))
    created = api.post(
        "/api/v1/certificate-batches/",
        {"kind": "organ_consent", "serial_from": 1, "serial_to": 3, "received_on": "2026-11-01", "supplier": "印刷厂"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "organ_consent"
    assert api.get("/api/v1/certificate-batches/?kind=organ").json()["count"] == 0
    assert api.get("/api/v1/certificate-batches/?kind=organ_consent").json()["count"] == 1
    assert api.get("/api/v1/certificate-batches/?kind=body_honour").status_code == 400
    listed = api.get("/api/v1/certificates/?kind=organ_consent").json()
    assert [c["number"] for c in listed["results"]] == ["ZQ00000001", "ZQ00000002", "ZQ00000003"]
    bad = api.post(
        "/api/v1/certificate-batches/",
        {"kind": "body_honour", "serial_from": 1, "serial_to": 3, "received_on": "2026-11-01", "supplier": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    case = at_family_approached()
    issued = api.post("/api/v1/certificates/", {"kind": "organ_consent", "case": case}, format="json")
    assert issued.status_code == 400 and "kind" in issued.json()["errors"]  # used by the consent step only


def test_the_demo_cases_consents_carry_numbered_forms_and_the_stock_balances():
    from boai.cases.demo import load_demo_cases
    from boai.certificates.demo import load_demo_certificates

    load_demo_cases()
    assert load_demo_certificates() is True
    consented = OrganCase.objects.filter(steps__to_state="consented").distinct()
    assert consented.count() == 3  # C-I closed, C-II waiting, C-I on the deceased registrant's own wish
    for case in consented:
        assert selectors.consent_form_of(case) is not None
    result = selectors.reconcile(kind=Kind.ORGAN_CONSENT)
    kmu1 = next(b for b in result.units if b.unit.code == KMU1)
    assert kmu1.issued == 3 and kmu1.voided == 1 and kmu1.on_hand >= 9 and result.balanced
    assert selectors.reconcile().balanced
