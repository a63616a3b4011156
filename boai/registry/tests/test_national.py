"""The national registry exchange (defect 8 of issue 11): the national export imported (default and
overridden column mapping, row errors, upsert), matched to local registrations and consulted when a
case opens; the paper and event registrations sent back, and their national numbers recorded."""

import io
import json
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.registry.models import ImportJob, NationalRegistration, Registration
from boai.registry.selectors import registry_check
from boai.registry.tests.helpers import committing_client, resident_id
from boai.registry.tests.helpers import sheet as upload_file

pytestmark = pytest.mark.django_db

HEADER = ["登记编号", "姓名", "证件类型", "证件号码", "捐献意愿", "登记日期", "登记状态"]
PEOPLE = [
    [
        "CN2023000101",
        "马文华",
        "居民身份证",
        resident_id("530111", date(1970, 3, 3), "21", "M"),
        "肾脏、肝脏",
        "2023-04-01",
        "有效",
    ],
    [
        "CN2023000102",
        "普秀兰",
        "身份证",
        resident_id("530421", date(1965, 6, 6), "22", "F"),
        "器官、眼角膜、遗体",
        "2023-05-02",
        "有效",
    ],
    [
        "CN2024000103",
        "李春生",
        "居民身份证",
        resident_id("530302", date(1980, 8, 8), "23", "M"),
        "全部器官",
        "2024-01-15",
        "已撤销",
    ],
]


def sheet(rows, header=HEADER, name="national.xlsx"):
    return upload_file(rows, header, name)


@pytest.fixture
def province(django_capture_on_commit_callbacks):
    return committing_client("prov_admin", django_capture_on_commit_callbacks)


def imported(client, file, mapping="", mode="all") -> ImportJob:
    response = client.post("/workspace/registrations/national/", {"file": file, "mapping": mapping})
    assert response.status_code == 302, response.content.decode()[:3000]
    job = ImportJob.objects.latest("id")
    assert job.kind == "national" and job.state == "checked", (job.state, job.message)
    client.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": mode})
    job.refresh_from_db()
    return job


def test_a_national_export_of_three_people_is_imported_and_one_becomes_a_case_carried_by_their_wish(province):
    from boai.cases.tests.helpers import open_organ, signer, take, walk_organ

    before = NationalRegistration.objects.count()  # the demo's rows
    job = imported(province, sheet(PEOPLE))
    assert (job.state, job.imported_rows, job.error_rows) == ("done", 3, 0)
    ma = NationalRegistration.objects.get(national_number="CN2023000101")
    assert ma.organs == ["kidney", "liver"] and ma.status == "active" and ma.job == job
    assert ma.id_number == PEOPLE[0][3] and NationalRegistration.objects.count() == before + 3
    pu = NationalRegistration.objects.get(national_number="CN2023000102")
    assert (pu.organs, pu.tissues, pu.body) == (["all"], ["cornea"], True)
    assert AuditEntry.objects.filter(action="registry.import.committed", object_id=str(job.pk)).exists()

    case = open_organ(name="马文华", id_number=PEOPLE[0][3], region="530111")
    assert case["registry_finding"] == "national" and "CN2023000101" in case["registry_note"]
    page = province.get(f"/workspace/cases/organ/{case['id']}/").content.decode()
    assert "Registered nationally (China registry)" in page and "CN2023000101" in page
    walk_organ(case["id"], "family_approached")
    signers = json.dumps([signer("spouse", "84")])
    beyond = take(
        "organ",
        case["id"],
        "consented",
        "coordinator",
        {"basis": "written_intent", "signers": signers, "organs": ["heart"]},
    )
    assert beyond.status_code == 409 and beyond.json()["code"] == "consent.within_wish"
    own_wish = {"basis": "written_intent", "signers": signers, "organs": ["kidney"]}
    response = take("organ", case["id"], "consented", "coordinator", own_wish)
    assert response.status_code == 200, response.json()


def test_a_withdrawn_national_registration_carries_no_case(province):
    from boai.cases.tests.helpers import open_organ

    imported(province, sheet(PEOPLE))
    case = open_organ(name="李春生", id_number=PEOPLE[2][3], region="530302")
    assert case["registry_finding"] == "none"
    assert registry_check(id_number=PEOPLE[2][3]).source == "national"


