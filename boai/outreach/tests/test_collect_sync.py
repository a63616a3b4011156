"""Syncing entries taken offline at an event: each lands, is held or comes back with its reason, and
none is lost or doubled when a batch is sent again or cut in the middle."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from boai.audit.models import AuditEntry
from boai.core.errors import NotAllowed
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.registry.data import PersonData
from boai.registry.models import ConsentRecord, HeldEntry, Registration
from boai.registry.notices import CURRENT
from boai.registry.services import registration_create
from boai.registry.tests.helpers import resident_id

from ..models import CollectedEntry
from ..services import collect as services
from .collect_helpers import data_url, entry, event_today, person, signature_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return event_today(region="530102", title="五华区登记日")


def sync(event, *entries, who="wuhua_staff", now=None):
    return services.collected_sync(event=event, actor=user(who), entries=list(entries), now=now)


def registered(region="530102", seq="55", born=date(1970, 5, 5)) -> str:
    """Someone already registered (by the province) in ``region``; their ID number."""
    number = resident_id(region, born, seq, "F")
    registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name="段春兰",
            id_type="resident_id",
            id_number=number,
            phone="13912340000",
            region_code=region,
            organs=["all"],
        ),
    )
    return number


def test_an_entry_lands_as_a_registration_of_the_event(event):
    item = entry()
    [result] = sync(event, item)
    assert result["state"] == "landed" and result["key"] == item["key"]
    reg = Registration.objects.get(number=result["number"])
    assert reg.channel == Registration.Channel.EVENT_OFFLINE
    assert reg.campaign == event.code
    assert reg.name == "李明"
    signature = Attachment.objects.get(owner_type="registry.registration", owner_id=str(reg.pk), kind="signature")
    assert signature.content_type == "image/png"
    row = CollectedEntry.objects.get(key=item["key"])
    assert (row.state, row.registration, row.collected_by) == ("landed", reg, user("wuhua_staff"))
    audit = AuditEntry.objects.filter(action="outreach.collected.synced").last()
    assert audit.changes["registration"] == reg.number
    assert item["person"]["id_number"] not in str(audit.changes)


def test_the_same_batch_synced_twice_lands_each_entry_once(event):
    batch = [entry(person=person(seq="11")), entry(person=person(seq="12"))]
    first = sync(event, *batch)
    again = sync(event, *batch)
    assert [r["state"] for r in first] == ["landed", "landed"]
    assert again == first
    assert Registration.objects.filter(campaign=event.code).count() == 2
    assert CollectedEntry.objects.filter(event=event).count() == 2


def test_a_batch_cut_in_the_middle_and_sent_again_lands_each_entry_once(event, monkeypatch):
    batch = [entry(person=person(seq=f"2{n}")) for n in range(4)]
    original = services.collected_entry_sync
    calls = []

    def cut(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("the network went away")
        return original(**kwargs)

    monkeypatch.setattr(services, "collected_entry_sync", cut)
    with pytest.raises(ConnectionError):
        sync(event, *batch)
    assert Registration.objects.filter(campaign=event.code).count() == 2
    monkeypatch.setattr(services, "collected_entry_sync", original)
    results = sync(event, *batch)
    assert [r["state"] for r in results] == ["landed"] * 4
    assert len({r["number"] for r in results}) == 4
    assert Registration.objects.filter(campaign=event.code).count() == 4


def test_a_key_used_again_for_another_entry_is_returned(event):
    first = entry()
    [landed] = sync(event, first)
    other = entry(key=first["key"], person=person(seq="77", name="王芳", sex="F"))
    [result] = sync(event, other)
    assert result == {"key": first["key"], "state": "returned", "reason": result["reason"]}
    assert result["reason"] == str(services.KEY_REUSED)
    assert Registration.objects.filter(campaign=event.code).count() == 1
    assert sync(event, first) == [landed]  # the first entry keeps its answer


def test_a_person_already_registered_in_the_area_comes_back_with_the_reason(event, english):
    number = registered("530102")
    [result] = sync(event, entry(person=person(id_number=number)))
    assert result["state"] == "returned"
    assert "already has an active registration" in result["reason"]
    assert number not in result["reason"] and "段春兰" not in result["reason"]
    assert not Registration.objects.filter(campaign=event.code).exists()
    assert CollectedEntry.objects.get(key=result["key"]).state == "returned"


def test_the_reason_is_in_the_staff_members_language(event):
    number = registered("530102")
    with translation.override("zh-hans"):
        [result] = sync(event, entry(person=person(id_number=number)))
    assert "此人已有一份有效的意愿登记" in result["reason"]


def test_a_person_registered_outside_the_area_is_held_for_review(event):
    number = registered("530302", seq="71")
    [result] = sync(event, entry(person=person(id_number=number)))
    assert result["state"] == "held"
    held = HeldEntry.objects.get(reference=result["reference"])
    assert held.channel == Registration.Channel.EVENT_OFFLINE
    assert Attachment.objects.filter(owner_type="registry.heldentry", owner_id=str(held.pk), kind="signature").exists()
    # the entry was signed an hour before the sync: once registered, its consent carries that time
    assert held.entered_at < timezone.now() - timedelta(minutes=50)


def test_a_county_outside_the_staff_members_area_is_returned(event, english):
    [result] = sync(event, entry(person=person(region="530302")))
    assert result["state"] == "returned" and "outside your area" in result["reason"]


@pytest.mark.parametrize(
    "shift, words",
    [(timedelta(minutes=30), "in the future"), (timedelta(days=-31), "more than 30 days ago")],
)
def test_an_entry_taken_at_an_impossible_time_is_returned(event, english, shift, words):
    [result] = sync(event, entry(collected_at=timezone.now() + shift))
    assert result["state"] == "returned" and words in result["reason"]
    assert not Registration.objects.filter(campaign=event.code).exists()


def test_a_few_minutes_of_clock_skew_are_allowed(event):
    [result] = sync(event, entry(collected_at=timezone.now() + timedelta(minutes=5)))
    assert result["state"] == "landed"


def test_a_person_under_18_on_the_signing_day_is_returned(english):
    today = timezone.localdate()
    event = event_today(region="530102", starts_on=today - timedelta(days=10), ends_on=today)
    born = date(today.year - 18, today.month, today.day) - timedelta(days=3)  # 18 three days ago
    signed = timezone.now() - timedelta(days=10)
    [result] = sync(event, entry(collected_at=signed, person=person(born=born)))
    assert result["state"] == "returned" and "under 18" in result["reason"]


@pytest.mark.parametrize(
    "change, words",
    [
        ({"attested": False}, "checked the person's ID card"),
        ({"signature": ""}, "signature is missing"),
        ({"signature": "data:image/png;base64,AAAA"}, "not a PNG image"),
        ({"signature": data_url(b"\xff\xd8\xff\xe0" + b"0" * 200, "image/jpeg")}, "not a PNG image"),
        ({"signature": "data:image/png;base64,%%%"}, "not a PNG image"),
        ({"signature": data_url(b"\x89PNG\r\n\x1a\n" + b"\x00" * 400 * 1024)}, "too large"),
        ({"consent_version": "2020-01"}, "not a current version"),
    ],
)
def test_an_entry_without_attestation_or_a_good_signature_is_returned(event, english, change, words):
    [result] = sync(event, entry(**change))
    assert result["state"] == "returned" and words in result["reason"]
    assert not Registration.objects.filter(campaign=event.code).exists()


def test_a_wrong_id_number_is_returned_naming_the_field(event, english):
    bad = person()
    bad["id_number"] = bad["id_number"][:-1] + ("0" if bad["id_number"][-1] != "0" else "1")
    [result] = sync(event, entry(person=bad))
    assert result["state"] == "returned" and result["reason"].startswith("ID number:")
    assert bad["id_number"] not in result["reason"]


def test_a_large_signature_is_kept_when_it_is_a_real_png(event):
    [result] = sync(event, entry(signature=data_url(signature_png(1200, 500))))
    assert result["state"] == "landed"


def test_an_event_outside_the_area_is_refused(event):
    qilin = event_today(region="530302", created_by="qilin_staff")
    with pytest.raises(NotAllowed):
        sync(qilin, entry())
    assert not CollectedEntry.objects.exists()


def test_a_coordinator_cannot_sync(event):
    with pytest.raises(NotAllowed):
        sync(event, entry(), who="coordinator")


def test_the_consent_record_shows_when_the_person_signed_not_when_it_was_synced(event):
    signed = timezone.now() - timedelta(hours=5, minutes=17)
    [result] = sync(event, entry(collected_at=signed))
    consent = ConsentRecord.objects.get(registration__number=result["number"])
    assert consent.given_at == signed
    assert consent.channel == Registration.Channel.EVENT_OFFLINE


def beijing(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))  # Asia/Shanghai


@pytest.mark.parametrize(
    "day_shift, hour, state",
    [
        (-1, 8, "landed"),  # the day before the event: the margin
        (-2, 23, "returned"),  # two days before
        (0, 10, "landed"),
        (3, 23, "landed"),  # the day after its last day, late in the evening (Beijing)
        (4, 0, "returned"),  # 00:30 Beijing two days after: outside, although still the day before in UTC
    ],
)
def test_an_entry_must_be_taken_within_the_events_dates_with_a_days_margin(english, day_shift, hour, state):
    first = timezone.localdate() - timedelta(days=12)
    event = event_today(region="530102", starts_on=first, ends_on=first + timedelta(days=2))
    signed = beijing(first + timedelta(days=day_shift), hour, 30)
    [result] = sync(event, entry(collected_at=signed))
    assert result["state"] == state
    if state == "returned":
        assert "outside the event's dates" in result["reason"]
        assert first.isoformat() in result["reason"]
        assert not Registration.objects.filter(campaign=event.code).exists()


@pytest.mark.parametrize("sent, echoed", [("not-a-uuid", "not-a-uuid"), (None, ""), (12, ""), ("missing", "")])
def test_an_entry_with_a_bad_key_comes_back_returned_with_its_key_as_sent(event, english, sent, echoed):
    bad = entry()
    if sent == "missing":
        del bad["key"]
    else:
        bad["key"] = sent
    [result] = sync(event, bad)
    assert result == {"key": echoed, "state": "returned", "reason": "The entry has no valid key."}
    assert not CollectedEntry.objects.exists()


def test_an_entry_without_a_persons_data_comes_back_returned_with_its_key(event, english):
    bad = entry(person="nobody")
    [result] = sync(event, bad)
    assert result["state"] == "returned" and result["key"] == bad["key"]
    assert not Registration.objects.filter(campaign=event.code).exists()


def test_an_entry_that_is_not_an_object_comes_back_returned(event):
    assert sync(event, "junk")[0]["state"] == "returned"
