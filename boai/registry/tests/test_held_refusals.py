"""Issue 12 item 3, the refusal path: recording a refusal made in life must not tell a county clerk
whether an ID number is refused or registered elsewhere in the province. When the record in the way
(an unrevoked refusal, or the active registration the refusal would withdraw or be revoked by) is
outside the clerk's area, the refusal is held for province review with the same answer as a held
registration; the province records it (today's rules, the reviewer acting) or rejects it. Inside the
clerk's own area nothing changes."""

import re
from datetime import date

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.registry.models import HeldEntry, Refusal
from boai.registry.services import held_decide, refusal_record
from boai.registry.tests.helpers import resident_id
from boai.registry.tests.test_held_for_review import HELD, api_body, api_client, page_client, registered_in_qilin

pytestmark = pytest.mark.django_db
ON_RECORD = "already on record"
CONFIRMING = ("already on record", "withdrawn", "revoked", "registration")


def refused_in_qilin(seq="81") -> Refusal:
    return refusal_record(
        actor=user("qilin_staff"),
        name="李国华",
        id_type="resident_id",
        id_number=resident_id("530302", date(1958, 8, 8), seq, "M"),
        region_code="530302",
        stated_on=date(2021, 3, 3),
    )


def refusal_body(id_number, region="530102", stated_on="2024-05-05", name="李国华"):
    return {
        "name": name,
        "id_type": "resident_id",
        "id_number": id_number,
        "region": region,
        "stated_on": stated_on,
        "note": "",
    }


def main_of(response) -> str:
    """The page's main part, the random reference and the CSRF token left out."""
    main = response.content.decode().split("<main")[1].split("</main>")[0]
    return re.sub(r'value="[^"]{20,}"', "", re.sub(r"H[A-Z2-9]{9}", "H…", main))


def message_of(response) -> str:
    return response.content.decode().split('<div class="messages"')[1].split("</div>")[0]


def held_answer_ok(response):
    assert response.status_code == 202, response.json()
    data = response.json()
    assert set(data) == {"code", "detail", "reference"} and data["code"] == "held_for_review"
    assert HELD in data["detail"] and not any(w in data["detail"].lower() for w in CONFIRMING[:3])
    return HeldEntry.objects.get(reference=data["reference"])


def test_a_refusal_already_recorded_in_another_county_is_not_confirmed():
    other = refused_in_qilin()
    response = api_client("wuhua_staff").post("/api/v1/refusals/", refusal_body(other.id_number), format="json")
    entry = held_answer_ok(response)
    assert entry.kind == "refusal" and entry.reason == "refusal_elsewhere" and entry.refusal == other
    assert entry.region_id == "530102" and entry.state == "open"
    raw = HeldEntry.objects.filter(pk=entry.pk).values_list("data", flat=True).get()  # encrypted at rest
    assert other.id_number not in raw and "李国华" not in raw
    page = page_client("wuhua_staff").post(
        "/workspace/registrations/refusals/new/", refusal_body(other.id_number), follow=True
    )
    assert page.status_code == 200 and HELD in message_of(page) and ON_RECORD not in main_of(page)
    assert Refusal.objects.filter(id_number_index=other.id_number_index).count() == 1
    # one answer for every hold: the same as for a held registration
    registration = api_client("wuhua_staff").post(
        "/api/v1/registrations/", api_body(registered_in_qilin().id_number), format="json"
    )
    assert registration.status_code == 202 and registration.json()["detail"] == response.json()["detail"]

    # the province, seeing both: the same person, already on record
    held_decide(entry=entry, actor=user("prov_admin"), outcome="merge", note="同一人")
    entry.refresh_from_db()
    assert entry.state == "merged" and entry.data == {}
    assert Refusal.objects.filter(id_number_index=other.id_number_index).count() == 1


