"""Body donation as Yunnan's measures read it: the station told directly opens the case itself, the
donor is honoured once the body is received, the death certificate, the hand-over agreement, the
transport and the use are on record, and a permanent specimen gets a memorial instead of remains."""

import importlib
import json
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.cases.models import BodyCase, CaseStep
from boai.certificates.models import Certificate, Kind
from boai.core.models import Attachment, Organisation
from boai.registry.tests.helpers import resident_id

from .helpers import (
    BODY_ACTORS,
    BODY_STEPS,
    client_for,
    notice,
    open_body,
    pdf,
    signer,
    staff_account,
    station_id,
    take,
    walk_body,
)

pytestmark = pytest.mark.django_db


def snapshot(case_id):
    case = BodyCase.objects.get(pk=case_id)
    return (
        CaseStep.objects.count(),
        AuditEntry.objects.count(),
        Attachment.objects.count(),
        Certificate.objects.count(),
        case.version,
        case.state,
        case.honoured_at,
    )


def refused(case_id, to, username, fields, rule, *, files=True):
    before = snapshot(case_id)
    response = take("body", case_id, to, username, fields, files=files)
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == rule, response.json()
    assert snapshot(case_id) == before
    return response.json()


def invalid(case_id, to, username, fields, field, *, files=True):
    before = snapshot(case_id)
    response = take("body", case_id, to, username, fields, files=files)
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()
    assert snapshot(case_id) == before
    return response.json()


def step(case_id, to, fields=None, username=None, *, files=True):
    fields = BODY_STEPS[to] if fields is None else fields
    response = take("body", case_id, to, username or BODY_ACTORS[to], fields, files=files)
    assert response.status_code == 200, response.json()
    return BodyCase.objects.get(pk=case_id)


def honour_certificates(case_id):
    return Certificate.objects.filter(body_case_id=case_id, kind=Kind.BODY_HONOUR).count()


def station_notice(**overrides):
    data = notice(signers=json.dumps([signer("child", "61")]), scan=pdf())
    data.pop("station")  # a station does not choose: the case is its own
    return {**data, **overrides}


# --- the station told directly -------------------------------------------------------------------


def test_a_station_told_by_the_family_opens_the_case_for_its_own_station():
    response = client_for("station_staff").post("/api/v1/body-cases/", station_notice(), format="multipart")
    assert response.status_code == 201, response.json()
    case = BodyCase.objects.get(pk=response.json()["id"])
    assert case.station_id == station_id() and case.opened_by.username == "station_staff"
    # it stays the station's: its staff see it and take its steps
    assert client_for("station_staff").get(f"/api/v1/body-cases/{case.pk}/").status_code == 200
    assert step(case.pk, "accepted").state == "accepted"


def test_a_station_cannot_open_a_case_for_another_station():
    other = Organisation.objects.create(
        code="RS-DL", name="大理大学遗体接收站", type=Organisation.Type.RECEPTION_STATION, region_id="530102"
    )
    before = (BodyCase.objects.count(), AuditEntry.objects.count())
    response = client_for("station_staff").post(
        "/api/v1/body-cases/", station_notice(station=other.pk), format="multipart"
    )
    assert response.status_code == 400
    assert "接收站只能为本站登记遗体捐献案例" in json.dumps(response.json(), ensure_ascii=False)
    assert (BodyCase.objects.count(), AuditEntry.objects.count()) == before


def test_a_station_does_not_see_another_stations_case():
    other = Organisation.objects.create(
        code="RS-DL", name="大理大学遗体接收站", type=Organisation.Type.RECEPTION_STATION, region_id="530102"
    )
    staff_account("dali_station", "station_staff", other.code)
    ours = client_for("station_staff").post("/api/v1/body-cases/", station_notice(), format="multipart").json()
    dali = client_for("dali_station")
    assert dali.get(f"/api/v1/body-cases/{ours['id']}/").status_code == 404
    assert dali.get("/api/v1/body-cases/").json()["count"] == 0
    other_person = resident_id("530102", date(1949, 7, 8), "42", "M")
    theirs = dali.post("/api/v1/body-cases/", station_notice(id_number=other_person), format="multipart")
    assert theirs.status_code == 201, theirs.json()
    assert BodyCase.objects.get(pk=theirs.json()["id"]).station == other
    assert client_for("station_staff").get(f"/api/v1/body-cases/{theirs.json()['id']}/").status_code == 404


def test_a_branch_still_chooses_the_station_and_must_name_one():
    data = notice(signers=json.dumps([signer("child", "61")]), scan=pdf())
    data.pop("station")
    response = client_for("wuhua_staff").post("/api/v1/body-cases/", data, format="multipart")
    assert response.status_code == 400 and "station" in response.json()["errors"]
    assert not BodyCase.objects.exists()
    assert open_body()["station"] == station_id()


# --- the honour -----------------------------------------------------------------------------------


def test_the_donor_is_honoured_once_the_body_is_received_and_gets_one_certificate():
    case = open_body()["id"]
    walk_body(case, "accepted")
    refused(case, "honoured", "wuhua_staff", BODY_STEPS["honoured"], "state.order")  # not before reception
    step(case, "received")
    honoured = step(case, "honoured")
    assert honoured.state == "received" and honoured.honoured_at  # the case keeps its place
    assert honour_certificates(case) == 1
    assert CaseStep.objects.filter(body_case_id=case).last().to_state == "honoured"
    refused(case, "honoured", "wuhua_staff", BODY_STEPS["honoured"], "body.honoured_once")
    offered = client_for("wuhua_staff").get(f"/api/v1/body-cases/{case}/transitions/").json()["transitions"]
    assert "honoured" not in [t["to"] for t in offered] and "in_use" in [t["to"] for t in offered]
    for to in ("in_use", "remains_handled", "closed"):
        assert step(case, to).state == to
    assert honour_certificates(case) == 1
    shown = client_for("station_staff").get(f"/api/v1/body-cases/{case}/").json()
    assert shown["honoured_at"] and shown["use"] == "teaching" and shown["death_certificate_recorded"] is True
    assert shown["transported_by"] == "昆明殡仪馆 王师傅" and "J530102260001" not in json.dumps(shown)


