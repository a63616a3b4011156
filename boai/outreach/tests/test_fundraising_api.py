"""The fundraising API: scoped lists and records with their days, create and update through the same
services (version checked), and the upload answering the import's summary with its row errors."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from boai.core.tests.personas import user

from .factories import make_project

pytestmark = pytest.mark.django_db
API = "/api/v1/fundraising-projects/"


def api(username="wuhua_staff"):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user(username))
    return c


def test_the_list_is_scoped_and_carries_what_was_raised():
    mine = make_project(region="530102", created_by="wuhua_staff", days=((date(2025, 5, 8), 12_345, 6),))
    other = make_project(region="530302", created_by="qilin_staff")
    rows = {r["id"]: r for r in api().get(API).json()["results"]}
    assert other.pk not in rows
    assert (rows[mine.pk]["raised_fen"], rows[mine.pk]["donors"]) == (12_345, 6)
    assert api().get(f"{API}{other.pk}/").status_code == 404


def test_a_project_is_created_and_updated_with_its_version():
    c = api()
    body = {
        "title": "5·8人道公益日",
        "purpose": "family_care",
        "care_kind": "condolence",
        "target": "200,000",
        "platform": "腾讯公益",
        "starts_on": "2025-05-05",
        "ends_on": "2025-05-08",
        "region": "530102",
    }
    created = c.post(API, body, format="json")
    assert created.status_code == 201
    project = created.json()
    assert (project["target_fen"], project["days"]) == (20_000_000, [])
    stale = c.patch(f"{API}{project['id']}/", {"version": 5, "title": "x"}, format="json")
    assert stale.status_code == 409
    changed = c.patch(f"{API}{project['id']}/", {"version": 1, "target": "250000"}, format="json")
    assert changed.status_code == 200 and changed.json()["target_fen"] == 25_000_000


def test_a_bad_body_is_a_400_with_each_field():
    response = api().post(API, {"title": "", "target": "-1", "region": "530302"}, format="json")
    assert response.status_code == 400
    assert {"title", "target", "region"} <= set(response.json()["errors"])


def test_an_upload_answers_the_summary_with_its_row_errors():
    project = make_project(
        region="530102",
        created_by="wuhua_staff",
        starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 8),
        days=((date(2025, 5, 5), 1, 1),),
    )
    content = "日期,金额,捐款人次\n2025-05-05,10,1\n2025-05-06,abc,1\n".encode("gbk")
    response = api().post(
        f"{API}{project.pk}/results/",
        {"file": SimpleUploadedFile("e.csv", content), "replace": "true"},
        format="multipart",
    )
    assert response.status_code == 201
    summary = response.json()
    assert (summary["rows_total"], summary["rows_saved"], summary["replaced"]) == (2, 1, 1)
    assert summary["replaced_days"] == [
        {"day": "2025-05-05", "old_amount_fen": 1, "old_donors": 1, "amount_fen": 1000, "donors": 1}
    ]
    assert summary["errors"] == [
        {"row": 3, "column": "金额", "message": "Give an amount in yuan, for example 1000 or 1,000.50."}
    ]
    detail = api("auditor").get(f"{API}{project.pk}/").json()
    assert detail["days"] == [{"day": "2025-05-05", "amount_fen": 1000, "donors": 1, "imported": True}]


def test_an_unreadable_upload_is_a_400_and_an_auditor_cannot_upload():
    project = make_project(region="530102", created_by="wuhua_staff")
    bad = api().post(f"{API}{project.pk}/results/", {"file": SimpleUploadedFile("e.txt", b"x")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    ok = SimpleUploadedFile("e.csv", b"date,amount,donors\n")
    assert api("auditor").post(f"{API}{project.pk}/results/", {"file": ok}, format="multipart").status_code == 403


def test_an_upload_that_would_replace_recorded_days_is_a_409_naming_them_and_saves_nothing():
    project = make_project(
        region="530102",
        created_by="wuhua_staff",
        starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 8),
        days=((date(2025, 5, 5), 100, 2),),
    )
    content = "日期,金额,捐款人次\n2025-05-05,10,1\n2025-05-06,20,3\n".encode()
    response = api().post(
        f"{API}{project.pk}/results/", {"file": SimpleUploadedFile("e.csv", content)}, format="multipart"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "days_recorded" and "2025-05-05" in body["detail"]
    assert body["days"] == [
        {"day": "2025-05-05", "old_amount_fen": 100, "old_donors": 2, "amount_fen": 1000, "donors": 1}
    ]
    assert project.imports.count() == 0
    assert list(project.days.values_list("day", "amount_fen")) == [(date(2025, 5, 5), 100)]


def test_an_upload_of_new_days_only_needs_no_replace():
    project = make_project(
        region="530102", created_by="wuhua_staff", starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 8)
    )
    content = "日期,金额,捐款人次\n2025-05-06,20,3\n".encode()
    response = api().post(
        f"{API}{project.pk}/results/", {"file": SimpleUploadedFile("e.csv", content)}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["replaced"] == 0 and response.json()["replaced_days"] == []
