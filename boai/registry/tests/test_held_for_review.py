"""Issue 12 item 3(a): a county clerk cannot learn whether an ID number is registered elsewhere in the
province. An entry (paper form, API, import) for a person with an active registration outside the
clerk's area is held for review at province level, with the same answer as any other hold; staff
who see both records decide. Inside the clerk's own area the plain "already registered" stays."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry.models import HeldEntry, ImportJob, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, refusal_record, registration_create
from boai.registry.tests.helpers import committing_client, form_data, resident_id
from boai.registry.tests.test_import_export import row, upload, xlsx

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALREADY = "already has an active registration"
HELD = "sent for review at province level"


def registered_in_qilin(seq="71") -> Registration:
    """Someone registered in Qilin (Qujing): outside Wuhua's clerk's area."""
    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name="段春兰",
            id_type="resident_id",
            id_number=resident_id("530302", date(1966, 6, 6), seq, "F"),
            phone="13912340000",
            sex="F",
            region_code="530302",
            organs=["all"],
        ),
    )


def page_client(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def api_client(username):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def paper(id_number, region="530102"):
    data = form_data(
        name="段春兰",
        id_number=id_number,
        region=region,
        consent=None,
        consent_signed="on",
        signed_on=timezone.localdate().isoformat(),
        channel="paper",
        scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    )
    return {k: v for k, v in data.items() if v is not None}


def api_body(id_number, region="530102"):
    return {
        "name": "段春兰",
        "sex": "F",
        "id_type": "resident_id",
        "id_number": id_number,
        "phone": "13700009999",
        "region": region,
        "organs": ["kidney"],
        "tissues": [],
        "body": False,
        "consent_version": CURRENT,
        "channel": "paper",
    }


def test_a_paper_form_for_someone_registered_in_another_county_is_held_not_confirmed():
    other = registered_in_qilin()
    client = page_client("wuhua_staff")
    response = client.post("/workspace/registrations/new/", paper(other.id_number), follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and HELD in text and ALREADY not in text and other.number not in text
    entry = HeldEntry.objects.get(existing=other)
    assert entry.state == "open" and entry.region_id == "530102" and entry.reason == "possible_duplicate"
    assert Registration.objects.filter(id_number_index=other.id_number_index).count() == 1
    scan = Attachment.objects.get(owner_type="registry.heldentry", owner_id=str(entry.pk))  # kept with the entry
    assert scan.kind == "signed_form"
    raw = HeldEntry.objects.filter(pk=entry.pk).values_list("data", flat=True).get()  # encrypted at rest
    assert other.id_number not in raw and "段春兰" not in raw and "13700" not in raw
    audit = AuditEntry.objects.filter(action="registry.held.created", object_id=str(entry.pk)).get()
    assert other.id_number not in str(audit.changes)


def test_the_api_answers_202_held_for_review_with_one_shape_and_no_already_registered():
    other = registered_in_qilin()
    response = api_client("wuhua_staff").post("/api/v1/registrations/", api_body(other.id_number), format="json")
    assert response.status_code == 202, response.json()
    data = response.json()
    assert set(data) == {"code", "detail", "reference"} and data["code"] == "held_for_review"
    assert ALREADY not in data["detail"] and HELD in data["detail"]
    assert HeldEntry.objects.get(reference=data["reference"]).existing == other


def test_every_reason_to_hold_gets_the_same_answer():
    """A refusal made in life recorded in another county also holds the entry: same status, same keys,
    same words; only the random reference differs."""
    other = registered_in_qilin()
    refused_id = resident_id("530302", date(1958, 8, 8), "73", "M")
    refusal_record(
        actor=user("qilin_staff"),
        name="李国华",
        id_type="resident_id",
        id_number=refused_id,
        region_code="530302",
        stated_on=date(2021, 3, 3),
    )
    client = api_client("wuhua_staff")
    dup = client.post("/api/v1/registrations/", api_body(other.id_number), format="json")
    body = api_body(refused_id)
    body.update(name="李国华", sex="M")
    ref = client.post("/api/v1/registrations/", body, format="json")
    assert dup.status_code == ref.status_code == 202
    a, b = dup.json(), ref.json()
    assert a.keys() == b.keys() and a["detail"] == b["detail"] and a["code"] == b["code"]
    assert len(a["reference"]) == len(b["reference"]) and a["reference"] != b["reference"]
    assert HeldEntry.objects.get(reference=b["reference"]).reason == "refusal_elsewhere"


def test_the_clerk_of_the_county_that_holds_the_registration_gets_the_clear_message():
    other = registered_in_qilin()
    page = page_client("qilin_staff").post("/workspace/registrations/new/", paper(other.id_number, region="530302"))
    assert ALREADY in page.content.decode() and not HeldEntry.objects.exists()
    response = api_client("qilin_staff").post(
        "/api/v1/registrations/", api_body(other.id_number, region="530302"), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "duplicate_registration"
    assert not HeldEntry.objects.exists()


def test_an_imported_row_for_someone_registered_elsewhere_is_sent_for_review(django_capture_on_commit_callbacks):
    other = registered_in_qilin()
    clerk = committing_client("wuhua_staff", django_capture_on_commit_callbacks)
    new_person = resident_id(seq="75")
    job = upload(clerk, xlsx([row("赵新", new_person), row("段春兰", other.id_number, phone="13912340000")]))
    # the check (a dry run) shows the row as a valid one: only the commit holds it (fix1 item C)
    assert (job.valid_rows, job.error_rows, job.held_rows) == (2, 0, [])
    assert not any(ALREADY in e["message"] for e in job.errors)
    page = clerk.get(f"/workspace/registrations/import/{job.pk}/").content.decode()
    assert "sent for review at province level" not in page and ALREADY not in page and other.number not in page
    clerk.post(f"/workspace/registrations/import/{job.pk}/commit/", {"mode": "all"})
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.state, job.imported_rows, job.skipped_rows, job.held_rows) == ("done", 1, 0, [3])
    page = clerk.get(f"/workspace/registrations/import/{job.pk}/").content.decode()
    assert "sent for review at province level" in page and other.number not in page
    assert HeldEntry.objects.get(existing=other).job == job
    assert Registration.objects.filter(id_number_index=other.id_number_index).count() == 1


def test_a_province_reviewer_resolves_held_entries_and_each_decision_is_audited():
    other = registered_in_qilin()
    clerk = api_client("wuhua_staff")
    first = clerk.post("/api/v1/registrations/", api_body(other.id_number), format="json").json()
    entry = HeldEntry.objects.get(reference=first["reference"])
    # the clerk who entered it, and the clerk of the other county, see nothing to decide and cannot decide
    for name in ("wuhua_staff", "qilin_staff", "kunming_staff"):
        client = page_client(name)
        assert first["reference"] not in client.get("/workspace/registrations/duplicates/").content.decode()
        assert (
            client.post(f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "merge"}).status_code
            == 404
        )
    province = page_client("prov_admin")
    queue = province.get("/workspace/registrations/duplicates/").content.decode()
    assert first["reference"] in queue and other.number in queue
    assert 'class="badge"' in queue  # the menu shows what waits
    province.post(f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "merge", "note": "同一人"})
    entry.refresh_from_db()
    assert entry.state == "merged" and entry.decided_by == user("prov_admin") and entry.data == {}
    assert AuditEntry.objects.filter(action="registry.held.merged", object_id=str(entry.pk)).exists()
    again = province.post(f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "reject"}, follow=True)
    assert "already decided" in again.content.decode()

    # another entry: the registration in Qilin is withdrawn meanwhile, so the province registers it
    second = clerk.post("/api/v1/registrations/", api_body(other.id_number), format="json").json()
    entry = HeldEntry.objects.get(reference=second["reference"])
    refused = province.post(
        f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "register"}, follow=True
    )
    assert "still has an active registration" in refused.content.decode()
    other.status = "withdrawn"
    other.save(update_fields=["status"])
    province.post(f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "register"})
    entry.refresh_from_db()
    assert entry.state == "registered" and entry.registration.region_id == "530102" and entry.data == {}
    assert entry.registration.status == "active" and entry.registration.id_number == other.id_number
    assert AuditEntry.objects.filter(action="registry.held.registered", object_id=str(entry.pk)).exists()

    # a third: rejected needs a note for the branch
    third = clerk.post(
        "/api/v1/registrations/", api_body(resident_id("530302", date(1966, 6, 6), "77", "F")), format="json"
    )
    assert third.status_code == 201  # nothing stands in the way: registered at once


def test_rejecting_needs_a_note_and_drops_the_entered_data(english):
    from boai.registry.services import held_decide

    other = registered_in_qilin()
    entry = registration_create(
        actor=user("wuhua_staff"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name="段春兰",
            id_type="resident_id",
            id_number=other.id_number,
            phone="13700009999",
            region_code="530102",
            organs=["all"],
        ),
    )
    assert isinstance(entry, HeldEntry)
    with pytest.raises(Exception, match="Say what is wrong|说明"):
        held_decide(entry=entry, actor=user("prov_admin"), outcome="reject")
    held_decide(entry=entry, actor=user("prov_admin"), outcome="reject", note="身份证号可能录错")
    entry.refresh_from_db()
    assert entry.state == "rejected" and entry.data == {} and entry.note


def test_the_paper_form_says_the_same_for_a_registration_and_for_a_refusal_elsewhere():
    other = registered_in_qilin()
    refused_id = resident_id("530302", date(1958, 8, 8), "79", "F")
    refusal_record(
        actor=user("qilin_staff"),
        name="段春兰",
        id_type="resident_id",
        id_number=refused_id,
        region_code="530302",
        stated_on=date(2021, 3, 3),
    )
    client = page_client("wuhua_staff")
    pages = []
    for id_number in (other.id_number, refused_id):
        text = client.post("/workspace/registrations/new/", paper(id_number), follow=True).content.decode()
        pages.append(re.sub(r"H[A-Z2-9]{9}", "H…", text).replace("csrfmiddlewaretoken", ""))
    assert HELD in pages[0] and "refusal" not in pages[1].lower().split("<main")[1].split("</main>")[0]
    main = [re.sub(r'value="[^"]{20,}"', "", p.split("<main")[1].split("</main>")[0]) for p in pages]
    assert main[0] == main[1]
