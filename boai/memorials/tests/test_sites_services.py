"""Memorial sites and events through their services: added and changed with their audit entries; every
wrong step (bad input, another area, a stale version, a PDF as a photo) refused with nothing written."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from boai.audit.models import AuditEntry
from boai.care.tests.factories import make_event, make_site
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.models import Attachment
from boai.core.tests.personas import user
from boai.lib.traditional_days import qingming, winter_solstice

from ..models import MemorialEvent, MemorialSite
from ..services import sites as services

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):  # the refusals' wording is checked in English
        yield


def snapshot():
    return (
        list(MemorialSite.objects.order_by("id").values_list("name", "region_id", "opened_on", "version", "active")),
        list(MemorialEvent.objects.order_by("id").values_list("title", "participants", "held_on", "version")),
        Attachment.objects.filter(owner_type__startswith="memorials.").count(),
        AuditEntry.objects.exclude(action__startswith="security.").count(),
    )


def refused(exc_type, fn, **kwargs):
    before = snapshot()
    with pytest.raises(exc_type) as info:
        fn(**kwargs)
    assert snapshot() == before, "a refused step wrote something"
    return info.value


def site_data(**kw):
    values = {
        "name": "五华区器官捐献者纪念园",
        "kind": "park",
        "region": "530102",
        "address": "五华区西翥街道",
        "opened_on": date(2025, 4, 3),
        "offers": ["remembrance", "life_education"],
        "description": "纪念碑与缅怀广场",
        "organisation": "",
        "manager": "五华区红十字会",
        "active": True,
    }
    return services.SiteData(**(values | kw))


def event_data(**kw):
    values = {
        "title": "清明缅怀活动",
        "occasion": "qingming",
        "held_on": qingming(2025),
        "site": None,
        "region": "530102",
        "organisers": "五华区红十字会",
        "participants": 300,
        "families_invited": 20,
        "families_attended": 15,
        "report": "默哀、献花。",
    }
    return services.EventData(**(values | kw))


def photo(data=PNG, name="p.png"):
    return SimpleUploadedFile(name, data)


# --- sites -----------------------------------------------------------------------------------------


def test_a_site_is_added_with_its_photos_and_audited():
    site = services.site_create(actor=user("wuhua_staff"), data=site_data(), photos=[photo(), photo()])
    assert site.region_id == "530102" and site.offers == ["life_education", "remembrance"]  # the list's order
    assert Attachment.objects.filter(owner_type="memorials.memorialsite", owner_id=str(site.pk)).count() == 2
    entry = AuditEntry.objects.get(action="memorials.site.created", object_id=str(site.pk))
    assert entry.changes["photos_added"] == 2 and entry.changes["kind"] == ["", "park"]


def test_a_site_managed_by_an_organisation_in_the_area():
    site = services.site_create(
        actor=user("kunming_staff"), data=site_data(organisation="OPO-KMU1", manager="", region="530100")
    )
    assert site.organisation.code == "OPO-KMU1" and site.manager == ""


@pytest.mark.parametrize(
    "change, field",
    [
        ({"name": "  "}, "name"),
        ({"kind": "tower"}, "kind"),
        ({"region": "530302"}, "region"),  # Qilin: outside Wuhua
        ({"region": "530000"}, "region"),  # the province is not where a site stands
        ({"region": "999999"}, "region"),
        ({"opened_on": None}, "opened_on"),
        ({"opened_on": date(1949, 12, 31)}, "opened_on"),
        ({"offers": ["parking"]}, "offers"),
        ({"organisation": "", "manager": ""}, "organisation"),
        ({"organisation": "NOPE", "manager": ""}, "organisation"),
        ({"organisation": "OPO-KMU1", "manager": "五华区红十字会"}, "manager"),
        ({"description": "x" * 4001}, "description"),
        ({"address": "纪念园\u202e"}, "address"),
    ],
)
def test_a_site_with_bad_input_is_refused_with_nothing_written(change, field):
    exc = refused(InvalidFields, services.site_create, actor=user("wuhua_staff"), data=site_data(**change))
    assert field in exc.errors


def test_an_opening_more_than_a_year_ahead_is_refused():
    today = timezone.localdate()
    exc = refused(
        InvalidFields,
        services.site_create,
        actor=user("wuhua_staff"),
        data=site_data(opened_on=today + timedelta(days=400)),
    )
    assert exc.errors["opened_on"] == ["The date cannot be more than a year from today."]
    services.site_create(actor=user("wuhua_staff"), data=site_data(opened_on=today + timedelta(days=200)))


def test_an_organisation_outside_the_area_is_refused():
    exc = refused(
        InvalidFields,
        services.site_create,
        actor=user("qilin_staff"),
        data=site_data(region="530302", organisation="OPO-KMU1", manager=""),
    )
    assert "outside your area" in exc.errors["organisation"][0]


def test_a_pdf_is_not_a_photo_and_nothing_is_kept():
    exc = refused(
        InvalidInput, services.site_create, actor=user("wuhua_staff"), data=site_data(), photos=[photo(), photo(PDF)]
    )
    assert exc.field == "photos" and "JPEG or PNG" in str(exc.message)


def test_only_managers_add_sites():
    refused(NotAllowed, services.site_create, actor=user("auditor"), data=site_data())
    refused(NotAllowed, services.site_create, actor=user("coordinator"), data=site_data())


def test_a_site_is_changed_with_the_version_read():
    site = make_site()
    changed = services.site_update(
        site=site, actor=user("wuhua_staff"), data=site_data(active=False), version=site.version
    )
    assert changed.version == site.version + 1 and changed.active is False
    entry = AuditEntry.objects.get(action="memorials.site.changed", object_id=str(site.pk))
    assert entry.changes["active"] == [True, False]


def test_a_stale_or_missing_version_is_refused():
    site = make_site()
    exc = refused(Conflict, services.site_update, site=site, actor=user("wuhua_staff"), data=site_data(), version=99)
    assert "Someone else changed" in str(exc.message)
    refused(Conflict, services.site_update, site=site, actor=user("wuhua_staff"), data=site_data(), version=None)


def test_a_site_of_another_area_is_not_changed():
    site = make_site(region="530302", created_by="qilin_staff")
    refused(
        InvalidInput,
        services.site_update,
        site=site,
        actor=user("wuhua_staff"),
        data=site_data(),
        version=site.version,
    )


def test_an_unchanged_save_writes_nothing():
    site = services.site_create(actor=user("wuhua_staff"), data=site_data())
    before = snapshot()
    services.site_update(site=site, actor=user("wuhua_staff"), data=site_data(), version=site.version)
    assert snapshot() == before


# --- events ----------------------------------------------------------------------------------------


def test_an_event_is_added_and_audited():
    event = services.event_create(actor=user("wuhua_staff"), data=event_data(), photos=[photo()])
    assert event.region_id == "530102" and event.participants == 300
    assert AuditEntry.objects.filter(action="memorials.event.created", object_id=str(event.pk)).exists()
    assert Attachment.objects.filter(owner_type="memorials.memorialevent", owner_id=str(event.pk)).count() == 1


def test_an_event_at_a_site_is_counted_where_the_site_stands():
    site = make_site(region="530102")
    event = services.event_create(actor=user("kunming_staff"), data=event_data(site=site.pk, region="530100"))
    assert event.site == site and event.region_id == "530102"


def test_a_provincial_event_without_a_site():
    event = services.event_create(actor=user("prov_admin"), data=event_data(region="530000"))
    assert event.region_id == "530000"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"occasion": "birthday"}, "occasion"),
        ({"held_on": None}, "held_on"),
        ({"held_on": date(1900, 4, 5)}, "held_on"),
        ({"region": "530302"}, "region"),
        ({"region": "530000"}, "region"),  # the province: not Wuhua's
        ({"organisers": " "}, "organisers"),
        ({"participants": None}, "participants"),
        ({"participants": -1}, "participants"),
        ({"participants": True}, "participants"),
        ({"participants": 2_000_000}, "participants"),
        ({"families_invited": -3}, "families_invited"),
        ({"families_invited": 10, "families_attended": 11}, "families_attended"),
        ({"participants": 5, "families_invited": None, "families_attended": 6}, "families_attended"),
        ({"site": 999999}, "site"),
    ],
)
def test_an_event_with_bad_input_is_refused_with_nothing_written(change, field):
    exc = refused(InvalidFields, services.event_create, actor=user("wuhua_staff"), data=event_data(**change))
    assert field in exc.errors


def test_an_event_at_a_site_of_another_area_is_refused():
    site = make_site(region="530302", created_by="qilin_staff")
    exc = refused(InvalidFields, services.event_create, actor=user("wuhua_staff"), data=event_data(site=site.pk))
    assert exc.errors["site"] == ["Choose a memorial site of your area, or none."]


def test_an_event_is_changed_with_the_version_read_and_a_stale_one_refused():
    event = make_event()
    refused(Conflict, services.event_update, event=event, actor=user("wuhua_staff"), data=event_data(), version=7)
    changed = services.event_update(
        event=event, actor=user("wuhua_staff"), data=event_data(participants=420), version=event.version
    )
    assert changed.participants == 420 and changed.version == event.version + 1
    entry = AuditEntry.objects.get(action="memorials.event.changed", object_id=str(event.pk))
    assert entry.changes["participants"] == [100, 420]


def test_an_event_of_another_area_is_not_changed():
    event = make_event(region="530302", created_by="qilin_staff")
    refused(
        InvalidInput,
        services.event_update,
        event=event,
        actor=user("wuhua_staff"),
        data=event_data(),
        version=event.version,
    )


# --- the traditional days --------------------------------------------------------------------------


def test_a_qingming_event_off_the_day_is_saved_with_a_warning():
    off = qingming(2025) + timedelta(days=1)
    event = services.event_create(actor=user("wuhua_staff"), data=event_data(held_on=off))
    assert event.held_on == off
    [warning] = services.date_warnings(event.occasion, event.held_on)
    assert qingming(2025).isoformat() in warning


def test_no_warning_on_the_day_or_for_other_occasions():
    assert services.date_warnings("qingming", qingming(2026)) == []
    assert services.date_warnings("winter_solstice", winter_solstice(2025)) == []
    assert services.date_warnings("other", date(2025, 4, 6)) == []
    assert len(services.date_warnings("winter_solstice", date(2025, 12, 1))) == 1
