"""The API of refusals made in life, of marking a registrant deceased, and of the national registry
exchange: the same services as the pages, scoped, with 400/409 for bad requests and nothing written."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.registry.models import ImportJob, NationalRegistration, Refusal, Registration
from boai.registry.selectors import registry_check
from boai.registry.tests.helpers import resident_id
from boai.registry.tests.test_api import body, staff
from boai.registry.tests.test_national import PEOPLE, sheet

pytestmark = pytest.mark.django_db

PERSON = resident_id("530102", date(1958, 8, 8), "66", "F")
REFUSAL = {
    "name": "普美华",
    "id_type": "resident_id",
    "id_number": PERSON,
    "region": "530102",
    "stated_on": "2022-02-02",
}


def test_a_branch_records_lists_and_revokes_a_refusal_in_its_area():
    client = staff("wuhua_staff")
    created = client.post("/api/v1/refusals/", REFUSAL, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert "*" in data["id_number"] and data["revoked_at"] is None
    assert data["id"] in [r["id"] for r in client.get("/api/v1/refusals/").json()["results"]]
    assert data["id"] not in [r["id"] for r in staff("qilin_staff").get("/api/v1/refusals/").json()["results"]]
    assert staff("qilin_staff").post(f"/api/v1/refusals/{data['id']}/revoke/", {}, format="json").status_code == 404

    early = client.post(
        f"/api/v1/refusals/{data['id']}/revoke/", {"reason": "本人书面撤销", "revoked_on": "2021-01-01"}
    )
    assert early.status_code == 400 and early.json()["errors"]["revoked_on"]
    assert Refusal.objects.get(pk=data["id"]).revoked_at is None
    ok = client.post(
        f"/api/v1/refusals/{data['id']}/revoke/", {"reason": "本人书面撤销", "revoked_on": "2023-03-03"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["revoked_on"] == "2023-03-03" and ok.json()["revoked_at"]
    assert registry_check(id_number=PERSON).refusal is None
    assert AuditEntry.objects.filter(action="registry.refusal.revoked", object_id=str(data["id"])).count() == 1
    again = client.post(
        f"/api/v1/refusals/{data['id']}/revoke/", {"reason": "再次", "revoked_on": "2023-03-03"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "refusal_revoked"


def test_a_registration_through_the_api_revokes_the_refusal_and_says_so():
    client = staff("wuhua_staff")
    refusal = client.post("/api/v1/refusals/", REFUSAL, format="json").json()
    response = client.post("/api/v1/registrations/", body(id_number=PERSON), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["revoked_refusals"] == ["2022-02-02"]
    listed = client.get(f"/api/v1/refusals/{refusal['id']}/").json()
    assert listed["revoked_by_registration"] == response.json()["number"]


def test_a_bad_refusal_is_refused_with_the_field_named_and_nothing_stored():
    before = Refusal.objects.count()
    response = staff().post("/api/v1/refusals/", {**REFUSAL, "id_number": PERSON[:-1] + "0"}, format="json")
    assert response.status_code == 400 and "id_number" in response.json()["errors"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert staff().post("/api/v1/refusals/", {**REFUSAL, "stated_on": future}, format="json").status_code == 400
    unknown = staff("prov_admin").post("/api/v1/refusals/", {**REFUSAL, "region": "539999"}, format="json")
    assert unknown.status_code == 400 and "region" in unknown.json()["errors"]
    assert Refusal.objects.count() == before
    assert staff("auditor").post("/api/v1/refusals/", REFUSAL, format="json").status_code == 403


def test_marking_deceased_through_the_api_checks_the_version_and_the_date():
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    client = staff("wuhua_staff")
    url = f"/api/v1/registrations/{reg.pk}/deceased/"
    stale = client.post(url, {"died_on": timezone.localdate().isoformat(), "version": reg.version + 1}, format="json")
    assert stale.status_code == 409
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = client.post(url, {"died_on": future, "version": reg.version}, format="json")
    assert bad.status_code == 400 and "died_on" in bad.json()["errors"]
    assert client.post(url, {"version": reg.version}, format="json").status_code == 400
    assert Registration.objects.get(pk=reg.pk).status == "active"
    ok = client.post(url, {"died_on": timezone.localdate().isoformat(), "version": reg.version}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "deceased"
    assert ok.json()["deceased_on"] == timezone.localdate().isoformat()


def test_the_national_export_is_imported_through_the_api(django_capture_on_commit_callbacks):
    client = staff("prov_admin")
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post("/api/v1/national-imports/", {"file": sheet(PEOPLE)}, format="multipart")
    assert created.status_code == 201, created.json()
    job = client.get(f"/api/v1/national-imports/{created.json()['id']}/").json()
    assert (job["kind"], job["state"], job["total_rows"], job["error_rows"]) == ("national", "checked", 3, 0)
    committed = client.post(f"/api/v1/national-imports/{job['id']}/commit/", {"mode": "all"}, format="json")
    assert committed.status_code == 202
    done = client.get(f"/api/v1/national-imports/{job['id']}/").json()
    assert (done["state"], done["imported_rows"], done["progress"]) == ("done", 3, 100)
    assert NationalRegistration.objects.filter(job_id=job["id"]).count() == 3
    twice = client.post(f"/api/v1/national-imports/{job['id']}/commit/", {"mode": "all"}, format="json")
    assert twice.status_code == 409


def test_a_bad_national_upload_answers_400_and_stores_nothing():
    client = staff("prov_admin")
    before = ImportJob.objects.count()
    bad_mapping = client.post(
        "/api/v1/national-imports/", {"file": sheet(PEOPLE), "mapping": '{"wings": "x"}'}, format="multipart"
    )
    assert bad_mapping.status_code == 400 and "mapping" in bad_mapping.json()["errors"]
    wrong_type = client.post("/api/v1/national-imports/", {"file": sheet(PEOPLE, name="a.pdf")}, format="multipart")
    assert wrong_type.status_code == 400 and "file" in wrong_type.json()["errors"]
    assert ImportJob.objects.count() == before
    assert staff("wuhua_staff").get("/api/v1/national-imports/").status_code == 403


def test_the_upload_file_and_the_returned_numbers_through_the_api():
    client = staff("prov_admin")
    assert client.post("/api/v1/national-exports/", {"reason": ""}, format="json").status_code == 400
    response = client.post("/api/v1/national-exports/", {"reason": "季度报送"}, format="json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sent = Registration.objects.filter(national_exported_at__isnull=False).order_by("number").first()
    assert client.post("/api/v1/national-exports/", {"reason": "季度报送"}, format="json").status_code == 409
    returned = sheet([[sent.number, "CN2026000001"]], header=["本地登记编号", "登记编号"])
    recorded = client.post("/api/v1/national-numbers/", {"file": returned}, format="multipart")
    assert recorded.status_code == 200 and recorded.json() == {"recorded": 1}
    sent.refresh_from_db()
    assert sent.national_number == "CN2026000001"
