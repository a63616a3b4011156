"""A fundraising import says first which recorded days it would replace: the upload is checked and
nothing saved, the page lists the row errors and the days with their old → new values, and only the
confirmation saves that same file."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict
from boai.core.tests.personas import user

from ..models import FundraisingDay, FundraisingImport
from ..services import fundraising as services
from .factories import make_project

pytestmark = pytest.mark.django_db

W = "/workspace/outreach/fundraising"
FILE = "日期,金额,捐款人次\n2025-05-05,500,9\n2025-05-06,20,2\n2025-05-07,abc,1\n".encode()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project():
    return make_project(
        region="530102",
        created_by="wuhua_staff",
        starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 8),
        days=((date(2025, 5, 5), 10_000, 3),),
    )


def client():
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user("wuhua_staff"))
    return c


def days(project):
    return list(project.days.order_by("day").values_list("day", "amount_fen", "donors"))


def upload(c, project, content=FILE):
    return c.post(f"{W}/{project.pk}/import/", {"file": SimpleUploadedFile("export.csv", content)})


def test_an_upload_is_checked_and_nothing_is_saved_before_the_confirmation(project):
    c = client()
    entries = AuditEntry.objects.count()
    response = upload(c, project)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing has been saved yet." in page
    assert "2025-05-05" in page and "¥100.00" in page and "¥500.00" in page  # old → new
    assert "Give an amount in yuan" in page  # the row error
    assert "Save 2 days (replacing 1)" in page
    assert days(project) == [(date(2025, 5, 5), 10_000, 3)]
    assert FundraisingImport.objects.count() == 0 and AuditEntry.objects.count() == entries


def test_the_confirmation_saves_the_checked_file_and_replaces_the_days_listed(project):
    c = client()
    token = upload(c, project).context["token"]
    response = c.post(f"{W}/{project.pk}/import/confirm/", {"token": token})
    assert response.status_code == 302
    assert days(project) == [(date(2025, 5, 5), 50_000, 9), (date(2025, 5, 6), 2_000, 2)]
    imp = FundraisingImport.objects.get()
    assert (imp.rows_total, imp.rows_saved, len(imp.errors)) == (3, 2, 1)
    summary = c.get(response["Location"]).content.decode()
    assert "2 days were saved." in summary
    entry = AuditEntry.objects.get(action="outreach.results.imported")
    assert entry.changes["replaced_days"] == [["2025-05-05", 10_000, 3, 50_000, 9]]
    # the same confirmation again: the file no longer waits, nothing more is saved
    again = c.post(f"{W}/{project.pk}/import/confirm/", {"token": token}, follow=True)
    assert "no longer waiting" in again.content.decode()
    assert FundraisingImport.objects.count() == 1


def test_a_wrong_token_saves_nothing(project):
    c = client()
    upload(c, project)
    response = c.post(f"{W}/{project.pk}/import/confirm/", {"token": "forged"}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert FundraisingImport.objects.count() == 0


def test_a_day_recorded_between_the_check_and_the_confirmation_is_not_replaced_unseen(project):
    c = client()
    token = upload(c, project).context["token"]
    services.day_record(project=project, actor=user("wuhua_staff"), day=date(2025, 5, 6), amount="1", donors=1)
    response = c.post(f"{W}/{project.pk}/import/confirm/", {"token": token})
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed after the file was checked" in page
    assert "Save 2 days (replacing 2)" in page  # checked again: now it would replace both
    assert FundraisingImport.objects.count() == 0
    assert FundraisingDay.objects.get(project=project, day=date(2025, 5, 6)).amount_fen == 100


def test_a_file_with_no_good_row_offers_no_save(project):
    response = upload(client(), project, "日期,金额,捐款人次\n2025-06-30,1,1\n".encode())
    page = response.content.decode()
    assert "No row of the file can be saved." in page and "confirm-import" not in page


def test_the_service_refuses_to_replace_days_without_replace_and_names_them(project):
    with pytest.raises(Conflict) as refused:
        services.results_import(project=project, actor=user("wuhua_staff"), filename="e.csv", content=FILE)
    assert refused.value.code == "days_recorded" and "2025-05-05" in str(refused.value.message)
    assert FundraisingImport.objects.count() == 0 and days(project) == [(date(2025, 5, 5), 10_000, 3)]


def test_the_check_lists_the_replacements_and_writes_nothing(project):
    check = services.results_check(project=project, actor=user("wuhua_staff"), filename="e.csv", content=FILE)
    assert [(r.day, r.old_amount_fen, r.amount_fen) for r in check.replacing] == [(date(2025, 5, 5), 10_000, 50_000)]
    assert (check.new_days, check.refused_rows, check.total) == (1, 1, 3)
    assert FundraisingImport.objects.count() == 0
