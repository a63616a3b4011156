"""The staff registry: filters and search, entering a paper form with its scan, changing,
withdrawing and marking deceased, with clear messages and nothing written on bad input."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.tests.helpers import form_data, resident_id

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff(username="kunming_staff"):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def numbers(response):
    return set(re.findall(r">(YN\d{10})<", response.content.decode()))


def test_search_by_pinyin_initials():
    client = staff()
    target = Registration.objects.get(name="陈晓东")
    client.post("/workspace/registrations/", {"q": "cxd"})
    assert numbers(client.get("/workspace/registrations/")) == {target.number}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=530103", lambda r: r.region_id == "530103"),
        ("status=withdrawn", lambda r: r.status == "withdrawn"),
        ("donates=body", lambda r: r.body),
        (
            "date_from=2025-03-01&date_to=2025-05-31",
            lambda r: "2025-03-01" <= r.registered_at.astimezone().date().isoformat() <= "2025-05-31",
        ),
    ],
)
def test_filters_narrow_the_list_within_the_scope(query, expected):
    shown = numbers(staff().get(f"/workspace/registrations/?{query}&clear=1"))
    want = {r.number for r in Registration.objects.filter(region__code__startswith="5301") if expected(r)}
    assert shown == want and want


def test_a_reversed_date_range_is_explained():
    body = staff().get("/workspace/registrations/?date_from=2026-01-01&date_to=2025-01-01").content.decode()
    assert "The end date is before the start date." in body


def test_a_county_clerk_cannot_filter_into_another_county():
    shown = numbers(staff("wuhua_staff").get("/workspace/registrations/?region=530302"))
    assert shown <= {r.number for r in Registration.objects.filter(region_id="530102")}


def twin_of(original, *, id_number, region="530102"):
    """A look-alike of ``original`` (same name, birth date, phone) under another document number."""
    from boai.registry.notices import CURRENT
    from boai.registry.services import PersonData, registration_create

    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name=original.name,
            id_type="passport",
            id_number=id_number,
            phone=original.phone,
            sex=original.sex,
            birth_date=original.birth_date,
            region_code=region,
            organs=["all"],
        ),
    )


def paper(**overrides):
    data = form_data(
        consent=None,
        consent_signed="on",
        signed_on=timezone.localdate().isoformat(),
        channel="paper",
        scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_entering_a_paper_form_keeps_the_scan_and_serves_it_only_in_scope():
    client = staff("wuhua_staff")
    response = client.post("/workspace/registrations/new/", paper())
    reg = Registration.objects.get(name="和志刚")
    assert response.status_code == 302 and response.url == f"/workspace/registrations/{reg.pk}/"
    assert reg.channel == "paper" and reg.name_initials == "HZG"
    scan = Attachment.objects.get(owner_type="registry.registration", owner_id=str(reg.pk))
    assert scan.content_type == "application/pdf" and scan.size == len(PDF)
    on_disk = open(scan.file.storage.path(scan.file.name), "rb").read()
    assert on_disk.startswith(b"BOAI1") and b"%PDF" not in on_disk  # encrypted at rest
    download = client.get(f"/workspace/registrations/{reg.pk}/attachments/{scan.pk}/")
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]
    assert staff("qilin_staff").get(f"/workspace/registrations/{reg.pk}/attachments/{scan.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="core.attachment.viewed", object_id=str(reg.pk)).count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"scan": SimpleUploadedFile("form.pdf", b"MZ this is an exe", content_type="application/pdf")},
            "Upload a PDF, JPEG or PNG file",
        ),
        ({"scan": None}, "Upload the scan of the signed form."),
        ({"consent_signed": None}, "Confirm that the person signed the consent"),
        ({"id_number": resident_id()[:-1] + "0"}, "check digit is wrong"),
    ],
)
def test_a_bad_paper_form_is_explained_and_writes_nothing(overrides, message):
    before = (Registration.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())
    response = staff("wuhua_staff").post("/workspace/registrations/new/", paper(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert (Registration.objects.count(), Attachment.objects.count(), AuditEntry.objects.count()) == before


def test_changing_a_registration_refuses_a_stale_version():
    client = staff("wuhua_staff")
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    page = client.get(f"/workspace/registrations/{reg.pk}/change/").content.decode()
    assert reg.phone in page  # shown to edit it, and audited:
    assert AuditEntry.objects.filter(action="registry.registration.unmasked", object_id=str(reg.pk)).exists()
    data = {"version": reg.version, "phone": "13912345678", "region": "530102", "address": "新址", "organs": ["all"]}
    assert client.post(f"/workspace/registrations/{reg.pk}/change/", data).status_code == 302
    stale = client.post(f"/workspace/registrations/{reg.pk}/change/", {**data, "phone": "13900000000"})
    assert "changed this registration in the meantime" in stale.content.decode()
    assert Registration.objects.get(pk=reg.pk).phone == "13912345678"


def test_withdraw_and_mark_deceased_from_the_record_page():
    client = staff("wuhua_staff")
    reg, other = Registration.objects.filter(region_id="530102", status="active")[:2]
    assert (
        "This field is required"
        in client.post(f"/workspace/registrations/{reg.pk}/withdraw/", {"reason": ""}).content.decode()
    )
    client.post(f"/workspace/registrations/{reg.pk}/withdraw/", {"reason": "电话申请撤回"})
    assert Registration.objects.get(pk=reg.pk).status == "withdrawn"
    future = client.post(
        f"/workspace/registrations/{other.pk}/deceased/", {"version": other.version, "died_on": "2099-01-01"}
    )
    assert "between the birth date and today" in future.content.decode()
    client.post(f"/workspace/registrations/{other.pk}/deceased/", {"version": other.version, "died_on": "2026-10-01"})
    other.refresh_from_db()
    assert other.status == "deceased" and other.deceased_on.isoformat() == "2026-10-01"


def test_a_look_alike_with_another_id_number_goes_to_the_review_queue_and_can_be_merged():
    from boai.registry.models import DuplicateCandidate

    original = Registration.objects.filter(region_id="530102", status="active").first()
    twin = twin_of(original, id_number="E12345678")
    candidate = DuplicateCandidate.objects.get(kept=original, other=twin)
    client = staff("wuhua_staff")
    page = client.get("/workspace/registrations/duplicates/").content.decode()
    assert original.number in page and twin.number in page
    assert staff("qilin_staff").get("/workspace/registrations/duplicates/").content.decode().count(twin.number) == 0
    client.post(f"/workspace/registrations/duplicates/{candidate.pk}/", {"decision": "merge"})
    twin.refresh_from_db()
    candidate.refresh_from_db()
    assert candidate.state == "merged" and twin.status == "withdrawn" and original.number in twin.withdrawal_reason
    again = client.post(f"/workspace/registrations/duplicates/{candidate.pk}/", {"decision": "dismiss"}, follow=True)
    assert "already decided" in again.content.decode()


def test_staff_cannot_register_or_move_someone_outside_their_area():
    response = staff("wuhua_staff").post("/workspace/registrations/new/", paper(region="530103"))
    assert "outside your area" in response.content.decode()
    assert not Registration.objects.filter(name="和志刚").exists()
    client = staff("wuhua_staff")
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    data = {"version": reg.version, "phone": reg.phone, "region": "530302", "address": "", "organs": ["all"]}
    assert "outside your area" in client.post(f"/workspace/registrations/{reg.pk}/change/", data).content.decode()


def test_merging_a_duplicate_records_no_withdrawal_by_the_person():
    from boai.registry.models import ConsentRecord, DuplicateCandidate
    from boai.registry.services import duplicate_decide

    original = Registration.objects.filter(region_id="530102", status="active").first()
    twin = twin_of(original, id_number="E7654321")
    duplicate_decide(candidate=DuplicateCandidate.objects.get(other=twin), actor=user("wuhua_staff"), merge=True)
    assert not ConsentRecord.objects.filter(registration=twin, kind="withdrawal").exists()


def test_amendments_are_masked_in_the_audit_log():
    client = staff("wuhua_staff")
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    data = {
        "version": reg.version,
        "phone": "13911112222",
        "region": "530102",
        "address": "秘密路1号",
        "organs": ["all"],
        "body": "on",
        "executor_name": "王小明",
        "executor_phone": "13933334444",
    }
    client.post(f"/workspace/registrations/{reg.pk}/change/", data)
    changes = AuditEntry.objects.filter(action="registry.registration.amended").latest("id").changes
    text = str(changes)
    assert "13911112222" not in text and "13933334444" not in text and "王小明" not in text and "秘密路" not in text
    assert changes["phone"][1] == "139****2222"


def test_exported_cells_cannot_run_as_formulas():
    from boai.lib.sheets import cell

    assert cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")' and cell("+1") == "'+1" and cell("张三") == "张三"


def test_a_duplicate_pair_reaching_into_another_area_is_not_shown_or_decided_there():
    from boai.registry.models import DuplicateCandidate

    original = Registration.objects.filter(region_id="530102", status="active").first()
    other = twin_of(original, id_number="E1122334", region="530302")
    pair = DuplicateCandidate.objects.get(other=other)
    client = staff("wuhua_staff")
    assert other.number not in client.get("/workspace/registrations/duplicates/").content.decode()
    assert client.post(f"/workspace/registrations/duplicates/{pair.pk}/", {"decision": "merge"}).status_code == 404
    assert Registration.objects.get(pk=other.pk).status == "active"


def test_the_paper_form_speaks_about_the_registrant_not_as_the_registrant(english):
    """The clerk types a registrant's paper form: its labels say "the registrant", the portal's "my"."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    page = client.get("/workspace/registrations/new/").content.decode()
    assert "Relationship between the registrant and the executor" in page
    assert "The registrant&#x27;s body" in page or "The registrant's body" in page
    for portal_words in ("My body", "Relationship to you", "as on your ID", "County where you live"):
        assert portal_words not in page
