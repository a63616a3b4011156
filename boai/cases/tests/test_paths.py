"""Every exit of both workflows, the registry check when a case opens, and the bad requests."""

import json
from datetime import date

import pytest
from django.apps import apps

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, CaseStep, FamilyHandover, OrganCase
from boai.registry.models import Registration
from boai.registry.services import refusal_record
from boai.registry.tests.helpers import resident_id

from .helpers import (
    BODY_STEPS,
    ETHICS,
    ago,
    client_for,
    notice,
    now_text,
    open_body,
    open_organ,
    referral,
    signer,
    station_id,
    take,
    walk_body,
    walk_organ,
)

pytestmark = pytest.mark.django_db


def registrant(body=False) -> Registration:
    return Registration.objects.filter(status="active", body=body, organs=["all"]).order_by("id").first()


@pytest.mark.parametrize(
    ("until", "to", "username", "fields"),
    [
        (None, "not_suitable", "opo_staff", {"reason": "多器官衰竭"}),
        ("evaluating", "not_suitable", "opo_staff", {"reason": "肿瘤病史"}),
        ("family_approached", "declined", "coordinator", {"reason": "家属不同意"}),
        ("evaluating", "refusal_on_record", "coordinator", {"reason": "家属出示本人生前书面拒绝"}),
        (
            "consented",
            "ethics_rejected",
            "opo_staff",
            {**ETHICS, "votes_for": 5, "votes_against": 4, "reason": "未通过"},
        ),
        ("death_determined", "cancelled", "prov_admin", {"reason": "家属撤回同意"}),
        (None, "cancelled", "opo_staff", {"reason": "重复转介"}),
    ],
)
def test_every_exit_of_an_organ_case_ends_it_with_its_reason(until, to, username, fields):
    case = open_organ()["id"]
    if until:
        walk_organ(case, until)
    response = take("organ", case, to, username, fields)
    assert response.status_code == 200, response.json()
    c = OrganCase.objects.get(pk=case)
    assert c.state == to and c.exit_reason == fields["reason"] and c.closed_at
    assert AuditEntry.objects.filter(action=f"cases.organ.{to}", object_id=str(case)).exists()
    after = take("organ", case, "cancelled", "prov_admin", {"reason": "x"})
    assert after.status_code == 409 and after.json()["code"] == "state.order"  # an ended case stays ended


@pytest.mark.parametrize(
    ("until", "to", "username", "fields"),
    [
        (None, "refused", "station_staff", {"reason_code": "infectious", "reason": "传染病"}),
        (None, "withdrawn", "wuhua_staff", {"reason": "家属改变主意"}),
        ("accepted", "withdrawn", "station_staff", {"reason": "家属改变主意"}),
        ("accepted", "cancelled", "wuhua_staff", {"reason": "登记错误"}),
    ],
)
def test_every_exit_of_a_body_case_ends_it_with_its_reason(until, to, username, fields):
    case = open_body()["id"]
    if until:
        walk_body(case, until)
    response = take("body", case, to, username, fields)
    assert response.status_code == 200, response.json()
    c = BodyCase.objects.get(pk=case)
    assert c.state == to and c.exit_reason == fields["reason"]


def test_the_body_case_is_counted_when_received_and_honoured_later():
    case = open_body()["id"]
    walk_body(case, "accepted")
    assert BodyCase.objects.get(pk=case).counted_at is None
    walk_body_from = take("body", case, "received", "station_staff", BODY_STEPS["received"])
    assert walk_body_from.json()["counted_at"]
    for to in ("in_use", "remains_handled", "honoured"):
        from .helpers import BODY_ACTORS

        assert take("body", case, to, BODY_ACTORS[to], BODY_STEPS[to]).status_code == 200
    honoured = BodyCase.objects.get(pk=case)
    assert honoured.state == "remains_handled" and honoured.honoured_at  # honoured in place


def test_an_active_registration_is_linked_and_reads_deceased_donated_after_recovery():
    reg = registrant()
    case = open_organ(name=reg.name, id_number=reg.id_number, region=reg.region_id)
    assert case["registration"] == reg.pk and case["registry_finding"] == "active"
    fields = {
        "basis": "written_intent",
        "signers": json.dumps([signer("spouse", "81")]),
        "organs": ["kidney"],
        "occurred_at": ago(3),
    }
    walk_organ(case["id"], "family_approached")
    assert take("organ", case["id"], "consented", "coordinator", fields).status_code == 200
    assert (
        take("organ", case["id"], "ethics_approved", "opo_staff", {**ETHICS, "occurred_at": ago(2)}).status_code == 200
    )
    outcomes = json.dumps([{"organ": "kidney", "recovered": True}])
    procured = {"outcomes": outcomes, "witnesses": ["coordinator"]}
    assert take("organ", case["id"], "procured", "coordinator", procured).status_code == 200
    reg.refresh_from_db()
    assert (
        reg.status == "deceased"
        and reg.donated_on
        and str(reg.status_label) in ("Deceased — donated", "已故（已捐献）")
    )


