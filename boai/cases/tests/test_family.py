"""Family consent per close relative: every outcome the coordinator may record, the refusals that name
who is missing, the protected ID numbers, and the configurable set of relatives for a body donation."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, CaseStep, OrganCase, Signer
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.lib.masking import mask_id_number
from boai.registry.tests.helpers import resident_id

from .helpers import (
    FAMILY,
    ORGAN_STEPS,
    client_for,
    notice,
    open_organ,
    pdf,
    signer,
    station_id,
    take,
    walk_organ,
)

pytestmark = pytest.mark.django_db

SPOUSE = signer("spouse", "51", name="普丽")
CHILD_BY_PROXY = signer("child", "52", name="普强", outcome="proxy", proxy_name="普勇", proxy_relationship="sibling")
FATHER_ABROAD = signer(
    "parent", "53", name="普建", outcome="unreachable", proof="statement", note="电话三次未接通，村委会称其在外务工"
)
MOTHER_ILL = signer("parent", "54", name="李秀", outcome="incapable", note="阿尔茨海默病晚期")
EVERY_OUTCOME = [SPOUSE, CHILD_BY_PROXY, FATHER_ABROAD, MOTHER_ILL]


def consent_fields(family, **overrides):
    return {**ORGAN_STEPS["consented"], "signers": json.dumps(family), **overrides}


def at_consent() -> int:
    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    return case


def written():
    return (CaseStep.objects.count(), Signer.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())


def test_each_outcome_is_recorded_and_together_they_are_a_family_consent():
    case = at_consent()
    response = take(
        "organ",
        case,
        "consented",
        "coordinator",
        {**consent_fields(EVERY_OUTCOME), "signers-1-letter": pdf("委托书.pdf")},
    )
    assert response.status_code == 200, response.json()
    rows = {s.name: s for s in Signer.objects.all()}
    assert {name: s.outcome for name, s in rows.items()} == {
        "普丽51": "signed",
        "普强52": "proxy",
        "普建53": "unreachable",
        "李秀54": "incapable",
    }
    assert (rows["普强52"].proxy_name, rows["普强52"].proxy_relationship) == ("普勇", "sibling")
    assert rows["普建53"].note.startswith("电话三次未接通") and rows["普建53"].signed_on is None
    assert rows["普丽51"].proof == "household_register" and rows["普建53"].proof == "statement"
    letter = Attachment.objects.get(kind=f"letter-{rows['普强52'].pk}")
    assert letter.content_type == "application/pdf"

    staff = Client()
    staff.force_login(user("coordinator"))
    page = staff.get(f"/workspace/cases/organ/{case}/").content.decode()
    assert "授权委托书扫描件（普强52）" in page and "无法联系" in page and "代理人凭授权委托书签字" in page


def test_a_missing_parent_is_refused_by_name():
    case = at_consent()
    family = [SPOUSE, signer("parent", "53", name="普建", outcome="not_signed")]
    before = written()
    response = take("organ", case, "consented", "coordinator", consent_fields(family))
    assert response.status_code == 409 and response.json()["code"] == "consent.family_all"
    assert "尚未签字：普建53（父母）" in response.json()["detail"]
    assert written() == before


def test_a_proxy_without_a_letter_of_authority_is_refused():
    case = at_consent()
    before = written()
    response = take("organ", case, "consented", "coordinator", consent_fields([SPOUSE, CHILD_BY_PROXY]))
    assert response.status_code == 400
    assert "第 2 行：授权委托书扫描件：请上传授权委托书扫描件。" in response.json()["errors"]["signers"]
    assert written() == before and OrganCase.objects.get(pk=case).state == "family_approached"


def test_a_proxy_needs_a_name_too():
    case = at_consent()
    nameless = {**CHILD_BY_PROXY, "proxy_name": ""}
    response = take(
        "organ", case, "consented", "coordinator", {**consent_fields([SPOUSE, nameless]), "signers-1-letter": pdf()}
    )
    assert response.status_code == 400
    assert "第 2 行：代理人姓名：请填写代为签字的代理人姓名。" in response.json()["errors"]["signers"]


def test_an_unreachable_relative_without_how_it_was_tried_is_refused():
    case = at_consent()
    before = written()
    response = take("organ", case, "consented", "coordinator", consent_fields([SPOUSE, {**FATHER_ABROAD, "note": ""}]))
    assert response.status_code == 400
    assert "第 2 行：联系方式经过或备注：请说明如何尝试联系该亲属。" in response.json()["errors"]["signers"]
    assert written() == before


def test_the_same_id_number_twice_is_refused_but_two_relatives_without_one_are_not():
    case = at_consent()
    twice = [SPOUSE, {**signer("child", "52"), "id_number": SPOUSE["id_number"]}]
    response = take("organ", case, "consented", "coordinator", consent_fields(twice))
    assert response.status_code == 400 and "签字人中有重复的证件号码。" in response.json()["errors"]["signers"]

    abroad = [
        {**r, "id_number": ""} for r in (FATHER_ABROAD, {**FATHER_ABROAD, "name": "普母", "note": "多次上门未遇"})
    ]
    response = take("organ", case, "consented", "coordinator", consent_fields([SPOUSE, *abroad]))
    assert response.status_code == 200, response.json()
    assert [s.id_number for s in Signer.objects.all()][1:] == ["", ""]


def test_relatives_who_could_not_sign_are_not_a_consent_without_one_who_did():
    case = at_consent()
    response = take("organ", case, "consented", "coordinator", consent_fields([FATHER_ABROAD, MOTHER_ILL]))
    assert response.status_code == 409 and "已登记的配偶、成年子女、父母中无人签字" in response.json()["detail"]


def test_a_relative_who_signed_needs_an_id_number_and_a_date():
    case = at_consent()
    response = take(
        "organ", case, "consented", "coordinator", consent_fields([{**SPOUSE, "id_number": "", "signed_on": ""}])
    )
    errors = response.json()["errors"]["signers"]
    assert response.status_code == 400
    assert (
        "第 1 行：证件号码：请填写已签字亲属的证件号码。" in errors and "第 1 行：签署日期：请填写签字日期。" in errors
    )


def test_relatives_id_numbers_are_never_in_the_timeline_and_masked_in_the_api():
    case = at_consent()
    response = take(
        "organ", case, "consented", "coordinator", {**consent_fields(EVERY_OUTCOME), "signers-1-letter": pdf()}
    )
    assert response.status_code == 200, response.json()
    step = CaseStep.objects.get(to_state="consented")
    assert [row["name"] for row in step.data["signers"]] == ["普丽51", "普强52", "普建53", "李秀54"]
    assert "id_number" not in json.dumps(step.data) and "letter" not in step.data["signers"][1]

    text = client_for("coordinator").get(f"/api/v1/organ-cases/{case}/").content.decode()
    for relative in EVERY_OUTCOME:
        assert relative["id_number"] not in text
    signers = next(s for s in json.loads(text)["steps"] if s["to_state"] == "consented")["signers"]
    assert [s["id_number"] for s in signers] == [mask_id_number(r["id_number"]) for r in EVERY_OUTCOME]
    assert signers[1]["outcome"] == "proxy" and signers[2]["note"].startswith("电话三次未接通")
    with connection.cursor() as cursor:  # at rest: the ID number and the note (it may name an illness) encrypted
        cursor.execute("SELECT id_number, note FROM cases_signer WHERE name = %s", ["李秀54"])
        stored = " ".join(cursor.fetchone())
    assert MOTHER_ILL["id_number"] not in stored and "阿尔茨海默病" not in stored


def test_the_api_describes_each_relatives_fields():
    case = at_consent()
    transitions = client_for("coordinator").get(f"/api/v1/organ-cases/{case}/transitions/").json()["transitions"]
    fields = {f["name"]: f for f in next(t for t in transitions if t["to"] == "consented")["fields"]}
    assert fields["family_complete"]["type"] == "boolean"
    assert fields["family_complete"]["label"] == "以上是逝者全部在世的配偶、成年子女、父母。"
    assert "spouse_living" not in fields and "adult_children" not in fields
    rows = {f["name"]: f for f in fields["signers"]["fields"]}
    assert list(rows) == [
        "name",
        "relationship",
        "id_type",
        "id_number",
        "proof",
        "outcome",
        "signed_on",
        "proxy_name",
        "proxy_relationship",
        "letter",
        "note",
    ]
    assert {c["value"] for c in rows["outcome"]["choices"]} == {
        "signed",
        "proxy",
        "unreachable",
        "incapable",
        "not_signed",
    }
    assert {c["value"] for c in rows["proof"]["choices"]} == {"household_register", "certificate", "statement"}
    assert rows["letter"]["type"] == "file" and rows["letter"]["upload_as"] == "signers-<row>-letter"


def test_a_signer_row_from_before_reads_as_signed():
    case = at_consent()
    assert take("organ", case, "consented", "coordinator", consent_fields(FAMILY)).status_code == 200
    step = CaseStep.objects.get(to_state="consented")
    old = Signer.objects.create(
        step=step, name="旧", relationship="spouse", id_type="resident_id", id_number="x", signed_on="2024-01-01"
    )
    assert old.outcome == "signed" and old.proof == ""


# --- a joint body donation follows the configured set of relatives -------------------------------


def notify(relatives, **overrides):
    data = notice(station=station_id(), signers=json.dumps(relatives), scan=pdf(), **overrides)
    return client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")


def test_a_body_donation_turns_to_siblings_when_no_spouse_child_or_parent_is_living():
    response = notify([signer("sibling", "61", name="李兰"), signer("grandchild", "62", name="李小")])
    assert response.status_code == 201, response.json()
    assert BodyCase.objects.get().basis == "joint"


def test_a_body_donation_needs_the_first_order_when_one_of_them_is_recorded():
    unreachable = signer("child", "63", name="李远", outcome="unreachable", note="出国，联系不上")
    response = notify([unreachable, signer("sibling", "61", name="李兰")])
    assert response.status_code == 409 and response.json()["code"] == "consent.joint_family"
    assert "已登记的配偶、成年子女、父母中无人签字" in response.json()["detail"]
    assert not BodyCase.objects.exists()


def test_a_body_donation_asks_the_coordinator_to_confirm_the_list_naming_both_orders():
    response = notify([signer("child", "61")], family_complete="")
    assert response.status_code == 409
    assert "请确认以上是全部在世的配偶、成年子女、父母" in response.json()["detail"]


def test_the_set_of_relatives_for_a_body_donation_is_a_setting(settings):
    relatives = [signer("child", "61", name="李明"), signer("sibling", "64", name="李芳", outcome="not_signed")]
    assert notify(relatives).status_code == 201  # by default a sibling is not asked while a child is living

    settings.BOAI_FAMILY_CONSENT = {**settings.BOAI_FAMILY_CONSENT, "body": [["spouse", "child", "parent", "sibling"]]}
    response = notify(relatives, name="李淑兰", id_number=resident_id("530102", date(1948, 7, 8), "42", "F"))
    assert response.status_code == 409 and response.json()["code"] == "consent.joint_family"
    assert "尚未签字：李芳64（兄弟姐妹）" in response.json()["detail"]


def page_fields(case_id, family):
    fields = {
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "basis": "family",
        "organs": ["kidney"],
        "family_complete": "on",
        "version": OrganCase.objects.get(pk=case_id).version,
        "scan": pdf(),
    }
    for i, row in enumerate(family):
        fields.update({f"signers-{i}-{k}": v for k, v in row.items()})
    return fields


def test_the_staff_page_takes_each_relative_and_a_proxys_letter():
    case = at_consent()
    staff = Client()
    staff.force_login(user("coordinator"))
    url = f"/workspace/cases/organ/{case}/steps/consented/"
    page = staff.get(url).content.decode()
    assert 'name="signers-3-outcome"' in page and 'name="signers-0-letter"' in page and "亲属 1" in page

    without = staff.post(url, page_fields(case, [SPOUSE, CHILD_BY_PROXY]))
    assert without.status_code == 200 and "请上传授权委托书扫描件。" in without.content.decode()
    assert OrganCase.objects.get(pk=case).state == "family_approached"

    response = staff.post(url, {**page_fields(case, [SPOUSE, CHILD_BY_PROXY]), "signers-1-letter": pdf("委托书.pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    proxy = Signer.objects.get(outcome="proxy")
    assert Attachment.objects.filter(kind=f"letter-{proxy.pk}").exists()
