"""Wrong input a stranger tried on the case pages and API: each is a 400 with a message in the user's
language, and nothing is written."""

import json
from datetime import date

import pytest

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, CaseStep, OrganCase
from boai.registry.tests.helpers import resident_id

from .helpers import (
    BODY_STEPS,
    ORGAN_STEPS,
    PATIENT_ID,
    client_for,
    notice,
    open_body,
    open_organ,
    pdf,
    referral,
    signer,
    station_id,
    take,
    walk_body,
    walk_organ,
)

pytestmark = pytest.mark.django_db


def refer(**overrides):
    return client_for("opo_staff").post("/api/v1/organ-cases/", referral(**overrides), format="json")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("referred_at", "0001-01-01T00:00", "请输入 1900 年以后的日期"),  # would not even fit a timestamp
        ("referred_at", "0001-01-01T00:00:00Z", "请输入 1900 年以后的日期"),
        ("referred_at", "1899-12-31T23:00", "请输入 1900 年以后的日期"),
        ("name", ["普", "华明"], "请输入文字"),
        ("name", {"a": 1}, "请输入文字"),
        ("name", 123, "请输入文字"),
        ("name", "\u200b\u200b ", "该字段是必填项"),
    ],
)
def test_a_referral_with_a_wrong_value_is_refused_with_its_field_named(field, value, message):
    response = refer(**{field: value})
    assert response.status_code == 400, response.json()
    assert message in " ".join(response.json()["errors"][field])
    assert not OrganCase.objects.exists()


def test_a_passport_holder_cannot_be_born_in_the_future_nor_referred_before_birth():
    future = refer(id_type="passport", id_number="E12345678", sex="M", birth_date="2999-01-01")
    assert future.status_code == 400 and "出生日期不能晚于今天" in future.json()["errors"]["birth_date"][0]
    early = refer(
        id_type="passport", id_number="E12345678", sex="M", birth_date="1990-01-01", referred_at="1985-01-01T10:00"
    )
    assert early.status_code == 400 and "不能早于出生日期" in early.json()["errors"]["referred_at"][0]
    assert not OrganCase.objects.exists()


def test_a_death_before_the_birth_is_refused():
    data = notice(station=station_id(), died_at="1949-05-01T10:00")  # born 1950
    data["signers"] = json.dumps([signer("child", "61")])
    data["scan"] = pdf()
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 400 and "不能早于出生日期" in response.json()["errors"]["died_at"][0]
    assert not BodyCase.objects.exists()


def test_the_person_who_died_cannot_sign_the_familys_consent():
    body = notice(station=station_id())
    body["signers"] = json.dumps([{**signer("child", "61"), "id_number": body["id_number"]}])
    body["scan"] = pdf()
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", body, format="multipart")
    assert response.status_code == 400 and "签字人" in response.json()["detail"]
    assert not BodyCase.objects.exists()

    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    family = json.loads(ORGAN_STEPS["consented"]["signers"])
    family[0]["id_number"] = PATIENT_ID
    response = take(
        "organ", case, "consented", "coordinator", {**ORGAN_STEPS["consented"], "signers": json.dumps(family)}
    )
    assert response.status_code == 400 and "signers" in response.json()["errors"]
    assert OrganCase.objects.get(pk=case).state == "family_approached"


def test_the_cremation_cannot_come_before_the_death_nor_after_today():
    case = open_body()["id"]
    walk_body(case, "in_use")
    steps = CaseStep.objects.count()
    before = take(
        "body", case, "remains_handled", "station_staff", {**BODY_STEPS["remains_handled"], "cremated_on": "2001-01-01"}
    )
    assert before.status_code == 400 and "火化日期不能早于死亡" in before.json()["detail"]
    later = take(
        "body", case, "remains_handled", "station_staff", {**BODY_STEPS["remains_handled"], "cremated_on": "2999-01-01"}
    )
    assert later.status_code == 400 and "cremated_on" in later.json()["errors"]
    assert BodyCase.objects.get(pk=case).state == "in_use" and CaseStep.objects.count() == steps


def test_a_team_of_more_than_fifty_names_is_refused():
    case = open_organ()["id"]
    team = "、".join(f"医生{i}" for i in range(51))
    response = take("organ", case, "evaluating", "opo_staff", {"procurement_team": team, "transplant_team": "王敏"})
    assert response.status_code == 400 and "最多填写 50 个姓名" in response.json()["errors"]["procurement_team"][0]