def test_consent_on_written_intent_cannot_go_beyond_the_registered_wish():
    reg = Registration.objects.filter(status="active").exclude(organs=["all"]).exclude(organs=[]).first()
    case = open_organ(name=reg.name, id_number=reg.id_number, region=reg.region_id)["id"]
    walk_organ(case, "family_approached")
    beyond = [o for o in ("kidney", "liver", "heart") if o not in reg.organs][:1]
    fields = {"basis": "written_intent", "signers": json.dumps([signer("spouse", "82")]), "organs": beyond}
    response = take("organ", case, "consented", "coordinator", fields)
    assert response.status_code == 409 and response.json()["code"] == "consent.within_wish"


def test_a_withdrawal_is_shown_and_the_coordinator_must_confirm_seeing_it():
    reg = Registration.objects.filter(status="withdrawn").first()
    case = open_organ(name=reg.name, id_number=reg.id_number, region=reg.region_id)
    assert case["registry_finding"] == "withdrawn" and reg.number in case["registry_note"]
    walk_organ(case["id"], "death_determined")
    response = take("organ", case["id"], "family_approached", "coordinator", {"note": ""})
    assert response.status_code == 409 and response.json()["code"] == "registry.withdrawal_seen"
    ok = take("organ", case["id"], "family_approached", "coordinator", {"withdrawal_seen": "on"})
    assert ok.status_code == 200


def refused_in_life(born: date, seq: str) -> str:
    """The ID number of a person whose refusal made in life a branch recorded."""
    from boai.core.tests.personas import user

    number = resident_id("530102", born, seq, "M")
    refusal_record(
        actor=user("wuhua_staff"),
        name="拒绝者",
        id_type="resident_id",
        id_number=number,
        region_code="530102",
        stated_on=date(2020, 1, 1),
    )
    return number


def test_a_refusal_on_record_stops_the_organ_case_at_referral():
    number = refused_in_life(date(1960, 4, 4), "91")
    case = open_organ(name="拒绝者", id_number=number)
    assert case["state"] == "refusal_on_record" and case["registry_finding"] == "refusal"
    assert [s["to_state"] for s in case["steps"]] == ["referred", "refusal_on_record"]


def test_a_refusal_on_record_stops_the_case_even_when_the_referral_time_is_a_few_minutes_ahead():
    """Clocks differ: the form accepts a referral time up to five minutes ahead. The system's own
    step (the refusal found) is dated when it was found, and must not be refused for being earlier."""
    from datetime import timedelta

    from django.utils import timezone

    number = refused_in_life(date(1961, 5, 5), "93")
    ahead = (timezone.localtime() + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    case = open_organ(name="拒绝者", id_number=number, referred_at=ahead)
    assert case["state"] == "refusal_on_record"
    assert [s["to_state"] for s in case["steps"]] == ["referred", "refusal_on_record"]


def test_a_refusal_on_record_refuses_a_body_donation_notice():
    from boai.core.tests.personas import user

    data = notice(station=station_id(), signers=json.dumps([signer("child", "61")]))
    refusal_record(
        actor=user("wuhua_staff"),
        name=data["name"],
        id_type="resident_id",
        id_number=data["id_number"],
        region_code="530102",
        stated_on=date(2021, 1, 1),
    )
    before = BodyCase.objects.count()
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "registry.refusal"
    assert BodyCase.objects.count() == before


def test_a_refusal_withdraws_the_persons_active_registration():
    from boai.core.tests.personas import user

    reg = registrant()
    refusal_record(
        actor=user("prov_admin"),
        name=reg.name,
        id_type=reg.id_type,
        id_number=reg.id_number,
        region_code=reg.region_id,
        stated_on=date(2026, 1, 1),
    )
    reg.refresh_from_db()
    assert reg.status == "withdrawn"


def test_a_registered_body_donor_needs_no_relatives_signatures():
    reg = Registration.objects.filter(status="active", body=True).first()
    data = notice(station=station_id(), name=reg.name, id_number=reg.id_number, region=reg.region_id)
    response = client_for("prov_admin").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["basis"] == "registration"


@pytest.mark.parametrize(
    ("signers", "scan"),
    [
        ([], True),
        ([signer("spouse", "62"), signer("child", "61", outcome="not_signed")], True),
        ([signer("child", "61")], False),
    ],
)
def test_a_joint_body_donation_needs_every_close_relative_and_the_scan(signers, scan):
    from .helpers import pdf

    data = notice(station=station_id(), signers=json.dumps(signers))
    if scan:
        data["scan"] = pdf()
    before = (BodyCase.objects.count(), CaseStep.objects.count(), AuditEntry.objects.count())
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "consent.joint_family"
    assert (BodyCase.objects.count(), CaseStep.objects.count(), AuditEntry.objects.count()) == before


def test_a_second_open_case_for_the_same_person_is_refused():
    open_organ()
    response = client_for("opo_staff").post("/api/v1/organ-cases/", referral(), format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "case.duplicate"


def test_closing_hands_the_family_on_to_family_care():
    case = open_organ()["id"]
    walk_organ(case, "closed")
    handover = FamilyHandover.objects.get(case_id=case)
    assert handover.contact_name == "普丽" and handover.phone == "13700003333"
    # family care, when installed, takes the family on at once (its case-closed hook)
    assert handover.state == ("taken" if apps.is_installed("boai.care") else "waiting")


# --- bad requests: 400 with the field, nothing written ------------------------------------------


def test_a_referral_with_a_wrong_id_number_answers_400_in_the_users_language():
    response = client_for("opo_staff").post(
        "/api/v1/organ-cases/",
        {"name": "x", "id_type": "resident_id", "id_number": "53010219710506311X"},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "id_number" in errors and "hospital" in errors and not OrganCase.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"version": 1},  # no "to"
        {"to": "flying", "version": 1},
        {"to": ["evaluating"], "version": 1},
        {"to": "evaluating"},  # no version
        {"to": "evaluating", "version": "abc"},
        {"to": "evaluating", "version": 1, "occurred_at": "yesterday", "procurement_team": "张刚"},
        {"to": "evaluating", "version": 1, "occurred_at": "2026-01-01T10:00"},  # no team
        {"to": "evaluating", "version": 1, "occurred_at": "2099-01-01T10:00", "procurement_team": "张刚"},
    ],
)
def test_a_malformed_step_answers_400(body):
    case = open_organ()["id"]
    response = client_for("opo_staff").post(f"/api/v1/organ-cases/{case}/transitions/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"]
    assert OrganCase.objects.get(pk=case).state == "referred"


