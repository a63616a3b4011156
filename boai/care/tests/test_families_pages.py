"""The family pages as a clerk uses them: the list (scoped, searched by name, reference or an exact
phone posted, filtered, counted), a family out of the area is 404, phones and ID numbers masked and the
address hidden, the reveal and the export audited with their reason, and the pages' forms."""

import csv
import io
from datetime import date

import pytest
from django.test import Client

from boai.audit.models import AuditEntry
from boai.core.demo import resident_id
from boai.core.tests.personas import user
from boai.lib.masking import mask_id_number, mask_phone

from ..models import Family
from .factories import make_family

pytestmark = pytest.mark.django_db

BASE = "/workspace/care/families"


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def test_the_list_is_scoped_searched_and_masked():
    mine = make_family(donor_name="五华捐献者", members=(("五华家属", "spouse", "13911112222"),))
    other = make_family(region="530302", donor_name="麒麟捐献者", members=(("麒麟家属", "child", "13933334444"),))
    c = client("wuhua_staff")
    page = c.get(f"{BASE}/").content.decode()
    assert "五华捐献者" in page and "麒麟捐献者" not in page
    assert c.get(f"{BASE}/{other.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="security.access.denied", object_id=str(other.pk)).exists()
    # exact phone, posted (never in a URL), through the blind index
    found = c.post(f"{BASE}/", {"q": "139 1111 2222"}, HTTP_HX_REQUEST="true").content.decode()
    assert "五华捐献者" in found
    assert "五华捐献者" not in c.post(f"{BASE}/", {"q": "13911112223"}, HTTP_HX_REQUEST="true").content.decode()
    assert mine.reference in c.post(f"{BASE}/", {"q": mine.reference}, HTTP_HX_REQUEST="true").content.decode()
    assert "五华捐献者" in c.get(f"{BASE}/?clear=1&donation_kind=organ").content.decode()
    assert "五华捐献者" not in c.get(f"{BASE}/?clear=1&contact=no").content.decode()
    province = client("prov_admin").get(f"{BASE}/").content.decode()
    assert "五华捐献者" in province and "麒麟捐献者" in province


def test_the_family_page_masks_phones_and_id_numbers_and_hides_the_address():
    number = resident_id("530102", date(1968, 8, 8), "F", 22)
    family = make_family(members=(("林秀", "spouse", "13955556666"),))
    member = family.members.get()
    member.id_number, member.id_type = number, "resident_id"
    member.save()
    family.address, family.wants_outcome = "五华区保密路 8 号", True
    family.save()
    page = client("wuhua_staff").get(f"{BASE}/{family.pk}/").content.decode()
    assert "林秀" in page and "13955556666" not in page and number not in page and "保密路" not in page
    assert mask_phone("13955556666") in page and mask_id_number(number) in page
    # the coordinator sees the page, not the reveal form nor the change button
    seen = client("coordinator").get(f"{BASE}/{family.pk}/").content.decode()
    assert "林秀" in seen and f"{BASE}/{family.pk}/reveal/" not in seen and f"{BASE}/{family.pk}/edit/" not in seen


def test_reveal_with_a_reason_shows_everything_and_is_audited_without_one_nothing():
    family = make_family(members=(("林秀", "spouse", "13955556666"),))
    c = client("wuhua_staff")
    before = AuditEntry.objects.filter(action="care.family.revealed").count()
    refused = c.post(f"{BASE}/{family.pk}/reveal/", {"reason": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "13955556666" not in refused and AuditEntry.objects.filter(action="care.family.revealed").count() == before
    shown = c.post(f"{BASE}/{family.pk}/reveal/", {"reason": "冬至电话回访"}).content.decode()
    assert "13955556666" in shown
    entry = AuditEntry.objects.filter(action="care.family.revealed").latest("id")
    assert entry.changes["reason"] == "冬至电话回访" and entry.actor_username == "wuhua_staff"
    assert client("coordinator").post(f"{BASE}/{family.pk}/reveal/", {"reason": "想看看"}).status_code == 403


def test_the_export_needs_a_reason_is_masked_and_audited():
    make_family(donor_name="导出测试", members=(("导出家属", "spouse", "13977778888"),))
    c = client("wuhua_staff")
    before = AuditEntry.objects.filter(action="care.family.exported").count()
    page = c.post(f"{BASE}/export/", {"reason": "", "format": "csv"})
    assert page.status_code == 200 and AuditEntry.objects.filter(action="care.family.exported").count() == before
    response = c.post(f"{BASE}/export/", {"reason": "年度统计核对", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("导出测试" in row for row in rows) and "13977778888" not in text and "8888" in text
    entry = AuditEntry.objects.filter(action="care.family.exported").latest("id")
    assert entry.changes["reason"] == "年度统计核对" and entry.changes["rows"] >= 1
    assert client("coordinator").get(f"{BASE}/export/").status_code == 403


def test_a_family_made_and_changed_through_the_pages():
    c = client("wuhua_staff")
    form = {
        "reference": "YN-OD-2019-099",
        "donation_kind": "organ",
        "donor_name": "页面捐献者",
        "donated_on": "2019-08-01",
        "region": "530102",
        "preferred_channel": "phone",
        "contact_allowed": "on",
        "member-name": "页面家属",
        "member-relationship": "spouse",
        "member-phone": "13812340000",
    }
    refused = c.post(f"{BASE}/new/", form | {"member-phone": "123"})
    assert refused.status_code == 200 and not Family.objects.filter(reference="YN-OD-2019-099").exists()
    assert "11" in refused.content.decode()  # the phone's message names the 11 digits
    response = c.post(f"{BASE}/new/", form)
    family = Family.objects.get(reference="YN-OD-2019-099")
    assert response.status_code == 302 and family.members.get().name == "页面家属"
    edit = c.get(f"{BASE}/{family.pk}/edit/")
    assert edit.status_code == 200
    changed = form | {"donor_name": "页面捐献者二", "version": family.version}
    assert c.post(f"{BASE}/{family.pk}/edit/", changed).status_code == 302
    family.refresh_from_db()
    assert family.donor_name == "页面捐献者二"
    stale = c.post(f"{BASE}/{family.pk}/edit/", changed | {"donor_name": "过时", "version": 1})
    assert stale.status_code == 200 and Family.objects.get(pk=family.pk).donor_name == "页面捐献者二"
    assert c.post(f"{BASE}/{family.pk}/members/new/", {"name": "", "relationship": "child"}).status_code == 200
    assert c.post(f"{BASE}/{family.pk}/members/new/", {"name": "页面子女", "relationship": "child"}).status_code == 302
    added = family.members.get(name="页面子女")
    assert c.post(f"{BASE}/{family.pk}/members/{added.pk}/", {"action": "remove"}).status_code == 302
    added.refresh_from_db()
    assert added.active is False
    assert client("qilin_staff").get(f"{BASE}/{family.pk}/edit/").status_code == 404
