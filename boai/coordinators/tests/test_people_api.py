"""``/api/v1/coordinators/``: scoped, masked, filtered; create and update through the same services
(each refusal with nothing written); the export masked and audited."""

import csv
import io
from datetime import date

import pytest
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.demo import resident_id
from boai.core.tests.personas import user

from ..models import Coordinator
from .factories import make_coordinator, make_qualified

pytestmark = pytest.mark.django_db

URL = "/api/v1/coordinators/"


def api(username):
    client = APIClient()
    client.force_login(user(username))
    return client


def body(**changes):
    return {
        "name": "周琳",
        "id_number": resident_id("530102", date(1986, 7, 14), "F", 31),
        "region": "530102",
        "organisation": "RC530102",
        "phone": "13988776655",
        "profession": "护士",
    } | changes


def counts():
    return Coordinator.objects.count(), AuditEntry.objects.count()


def test_the_list_is_scoped_and_masked():
    mine = make_coordinator(name="五华协调员", region="530102")
    make_coordinator(name="麒麟协调员", region="530302", born=date(1970, 1, 1))
    data = api("wuhua_staff").get(URL).json()
    names = [row["name"] for row in data["results"]]
    assert "五华协调员" in names and "麒麟协调员" not in names
    row = next(r for r in data["results"] if r["name"] == "五华协调员")
    assert row["phone"] != mine.phone and "*" in row["phone"] and "*" in row["id_number"]
    assert "birth_date" not in row and row["birth_year"] == mine.birth_year


def test_the_filters():
    make_coordinator(name="医院协调员", region="530102", organisation="OPO-KMU1")
    make_qualified(name="已取得", region="530102", born=date(1980, 2, 2))
    make_qualified(name="麒麟已取得", region="530302", born=date(1981, 2, 2))
    client = api("prov_admin")

    def names(query):
        return {row["name"] for row in client.get(URL + query).json()["results"]}

    assert {"已取得", "麒麟已取得"} <= names("?state=qualified") and "医院协调员" not in names("?state=qualified")
    assert "麒麟已取得" in names("?region=5303") and "已取得" not in names("?region=5303")
    assert names("?organisation=OPO-KMU1") >= {"医院协调员"} and "已取得" not in names("?organisation=OPO-KMU1")
    assert client.get(URL + "?state=nonsense").status_code == 400


def test_a_record_out_of_scope_is_404():
    c = make_coordinator(region="530102")
    assert api("qilin_staff").get(f"{URL}{c.pk}/").status_code == 404
    assert api("wuhua_staff").get(f"{URL}{c.pk}/").json()["name"] == c.name


def test_create_through_the_service():
    response = api("wuhua_staff").post(URL, body(), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "applicant" and response.json()["phone"] != "13988776655"
    c = Coordinator.objects.get(pk=response.json()["id"])
    assert (c.sex, c.birth_date, c.created_by.username) == ("F", date(1986, 7, 14), "wuhua_staff")
    assert AuditEntry.objects.filter(action="coordinators.coordinator.created", object_id=str(c.pk)).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"id_number": "530102198607140000"}, "id_number"),
        ({"phone": "12345"}, "phone"),
        ({"region": "530302", "organisation": "RC530302"}, "region"),
        ({"organisation": "RC530302"}, "organisation"),
        ({"organisation": "RS-KMU"}, "organisation"),
    ],
)
def test_a_wrong_body_is_400_under_its_field_with_nothing_written(changes, field):
    before = counts()
    response = api("wuhua_staff").post(URL, body(**changes), format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert counts() == before


def test_a_duplicate_is_409_with_nothing_written():
    existing = make_coordinator(region="530102")
    before = counts()
    response = api("wuhua_staff").post(URL, body(id_number=existing.id_number), format="json")
    assert response.status_code == 409 and response.json()["code"] == "coordinators.one_record_per_person"
    assert counts() == before


def test_update_with_the_version_read_and_a_stale_one():
    c = make_coordinator(region="530102")
    client = api("wuhua_staff")
    response = client.patch(f"{URL}{c.pk}/", {"title": "主管护师", "version": c.version}, format="json")
    assert response.status_code == 200 and response.json()["title"] == "主管护师"
    assert response.json()["version"] == c.version + 1
    before = counts()
    stale = client.patch(f"{URL}{c.pk}/", {"title": "主任护师", "version": c.version}, format="json")
    assert stale.status_code == 409
    assert counts() == before and Coordinator.objects.get(pk=c.pk).title == "主管护师"
    whole = body(id_number=c.id_number, name=c.name, version=c.version + 1, department="器官移植科")
    assert client.put(f"{URL}{c.pk}/", whole, format="json").status_code == 200
    assert Coordinator.objects.get(pk=c.pk).department == "器官移植科"


def test_an_update_without_a_version_is_refused():
    c = make_coordinator(region="530102")
    assert api("wuhua_staff").patch(f"{URL}{c.pk}/", {"title": "x"}, format="json").status_code == 400


def test_the_export_is_masked_audited_and_needs_a_reason():
    c = make_coordinator(name="五华协调员", region="530102")
    client = api("wuhua_staff")
    before = counts()
    assert client.post(URL + "export/", {"reason": "", "format": "csv"}, format="json").status_code == 400
    assert client.post(URL + "export/", {"reason": "ab", "format": "csv"}, format="json").status_code == 400
    assert counts() == before
    response = client.post(URL + "export/?state=applicant", {"reason": "年度统计", "format": "csv"}, format="json")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("五华协调员" in row for row in rows)
    assert c.phone not in text and c.id_number not in text
    entry = AuditEntry.objects.get(action="coordinators.coordinator.exported")
    assert entry.changes["filters"] == {"state": "applicant"} and entry.changes["reason"] == "年度统计"
    assert entry.changes["searched"] is False


def test_an_exported_search_keeps_the_term_out_of_the_audit_log():
    a = make_coordinator(name="五华甲", region="530102")
    make_coordinator(name="五华乙", region="530102", born=date(1990, 5, 5))
    response = api("wuhua_staff").post(
        URL + "export/", {"reason": "核对名单", "q": a.phone, "format": "csv"}, format="json"
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "五华甲" in text and "五华乙" not in text
    entry = AuditEntry.objects.get(action="coordinators.coordinator.exported")
    assert entry.changes["searched"] is True and a.phone not in str(entry.changes)


def test_a_coordinator_account_may_read_but_not_write():
    client = api("coordinator")
    assert client.get(URL).status_code == 200
    before = counts()
    assert client.post(URL, body(region="530000", organisation="RC530000"), format="json").status_code == 403
    assert counts()[0] == before[0]


def test_the_search_is_a_post_by_name_id_number_or_phone():
    a = make_coordinator(name="五华甲", region="530102")
    make_coordinator(name="五华乙", region="530102", born=date(1990, 5, 5))
    make_coordinator(name="麒麟甲", region="530302", born=date(1991, 5, 5))
    client = api("wuhua_staff")
    for q in ("甲", a.phone, a.id_number):
        response = client.post(URL + "search/", {"q": q}, format="json")
        assert [row["name"] for row in response.json()["results"]] == ["五华甲"], q
    response = client.post(URL + "search/", {"q": "五华", "state": "qualified"}, format="json")
    assert response.json()["results"] == []
    assert client.post(URL + "search/", {"state": "nonsense"}, format="json").status_code == 400