def test_a_malformed_list_of_organs_answers_400_naming_the_row():
    case = open_organ()["id"]
    walk_organ(case, "ethics_approved")
    response = take("organ", case, "procured", "coordinator", {"outcomes": "not json", "witnesses": ["coordinator"]})
    assert response.status_code == 400
    response = take(
        "organ",
        case,
        "procured",
        "coordinator",
        {
            "outcomes": json.dumps([{"organ": "kidney", "recovered": True}, {"organ": "liver"}]),
            "witnesses": ["coordinator"],
        },
    )
    assert response.status_code == 400 and "第 2 行" in json.dumps(response.json()["errors"], ensure_ascii=False)


def test_a_consent_scan_that_is_not_a_pdf_or_image_is_refused_whatever_its_name():
    import io

    from .helpers import ORGAN_STEPS

    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    fake = io.BytesIO(b"MZ\x90\x00 this is a program")
    fake.name = "consent.pdf"
    response = take("organ", case, "consented", "coordinator", {**ORGAN_STEPS["consented"], "scan": fake})
    assert response.status_code == 400 and "PDF、JPEG或PNG" in response.json()["detail"]
    assert OrganCase.objects.get(pk=case).state == "family_approached"


def test_the_wrong_role_cannot_take_a_step():
    case = open_organ()["id"]
    walk_organ(case, "evaluating")
    response = take("organ", case, "family_approached", "opo_staff", {"note": ""})
    assert response.status_code == 403


def test_transitions_list_the_allowed_steps_with_their_fields_and_rules():
    case = open_organ()["id"]
    walk_organ(case, "consented")
    body = client_for("opo_staff").get(f"/api/v1/organ-cases/{case}/transitions/").json()
    steps = {t["to"]: t for t in body["transitions"]}
    assert set(steps) == {"ethics_approved", "ethics_rejected", "consent_revoked", "not_suitable", "cancelled"}
    approve = steps["ethics_approved"]
    assert approve["allowed"] and approve["rules"][0]["code"] == "ethics.two_thirds_of_members"
    assert "ethics.two_thirds_present" not in {r["code"] for r in approve["rules"]}  # not in force since 2024-05-01
    assert {f["name"] for f in approve["fields"]} >= {"occurred_at", "members_total", "votes_for", "matter_no_sale"}
    coordinator_view = client_for("coordinator").get(f"/api/v1/organ-cases/{case}/transitions/").json()
    assert not {t["to"]: t for t in coordinator_view["transitions"]}["ethics_approved"]["allowed"]


def test_the_body_notice_needs_a_station_from_the_list():
    data = notice(station="999999")
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 400 and "station" in response.json()["errors"]