def test_rows_with_errors_are_reported_by_row_number_and_nothing_half_written(province):
    bad = [
        PEOPLE[0],
        [
            "CN2023000104",
            "王五",
            "居民身份证",
            PEOPLE[1][3][:-1] + ("0" if PEOPLE[1][3][-1] != "0" else "1"),
            "肾脏",
            "2023-01-01",
            "有效",
        ],
        ["CN2023000105", "赵六", "居民身份证", resident_id(seq="24"), "翅膀", "2023-01-01", "有效"],
        ["CN2023000101", "马文华", "居民身份证", PEOPLE[0][3], "肾脏", "2023-01-01", "有效"],
    ]
    response = province.post("/workspace/registrations/national/", {"file": sheet(bad)})
    job = ImportJob.objects.latest("id")
    assert (job.total_rows, job.valid_rows, job.error_rows) == (4, 1, 3)
    assert [e["row"] for e in job.errors] == [3, 4, 5]
    assert "Unknown value: 翅膀" in job.errors[1]["message"]
    assert "row 2" in job.errors[2]["message"]
    page = province.get(response.url).content.decode()
    assert "翅膀" in page and "Import the 1 valid rows only" in page
    province.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    assert not NationalRegistration.objects.filter(job=job).exists()  # refused: rows have errors
    province.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "valid"})
    assert list(NationalRegistration.objects.filter(job=job).values_list("national_number", flat=True)) == [
        "CN2023000101"
    ]


def test_a_file_with_other_headers_imports_with_a_mapping_and_is_refused_without(province):
    header = ["志愿者编号", "姓名", "证件类型", "证件号码", "捐献类型", "登记时间", "状态"]
    response = province.post("/workspace/registrations/national/", {"file": sheet(PEOPLE[:1], header=header)})
    job = ImportJob.objects.latest("id")
    assert job.state == "failed" and "登记编号" in job.message and "捐献意愿" in job.message
    mapping = json.dumps(
        {"national_number": "志愿者编号", "what": "捐献类型", "registered_on": "登记时间", "status": "状态"}
    )
    job = imported(province, sheet(PEOPLE[:1], header=header), mapping=mapping)
    assert job.imported_rows == 1 and NationalRegistration.objects.get(job=job).registered_on == date(2023, 4, 1)
    assert response.status_code == 302


def test_a_bad_mapping_is_explained_and_uploads_nothing(province):
    before = ImportJob.objects.count()
    response = province.post("/workspace/registrations/national/", {"file": sheet(PEOPLE), "mapping": "{national"})
    assert response.status_code == 200 and "Write the column mapping as JSON" in response.content.decode()
    response = province.post("/workspace/registrations/national/", {"file": sheet(PEOPLE), "mapping": '{"wings": "x"}'})
    assert "Unknown fields in the column mapping: wings" in response.content.decode()
    assert ImportJob.objects.count() == before


def test_a_later_export_updates_the_person_by_national_number(province):
    first = imported(province, sheet(PEOPLE))
    later = [[*PEOPLE[0][:6], "已撤销"]]
    imported(province, sheet(later))
    assert NationalRegistration.objects.filter(national_number__in=[p[0] for p in PEOPLE]).count() == 3
    assert NationalRegistration.objects.filter(job=first).count() == 2
    assert NationalRegistration.objects.get(national_number="CN2023000101").status == "withdrawn"


def test_a_local_registration_shows_that_the_person_is_also_registered_nationally(province):
    reg = Registration.objects.filter(status="active").first()
    row = ["CN2022000777", reg.name, "居民身份证", reg.id_number, "全部器官", "2022-02-02", "有效"]
    imported(province, sheet([row]))
    page = province.get(f"/workspace/registrations/{reg.pk}/").content.decode()
    assert "Also registered nationally, No. CN2022000777" in page
    found = registry_check(id_number=reg.id_number)
    assert found.source == "both" and found.national.national_number == "CN2022000777"


def test_only_the_province_imports_the_national_export():
    client = Client()
    client.force_login(user("wuhua_staff"))
    assert client.get("/workspace/registrations/national/").status_code == 403