@pytest.mark.parametrize("version", [1.9, True, 10**30, -1, "1.0", [1]])
def test_a_version_that_is_not_a_whole_number_is_a_400_not_a_stale_edit(version):
    case = open_organ()["id"]
    response = client_for("opo_staff").post(
        f"/api/v1/organ-cases/{case}/transitions/",
        {"to": "evaluating", "version": version, **ORGAN_STEPS["evaluating"]},
        format="json",
    )
    assert response.status_code == 400 and "version" in response.json()["errors"]


def test_the_wrong_role_hears_so_before_any_stale_version_and_the_refusal_is_audited():
    case = open_organ()["id"]
    denials = AuditEntry.objects.filter(action="security.permission.denied").count()
    response = client_for("coordinator").post(
        f"/api/v1/organ-cases/{case}/transitions/", {"to": "cancelled", "version": 99, "reason": "x"}, format="json"
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="security.permission.denied").count() == denials + 1
    assert OrganCase.objects.get(pk=case).state == "referred"


def test_a_control_character_in_a_stored_name_does_not_break_the_excel_export():
    """A name is now refused with a control character in it (``lib.text``), but one stored before that
    rule, or written around it, must still export: the export drops what a workbook cannot hold."""
    from io import BytesIO

    from django.test import Client
    from openpyxl import load_workbook

    from boai.core.tests.personas import user

    id_number = resident_id("530102", date(1971, 5, 6), "51", "M")
    refused = client_for("opo_staff").post(
        "/api/v1/organ-cases/", referral(name="普\x0b华明", id_number=id_number), format="multipart"
    )
    assert refused.status_code == 400 and "name" in refused.json()["errors"]
    case = OrganCase.objects.get(pk=open_organ(name="普华明", id_number=id_number)["id"])
    case.name = "普\x0b华明"  # as stored before the rule
    case.save(update_fields=["name"])
    web = Client()
    web.force_login(user("prov_admin"))
    response = web.get("/workspace/cases/organ/?format=xlsx")
    assert response.status_code == 200
    cells = [
        c
        for row in load_workbook(
            BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
        ).active.values
        for c in row
    ]
    assert "普华明" in cells


@pytest.mark.parametrize("signers", [{"a": 1}, 5, True, ["张三"]])
def test_signers_that_are_not_a_list_of_records_are_a_400(signers):
    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    version = client_for("coordinator").get(f"/api/v1/organ-cases/{case}/").json()["version"]
    response = client_for("coordinator").post(
        f"/api/v1/organ-cases/{case}/transitions/",
        {**ORGAN_STEPS["consented"], "to": "consented", "version": version, "signers": signers},
        format="json",
    )
    assert response.status_code == 400 and "请提交记录列表" in response.json()["errors"]["signers"][0]


def test_a_county_clerk_is_offered_only_their_own_county_already_chosen():
    from django.test import Client

    from boai.core.tests.personas import user

    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user("wuhua_staff"))
    form = web.get("/workspace/cases/body/new/").context["form"]
    offered = [code for _group, options in form.fields["region"].choices[1:] for code, _name in options]
    assert offered == ["530102"] and form["region"].value() == "530102"
    web.force_login(user("kunming_staff"))
    form = web.get("/workspace/cases/body/new/").context["form"]
    offered = [code for _group, options in form.fields["region"].choices[1:] for code, _name in options]
    assert "530102" in offered and all(code.startswith("5301") for code in offered) and len(offered) > 5


def test_the_api_gives_each_steps_facts_as_an_object():
    case = open_organ()
    walk_organ(case["id"], "evaluating")
    steps = client_for("opo_staff").get(f"/api/v1/organ-cases/{case['id']}/").json()["steps"]
    assert steps[0]["data"]["hospital"] == referral()["hospital"]
    assert steps[1]["data"]["procurement_team"] == ["张刚", "李伟"]


def test_only_coordinators_whose_area_includes_the_case_are_offered_as_witnesses():
    from django.test import Client

    from boai.core.tests.personas import user

    from .helpers import staff_account

    staff_account("coord_qilin", "coordinator", "RC530302")
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user("coordinator"))
    form = web.get(f"/workspace/cases/organ/{case}/steps/procured/").context["form"]
    offered = [name for name, _label in form.fields["witnesses"].widget.choices]
    assert "coordinator" in offered and "coord_qilin" not in offered
