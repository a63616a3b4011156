"""``export/`` of every list of the coordinators API (``api/exports.Exportable``): the filtered, scoped
list as an Excel file that opens, personal data masked, an audit entry written; a role without
coordinators.export is refused with nothing audited."""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.lib.masking import mask_id_number, mask_phone

from ..models import TrainingClass
from ..services import applications
from ..services import training as training
from .app_helpers import pdf
from .factories import make_coordinator, make_qualified, today
from .test_training_pages import scene
from .test_training_services import klass

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user(username))
    return c


def rows(response) -> list[list]:
    """The sheet's data rows (the header dropped), each cell as text."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    found = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return found[1:]


def exported(action: str, username: str, url: str, params: dict) -> list[list]:
    """Export as ``username``; exactly one audit entry ``action`` is written, with the filters."""
    before = AuditEntry.objects.filter(action=action).count()
    found = rows(api(username).get(url, params))
    entries = AuditEntry.objects.filter(action=action)
    assert entries.count() == before + 1
    entry = entries.order_by("-created_at", "-id").first()
    assert entry.actor_username == username and entry.changes == {k: str(v) for k, v in params.items()}
    return found


def refused(action: str, url: str) -> None:
    before = AuditEntry.objects.filter(action=action).count()
    assert api("coordinator").get(url).status_code == 403  # views coordinators, may not export
    assert api("opo_staff").get(url).status_code == 403  # may not even view
    assert AuditEntry.objects.filter(action=action).count() == before


def masked(found: list[list], person) -> None:
    """``person``'s row shows the masked ID number (and phone, where there is a column for it), never
    the full ones."""
    cells = [cell for row in found for cell in row]
    assert person.id_number not in cells and mask_id_number(person.id_number) in cells
    assert person.phone not in " ".join(cells)


def test_training_lists_export_filtered_scoped_and_masked():
    c, held, coming, wuhua, qilin = scene()
    national = klass(kind="national")
    training.attendance_record(actor=user("prov_admin"), enrolment=wuhua, session=held, status="present")
    training.attendance_record(actor=user("prov_admin"), enrolment=qilin, session=held, status="absent")

    TrainingClass.objects.filter(pk=national.pk).update(title="第45期全国协调员培训班")
    url = "/api/v1/trainings/export/"
    found = exported("coordinators.class.exported", "auditor", url, {"kind": "national"})
    assert "第45期全国协调员培训班" in [r[0] for r in found]
    assert {r[1] for r in found} == {"National"}  # the provincial class is left out

    url = "/api/v1/training-enrolments/export/"
    found = exported("coordinators.enrolment.exported", "prov_admin", url, {"class": c.pk})
    assert sorted(r[2] for r in found) == sorted([wuhua.coordinator.name, qilin.coordinator.name])
    masked(found, wuhua.coordinator)
    masked(found, qilin.coordinator)
    found = exported("coordinators.enrolment.exported", "wuhua_staff", url, {"class": c.pk})
    assert [r[2] for r in found] == [wuhua.coordinator.name]  # Qilin's is outside Wuhua's area
    assert exported("coordinators.enrolment.exported", "prov_admin", url, {"class": national.pk}) == []

    url = "/api/v1/training-attendance/export/"
    found = exported("coordinators.attendance.exported", "prov_admin", url, {"class": c.pk})
    assert sorted((r[1], r[3], r[5]) for r in found) == sorted(
        [
            (held.day.isoformat(), wuhua.coordinator.name, "Present"),
            (held.day.isoformat(), qilin.coordinator.name, "Absent"),
        ]
    )
    masked(found, wuhua.coordinator)
    found = exported("coordinators.attendance.exported", "qilin_staff", url, {"class": c.pk})
    assert [r[3] for r in found] == [qilin.coordinator.name]

    refused("coordinators.class.exported", "/api/v1/trainings/export/")
    refused("coordinators.enrolment.exported", "/api/v1/training-enrolments/export/")
    refused("coordinators.attendance.exported", "/api/v1/training-attendance/export/")
    assert api("prov_admin").get("/api/v1/training-enrolments/export/", {"kind": "county"}).status_code == 400


def test_applications_export_filtered_scoped_and_masked():
    wuhua = make_coordinator(name="导出申请人")
    qilin = make_coordinator(name="麒麟申请人", region="530302")
    for person in (wuhua, qilin):
        applications.application_submit(actor=user("prov_admin"), coordinator=person, documents=[pdf()])
    url = "/api/v1/coordinator-applications/export/"
    found = exported("coordinators.application.exported", "prov_admin", url, {"coordinator": wuhua.pk})
    assert [r[0] for r in found] == [wuhua.name]
    assert found[0][1] == mask_id_number(wuhua.id_number) and found[0][2] == mask_phone(wuhua.phone)
    assert found[0][4] == "In review" and found[0][5] == "County branch"
    masked(found, wuhua)
    found = exported("coordinators.application.exported", "qilin_staff", url, {"state": "in_review"})
    names = {r[0] for r in found}
    assert qilin.name in names and wuhua.name not in names  # scoped to Qilin's area
    for row in found:
        assert row[4] == "In review"
    refused("coordinators.application.exported", url)
    assert api("prov_admin").get(url, {"state": "nonsense"}).status_code == 400


def test_qualifications_export_filtered_scoped_and_masked():
    soon = make_qualified(name="即将到期", valid_until=today().replace(year=today().year + 5))
    qilin = make_qualified(name="麒麟持证", region="530302")
    url = "/api/v1/coordinator-qualifications/export/"
    found = exported("coordinators.qualification.exported", "auditor", url, {"coordinator": soon.pk})
    assert [r[0] for r in found] == [soon.name]
    row = found[0]
    assert row[1] == mask_id_number(soon.id_number) and row[2] == mask_phone(soon.phone)
    assert row[4] == f"QX{soon.pk:06d}" and row[5] == "Active"
    masked(found, soon)
    found = exported("coordinators.qualification.exported", "wuhua_staff", url, {"state": "active"})
    names = {r[0] for r in found}
    assert soon.name in names and qilin.name not in names
    assert {r[5] for r in found} == {"Active"}
    refused("coordinators.qualification.exported", url)
    assert api("prov_admin").get(url, {"expiring_within": "x"}).status_code == 400