def test_paper_and_event_registrations_are_exported_once_and_their_national_numbers_recorded(province):
    sendable = set(
        Registration.objects.filter(channel__in=["paper", "event"], status="active").values_list("number", flat=True)
    )
    assert sendable
    refused = province.post("/workspace/registrations/national/export/", {"reason": ""})
    assert refused.status_code == 200 and not Registration.objects.filter(national_exported_at__isnull=False).exists()
    response = province.post("/workspace/registrations/national/export/", {"reason": "季度报送全国系统"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("本地登记编号", *HEADER)
    assert {r[0] for r in rows[1:]} == sendable
    assert Registration.objects.filter(number__in=sendable, national_exported_at__isnull=False).count() == len(sendable)
    entry = AuditEntry.objects.get(action="registry.national.exported")
    assert entry.changes["rows"] == len(sendable) and entry.changes["reason"] == "季度报送全国系统"
    again = province.post("/workspace/registrations/national/export/", {"reason": "再次报送"})
    assert again.status_code == 200 and "There is nothing to send" in again.content.decode()

    returned = [[number, f"CN2026{i:06d}"] for i, number in enumerate(sorted(sendable))]
    bad = province.post(
        "/workspace/registrations/national/numbers/",
        {"file": sheet([*returned, ["YN2099999999", "CN2099000001"]], header=["本地登记编号", "登记编号"])},
    )
    assert "no registration YN2099999999" in bad.content.decode()
    assert not Registration.objects.exclude(national_number="").exists()  # nothing half-recorded
    ok = province.post(
        "/workspace/registrations/national/numbers/", {"file": sheet(returned, header=["本地登记编号", "登记编号"])}
    )
    assert ok.status_code == 302
    first = Registration.objects.get(number=returned[0][0])
    assert first.national_number == returned[0][1]
    page = province.get(f"/workspace/registrations/{first.pk}/").content.decode()
    assert f"Sent to the national registry, No. {returned[0][1]}" in page


def test_a_returned_file_giving_one_national_number_twice_is_refused_whole(province):
    sendable = sorted(
        Registration.objects.filter(channel__in=["paper", "event"], status="active").values_list("number", flat=True)
    )[:2]
    assert len(sendable) == 2
    header = ["本地登记编号", "登记编号"]
    twice = province.post(
        "/workspace/registrations/national/numbers/",
        {"file": sheet([[sendable[0], "CN2026999001"], [sendable[1], "CN2026999001"]], header=header)},
    )
    assert "given to two registrations" in twice.content.decode()
    repeated = province.post(
        "/workspace/registrations/national/numbers/",
        {"file": sheet([[sendable[0], "CN2026999001"], [sendable[0], "CN2026999002"]], header=header)},
    )
    assert "appears twice in the file" in repeated.content.decode()
    assert not Registration.objects.filter(national_number__startswith="CN2026999").exists()
    province.post(
        "/workspace/registrations/national/numbers/",
        {"file": sheet([[sendable[0], "CN2026999001"]], header=header)},
    )
    taken = province.post(
        "/workspace/registrations/national/numbers/",
        {"file": sheet([[sendable[1], "CN2026999001"]], header=header)},
    )
    assert "already belongs to registration" in taken.content.decode()
    assert Registration.objects.filter(national_number="CN2026999001").count() == 1


def test_a_national_registration_later_than_the_local_withdrawal_carries_the_case(province):
    """The later statement wins, whichever registry holds it: withdrawn here in 2021, registered
    nationally in 2023 → the national wish; a refusal made in 2022 gives way to it likewise."""
    from boai.cases.tests.helpers import open_organ
    from boai.registry.services import refusal_record

    imported(province, sheet(PEOPLE))
    refusal_record(
        actor=user("prov_admin"),
        name="普秀兰",
        id_type="resident_id",
        id_number=PEOPLE[1][3],
        region_code="530102",
        stated_on=date(2022, 1, 1),
    )
    case = open_organ(name="普秀兰", id_number=PEOPLE[1][3], region="530102")
    assert case["state"] == "referred" and case["registry_finding"] == "national", case
    refusal_record(
        actor=user("prov_admin"),
        name="马文华",
        id_type="resident_id",
        id_number=PEOPLE[0][3],
        region_code="530111",
        stated_on=date(2024, 1, 1),
    )
    later_refusal = open_organ(name="马文华", id_number=PEOPLE[0][3], region="530111")
    assert later_refusal["state"] == "refusal_on_record"  # refused in 2024, after the 2023 national registration