def test_a_case_closes_only_after_the_honour():
    case = open_body()["id"]
    walk_body(case, "remains_handled")
    refused(case, "closed", "wuhua_staff", {}, "body.honoured_before_closing")
    step(case, "honoured")
    assert step(case, "closed").state == "closed" and honour_certificates(case) == 1


def test_a_case_honoured_before_the_change_still_closes():
    case = open_body()["id"]
    walk_body(case, "remains_handled")
    # as the old path left it: in the state "honoured", its step into it in the timeline, no honoured_at
    BodyCase.objects.filter(pk=case).update(state="honoured")
    last = CaseStep.objects.filter(body_case_id=case).last()
    CaseStep.objects.create(
        body_case_id=case,
        from_state="remains_handled",
        to_state="honoured",
        actor=last.actor,
        recorded_at=last.recorded_at,
        occurred_at=last.occurred_at,
        data={},
    )
    migration = importlib.import_module("boai.cases.migrations.0008_body_donation_records")
    migration.honoured_at_from_timeline(apps, None)
    assert BodyCase.objects.get(pk=case).honoured_at == last.occurred_at
    refused(case, "honoured", "wuhua_staff", BODY_STEPS["honoured"], "state.order")
    assert step(case, "closed").state == "closed"


# --- the use: a permanent specimen -----------------------------------------------------------------


def test_a_permanent_specimen_has_no_remains_handled_but_a_memorial():
    case = open_body()["id"]
    walk_body(case, "received")
    assert step(case, "in_use", {"purpose": "specimen"}).use == "specimen"
    refused(case, "remains_handled", "station_staff", BODY_STEPS["remains_handled"], "body.specimen_has_no_remains")
    invalid(case, "memorial", "station_staff", {"specimen_kept_at": "人体科学馆"}, "memorial_record")
    memorial = {"specimen_kept_at": "昆明医科大学人体科学馆", "memorial_record": "铭记于生命礼赞纪念墙"}
    kept = step(case, "memorial", memorial)
    assert (kept.state, kept.specimen_kept_at, kept.memorial_record) == ("memorial", *memorial.values())
    step(case, "honoured")
    assert step(case, "closed").state == "closed"


def test_a_body_used_for_teaching_gets_no_memorial():
    case = open_body()["id"]
    walk_body(case, "in_use")
    memorial = {"specimen_kept_at": "人体科学馆", "memorial_record": "纪念"}
    refused(case, "memorial", "station_staff", memorial, "body.memorial_for_specimen")


def test_the_body_is_cremated_after_its_use_began():
    died = (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    case = open_body(died_at=died)["id"]
    walk_body(case, "in_use")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = invalid(
        case, "remains_handled", "station_staff", {"cremated_on": yesterday, "ashes": "returned"}, "cremated_on"
    )
    assert "火化日期不能早于遗体开始使用的日期" in json.dumps(body, ensure_ascii=False)


# --- the papers ---------------------------------------------------------------------------------------


def test_the_station_accepts_only_with_the_death_certificate_and_its_scan():
    case = open_body()["id"]
    refused(case, "accepted", "station_staff", {"note": ""}, "body.death_certificate", files=False)
    invalid(case, "accepted", "station_staff", BODY_STEPS["accepted"], "death_certificate_scan", files=False)
    accepted = step(case, "accepted")
    assert accepted.death_certificate_number == "J530102260001"
    assert Attachment.objects.filter(kind="death_certificate_scan").count() == 1
    with connection.cursor() as cursor:  # kept encrypted like the other sensitive facts
        cursor.execute("SELECT death_certificate_number FROM cases_bodycase WHERE id = %s", [case])
        assert "J530102260001" not in cursor.fetchone()[0]
    assert "J530102260001" not in json.dumps(CaseStep.objects.filter(body_case_id=case).last().data)


def test_a_death_certificate_given_at_notification_needs_nothing_more_at_acceptance():
    fields = {
        "death_certificate_number": "J530102269999",
        "death_certificate_date": timezone.localdate().isoformat(),
    }
    response = client_for("wuhua_staff").post(
        "/api/v1/body-cases/",
        notice(station=station_id(), signers=json.dumps([signer("child", "61")]), scan=pdf(), **fields),
        format="multipart",
    )
    assert (
        response.status_code == 400 and "death_certificate_scan" in response.json()["errors"]
    )  # the scan comes with it
    case = open_body(**fields, death_certificate_scan=pdf())["id"]
    assert BodyCase.objects.get(pk=case).death_certificate_date == timezone.localdate()
    assert step(case, "accepted", {"note": ""}, files=False).state == "accepted"


def test_the_reception_records_the_hand_over_agreement_and_the_transport():
    case = open_body()["id"]
    walk_body(case, "accepted")
    invalid(case, "received", "station_staff", BODY_STEPS["received"], "handover_scan", files=False)
    later = (timezone.localtime() + timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    invalid(case, "received", "station_staff", {**BODY_STEPS["received"], "transported_at": later}, "transported_at")
    received = step(case, "received")
    assert received.handover_on == timezone.localdate() and received.transported_by == "昆明殡仪馆 王师傅"
    assert received.transported_at and received.counted_at
    assert Attachment.objects.filter(kind="handover_scan").count() == 1
