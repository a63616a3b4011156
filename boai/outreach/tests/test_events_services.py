"""Publicity events and partners through their services: added and changed with their audit entries
and the event's own code; every wrong step (the last day before the first, an area outside the user's,
a negative audience, a stale version, another area's campaign, a PDF as a photo) refused with nothing
written."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import EVENT_CODE_PREFIX, Event, Partner
from ..services import events as services
from .factories import make_campaign, make_event, make_partner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def snapshot():
    return (
        list(Event.objects.order_by("id").values_list("title", "region_id", "starts_on", "audience", "version")),
        list(Partner.objects.order_by("id").values_list("name", "kind", "active", "version")),
        Attachment.objects.filter(owner_type__startswith="outreach.").count(),
        AuditEntry.objects.exclude(action__startswith="security.").count(),
    )


def refused(exc_type, fn, **kwargs):
    before = snapshot()
    with pytest.raises(exc_type) as info:
        fn(**kwargs)
    assert snapshot() == before, "a refused step wrote something"
    return info.value


def data(**kw):
    values = {
        "title": "五华区器官捐献宣传进社区",
        "kind": "registration_drive",
        "campaign": None,
        "starts_on": date(2025, 5, 8),
        "ends_on": date(2025, 5, 9),
        "place": "翠湖公园",
        "region": "530102",
        "organisers": "五华区红十字会",
        "partners": [],
        "mode": "offline",
        "audience": 300,
        "volunteers": 12,
        "report": "现场登记咨询。",
    }
    return services.EventData(**(values | kw))


def errors(exc) -> dict:
    return {k: " ".join(str(m) for m in v) for k, v in exc.errors.items()}


def png(name="a.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_an_event_is_added_with_its_own_code_partners_photos_and_an_audit_entry():
    partner = make_partner(name="云南省文明办")
    campaign = make_campaign(region="530102", created_by="wuhua_staff")
    event = services.event_create(
        actor=user("wuhua_staff"), data=data(partners=[partner.pk], campaign=campaign.pk), photos=[png()]
    )
    assert event.code.startswith(EVENT_CODE_PREFIX) and len(event.code) == len(EVENT_CODE_PREFIX) + 6
    assert list(event.partners.all()) == [partner] and event.campaign == campaign
    assert Attachment.objects.filter(owner_type="outreach.event", owner_id=str(event.pk)).count() == 1
    entry = AuditEntry.objects.get(action="outreach.event.created")
    assert entry.object_id == str(event.pk) and entry.changes["photos_added"] == 1


def test_two_events_get_different_codes():
    actor = user("wuhua_staff")
    codes = {services.event_create(actor=actor, data=data()).code for _ in range(5)}
    assert len(codes) == 5


def test_the_last_day_before_the_first_is_refused():
    exc = refused(
        InvalidFields,
        services.event_create,
        actor=user("wuhua_staff"),
        data=data(starts_on=date(2025, 5, 9), ends_on=date(2025, 5, 8)),
    )
    assert "before the first day" in errors(exc)["ends_on"]


def test_an_area_outside_the_users_is_refused():
    exc = refused(InvalidFields, services.event_create, actor=user("wuhua_staff"), data=data(region="530302"))
    assert "outside your own" in errors(exc)["region"]
    exc = refused(InvalidFields, services.event_create, actor=user("wuhua_staff"), data=data(region="999999"))
    assert "Choose the area" in errors(exc)["region"]


def test_a_negative_audience_and_missing_fields_are_refused_beside_each_field():
    exc = refused(
        InvalidFields,
        services.event_create,
        actor=user("wuhua_staff"),
        data=data(audience=-1, volunteers=True, title="", kind="party", mode="", organisers="", starts_on=None),
    )
    found = errors(exc)
    assert "0 or more" in found["audience"] and "0 or more" in found["volunteers"]
    assert {"title", "kind", "mode", "organisers", "starts_on"} <= set(found)


def test_a_campaign_of_another_area_or_an_unknown_partner_is_refused():
    other = make_campaign(region="530300", created_by="qilin_staff")
    exc = refused(
        InvalidFields, services.event_create, actor=user("wuhua_staff"), data=data(campaign=other.pk, partners=[9999])
    )
    assert "campaign" in errors(exc) and "partners" in errors(exc)


def test_a_partner_no_longer_in_use_cannot_be_newly_chosen():
    old = Partner.objects.create(name="旧合作单位", active=False)
    exc = refused(InvalidFields, services.event_create, actor=user("wuhua_staff"), data=data(partners=[old.pk]))
    assert "partners" in errors(exc)


def test_a_role_without_outreach_manage_is_refused():
    refused(NotAllowed, services.event_create, actor=user("coordinator"), data=data())


def test_an_event_is_changed_with_the_version_read_and_audited():
    event = make_event(region="530102")
    partner = make_partner()
    changed = services.event_update(
        event=event, actor=user("wuhua_staff"), data=data(audience=999, partners=[partner.pk]), version=1
    )
    assert changed.version == 2 and changed.audience == 999 and list(changed.partners.all()) == [partner]
    assert changed.code == event.code  # the link's code never changes
    entry = AuditEntry.objects.get(action="outreach.event.changed")
    assert entry.changes["audience"] == [200, 999] and entry.changes["partners"] == [[], [partner.pk]]


def test_a_stale_version_is_refused():
    event = make_event(region="530102")
    services.event_update(event=event, actor=user("wuhua_staff"), data=data(audience=1), version=1)
    exc = refused(
        Conflict, services.event_update, event=event, actor=user("wuhua_staff"), data=data(audience=2), version=1
    )
    assert "changed this record in the meantime" in str(exc.message)


def test_another_areas_event_cannot_be_changed():
    event = make_event(region="530302", created_by="qilin_staff")
    refused(InvalidInput, services.event_update, event=event, actor=user("wuhua_staff"), data=data(), version=1)


def test_a_pdf_as_a_photo_is_refused_and_nothing_is_kept():
    pdf = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    exc = refused(InvalidInput, services.event_create, actor=user("wuhua_staff"), data=data(), photos=[pdf])
    assert exc.field == "photos"


def test_photos_are_added_on_the_event_page_and_audited():
    event = make_event(region="530102")
    assert services.event_photos_add(event=event, actor=user("wuhua_staff"), photos=[png(), png("b.png")]) == 2
    assert AuditEntry.objects.get(action="outreach.event.changed").changes == {"photos_added": 2}
    refused(InvalidInput, services.event_photos_add, event=event, actor=user("wuhua_staff"), photos=[])


def test_a_partner_is_added_and_changed_and_a_duplicate_name_refused():
    new = services.PartnerData(name="大理大学", kind="school")
    partner = services.partner_create(actor=user("wuhua_staff"), data=new)
    assert AuditEntry.objects.filter(action="outreach.partner.created", object_id=str(partner.pk)).exists()
    exc = refused(
        InvalidFields, services.partner_create, actor=user("prov_admin"), data=services.PartnerData(name=" 大理大学 ")
    )
    assert "already in the list" in errors(exc)["name"]
    changed = services.partner_update(
        partner=partner,
        actor=user("prov_admin"),
        data=services.PartnerData(name="大理大学", kind="school", active=False),
        version=1,
    )
    assert changed.active is False and changed.version == 2
    refused(
        Conflict,
        services.partner_update,
        partner=partner,
        actor=user("prov_admin"),
        data=services.PartnerData(name="大理大学2"),
        version=1,
    )
    refused(NotAllowed, services.partner_create, actor=user("auditor"), data=services.PartnerData(name="某单位"))
    # the list is the whole province's: a county branch adds a partner but does not rename one
    refused(
        NotAllowed,
        services.partner_update,
        partner=partner,
        actor=user("wuhua_staff"),
        data=services.PartnerData(name="大理大学（五华改）", kind="school", active=True),
        version=2,
    )


def test_a_code_drawn_at_the_same_moment_by_another_event_is_drawn_again(monkeypatch):
    taken = make_event(region="530102").code
    draws = iter([taken, "ev-fresh1"])
    monkeypatch.setattr(services, "_new_code", lambda: next(draws))  # as if the check raced another save
    event = services.event_create(actor=user("wuhua_staff"), data=data())
    assert event.code == "ev-fresh1" and Event.objects.filter(code=taken).count() == 1