@pytest.mark.parametrize("via", ["api", "page"])
def test_a_refusal_for_someone_registered_elsewhere_is_held_and_the_province_withdraws_the_registration(via):
    other = registered_in_qilin()
    clerk_body = refusal_body(other.id_number, name="段春兰", stated_on=timezone.localdate().isoformat())
    if via == "api":
        response = api_client("wuhua_staff").post("/api/v1/refusals/", clerk_body, format="json")
        entry = held_answer_ok(response)
    else:
        response = page_client("wuhua_staff").post("/workspace/registrations/refusals/new/", clerk_body, follow=True)
        message = message_of(response)
        assert HELD in message and not any(w in message.lower() for w in CONFIRMING[:3])
        assert other.number not in main_of(response)
        # word for word the page a refusal held for any other reason gets
        refused = refused_in_qilin()
        elsewhere = page_client("wuhua_staff").post(
            "/workspace/registrations/refusals/new/", refusal_body(refused.id_number), follow=True
        )
        assert main_of(response) == main_of(elsewhere)
        entry = HeldEntry.objects.get(existing=other)
    other.refresh_from_db()
    assert other.status == "active"  # not withdrawn by a clerk who may not know of it
    assert not Refusal.objects.filter(id_number_index=other.id_number_index).exists()
    assert entry.kind == "refusal" and entry.reason == "possible_duplicate" and entry.existing == other

    # the clerk who entered it and Qilin's clerk cannot decide; the province sees it and records it
    for name in ("wuhua_staff", "qilin_staff"):
        assert entry.reference not in page_client(name).get("/workspace/registrations/duplicates/").content.decode()
        decided = page_client(name).post(
            f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "record"}
        )
        assert decided.status_code == 404
    province = page_client("prov_admin")
    queue = province.get("/workspace/registrations/duplicates/").content.decode()
    assert entry.reference in queue and other.number in queue and 'value="record"' in queue
    province.post(f"/workspace/registrations/duplicates/held/{entry.pk}/", {"decision": "record"})
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.state == "recorded" and entry.data == {} and entry.decided_by == user("prov_admin")
    refusal = Refusal.objects.get(id_number_index=other.id_number_index)
    assert refusal.recorded_by == user("prov_admin") and refusal.region_id == "530102" and refusal.revoked_at is None
    assert other.status == "withdrawn"  # the later statement wins, as today
    assert AuditEntry.objects.filter(action="registry.held.recorded", object_id=str(entry.pk)).exists()


def test_a_refusal_older_than_a_registration_elsewhere_is_held_not_recorded_and_revoked():
    """Today the refusal would be recorded and at once revoked by the later registration, and the
    clerk's answer would show it revoked: that too confirms the registration."""
    other = registered_in_qilin()
    response = api_client("wuhua_staff").post(
        "/api/v1/refusals/", refusal_body(other.id_number, name="段春兰", stated_on="2001-01-01"), format="json"
    )
    entry = held_answer_ok(response)
    assert not Refusal.objects.filter(id_number_index=other.id_number_index).exists()
    held_decide(entry=entry, actor=user("prov_admin"), outcome="record")
    refusal = Refusal.objects.get(id_number_index=other.id_number_index)
    other.refresh_from_db()
    assert refusal.revoked_at is not None and refusal.revoked_by_registration == other and other.status == "active"


def test_a_held_refusal_can_be_rejected_with_a_note_and_not_registered(english):
    other = registered_in_qilin()
    entry = refusal_record(
        actor=user("wuhua_staff"),
        name="段春兰",
        id_type="resident_id",
        id_number=other.id_number,
        region_code="530102",
        stated_on=date(2024, 1, 1),
    )
    assert isinstance(entry, HeldEntry)
    with pytest.raises(Exception, match="Choose a decision|选择"):
        held_decide(entry=entry, actor=user("prov_admin"), outcome="register")  # a refusal is not registered
    with pytest.raises(Exception, match="Say what is wrong|说明"):
        held_decide(entry=entry, actor=user("prov_admin"), outcome="reject")
    held_decide(entry=entry, actor=user("prov_admin"), outcome="reject", note="身份证号可能录错")
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.state == "rejected" and entry.data == {} and other.status == "active"
    assert not Refusal.objects.filter(id_number_index=other.id_number_index).exists()


def test_inside_the_clerks_own_county_recording_a_refusal_works_as_before():
    other = registered_in_qilin()
    clerk = api_client("qilin_staff")
    body = refusal_body(other.id_number, region="530302", name="段春兰", stated_on=timezone.localdate().isoformat())
    response = clerk.post("/api/v1/refusals/", body, format="json")
    assert response.status_code == 201, response.json()
    other.refresh_from_db()
    assert other.status == "withdrawn"
    again = clerk.post("/api/v1/refusals/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "refusal_exists"
    page = page_client("qilin_staff").post("/workspace/registrations/refusals/new/", body)
    assert ON_RECORD in page.content.decode()
    assert not HeldEntry.objects.exists()
    # and the province, who sees every county, is never held either
    province = api_client("prov_admin").post(
        "/api/v1/refusals/",
        refusal_body(resident_id("530302", date(1950, 1, 1), "83", "M"), region="530102"),
        format="json",
    )
    assert province.status_code == 201 and not HeldEntry.objects.exists()