def test_a_branch_cannot_open_a_body_case_outside_its_area():
    data = notice(station=station_id(), region="530302", signers=json.dumps([signer("child", "61")]))
    from .helpers import pdf

    data["scan"] = pdf()
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 400 and "region" in response.json()["errors"]
    assert now_text()


def test_a_branch_records_a_refusal_on_its_page_and_the_referral_then_stops(english):
    from django.test import Client

    from boai.core.tests.personas import user

    number = resident_id("530102", date(1958, 8, 8), "93", "F")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    data = {
        "name": "和秀",
        "id_type": "resident_id",
        "id_number": number,
        "region": "530102",
        "stated_on": "2024-03-01",
    }
    bad = client.post("/workspace/registrations/refusals/new/", {**data, "id_number": "123"})
    assert bad.status_code == 200 and "18 characters" in bad.content.decode()
    assert client.post("/workspace/registrations/refusals/new/", data).status_code == 302
    again = client.post("/workspace/registrations/refusals/new/", data)
    assert "already on record" in again.content.decode()
    assert open_organ(name="和秀", id_number=number)["state"] == "refusal_on_record"


def test_a_body_case_cannot_be_cancelled_once_the_body_was_received():
    case = open_body()["id"]
    walk_body(case, "in_use")
    response = take("body", case, "cancelled", "wuhua_staff", {"reason": "登记错误"})
    assert response.status_code == 409 and response.json()["code"] == "state.order"
    assert BodyCase.objects.get(pk=case).counted_at


def test_branch_staff_read_organ_cases_but_do_not_cancel_or_close_them():
    case = open_organ()["id"]
    walk_organ(case, "evaluating")
    assert take("organ", case, "cancelled", "wuhua_staff", {"reason": "x"}).status_code == 403


def test_a_step_cannot_be_dated_before_the_previous_step():
    case = open_organ()["id"]
    walk_organ(case, "death_determined")
    response = client_for("coordinator").post(
        f"/api/v1/organ-cases/{case}/transitions/",
        {"to": "family_approached", "version": 4, "occurred_at": "2020-01-01T10:00"},
        format="json",
    )
    assert response.status_code == 400 and "occurred_at" in response.json()["errors"]
    assert OrganCase.objects.get(pk=case).state == "death_determined"


@pytest.mark.parametrize(
    "body",
    [
        {"occurred_at": 5, "procurement_team": "张刚", "transplant_team": "王敏"},
        {"occurred_at": ["2026-01-01"], "procurement_team": "张刚", "transplant_team": "王敏"},
        {"occurred_at": "2026-01-01T10:00", "procurement_team": {"a": 1}, "transplant_team": "王敏"},
        {"occurred_at": "2026-01-01T10:00", "procurement_team": [["张刚"]], "transplant_team": "王敏"},
    ],
)
def test_values_of_the_wrong_type_answer_400_not_500(body):
    case = open_organ()["id"]
    response = client_for("opo_staff").post(
        f"/api/v1/organ-cases/{case}/transitions/", {"to": "evaluating", "version": 1, **body}, format="json"
    )
    assert response.status_code == 400


def test_deeply_nested_or_huge_lists_answer_400():
    case = open_organ()["id"]
    walk_organ(case, "family_approached")
    from .helpers import ORGAN_STEPS

    for signers in ("[" * 200_000, json.dumps([signer("spouse", "51")] * 2000)):
        response = take("organ", case, "consented", "coordinator", {**ORGAN_STEPS["consented"], "signers": signers})
        assert response.status_code == 400


def test_a_list_body_or_a_superscript_version_is_refused_cleanly():
    from django.test import Client

    from boai.core.tests.personas import user

    case = open_organ()["id"]
    assert (
        client_for("opo_staff").post(f"/api/v1/organ-cases/{case}/transitions/", [1, 2], format="json").status_code
        == 400
    )
    page = Client()
    page.force_login(user("opo_staff"))
    response = page.post(
        f"/workspace/cases/organ/{case}/steps/evaluating/",
        {"version": "²", "occurred_at": "2026-01-01T10:00", "procurement_team": "张刚", "transplant_team": "王敏"},
    )
    assert response.status_code == 200 and OrganCase.objects.get(pk=case).state == "referred"


def test_the_case_page_says_not_yet_counted_while_open_and_no_once_ended():
    from django.test import Client

    def counted_text(case_id):
        web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        web.force_login(OrganCase.objects.get(pk=case_id).opened_by)
        return web.get(f"/workspace/cases/organ/{case_id}/").content.decode()

    case = open_organ()["id"]
    assert "尚未计入：目前还没有获取到器官" in counted_text(case)
    assert take("organ", case, "not_suitable", "opo_staff", {"reason": "多器官衰竭"}).status_code == 200
    page = counted_text(case)
    assert "否：未获取任何器官" in page and "尚未计入" not in page
