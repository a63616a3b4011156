"""Contacts and visits: recorded from the work list (the follow-up marked done), refused with nothing
written for bad input, photos stored encrypted and served through a checked view; the work list (this
week and overdue, scoped by the family's county); the figures (households vs person-visits); the daily
reminder job; the contacts API."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import InvalidInput, NotAllowed
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..figures import visited_households, visited_person_visits
from ..models import Contact, FollowUp
from ..selectors.followups import week_of
from ..services.followups import contact_record, follow_up_reminders_send
from ..tasks import BEAT, follow_up_reminders
from .factories import JPEG, PDF, PNG, make_contact, make_family, make_follow_up

pytestmark = pytest.mark.django_db

DONATED = date(2025, 3, 10)


def nothing_written():
    return not Contact.objects.exists() and not Attachment.objects.filter(owner_type="care.contact").exists()


def record(family, **changes):
    data = {
        "actor": user("wuhua_staff"),
        "family": family,
        "channel": "visit",
        "occurred_on": date(2025, 6, 1),
        "staff": "李社工、王志愿者",
        **changes,
    }
    return contact_record(**data)


# --- recording ---------------------------------------------------------------------------------------


def test_a_visit_recorded_from_the_work_list_marks_the_follow_up_done(client, english):
    family = make_family(donated_on=DONATED)
    fu = make_follow_up(family, due_on=timezone.localdate() - timedelta(days=2))
    member = family.members.get()
    client.force_login(user("wuhua_staff"))
    page = client.get("/workspace/care/follow-ups/").content.decode()
    link = f"/workspace/care/families/{family.pk}/contacts/new/?follow_up={fu.pk}"
    assert link.replace("&", "&amp;") in page or link in page
    form = client.get(link)
    assert form.status_code == 200 and f'value="{fu.pk}" selected' in form.content.decode()
    response = client.post(
        link,
        {
            "follow_up": fu.pk,
            "channel": "visit",
            "occurred_on": timezone.localdate().isoformat(),
            "staff": "李社工",
            "members_met": [member.pk],
            "others_met": "2",
            "findings": "母亲身体尚好",
            "needs": "孙子上学困难",
            "photos": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.jpg", JPEG)],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/workspace/care/follow-ups/"
    assert "is recorded" in response.content.decode()
    contact = Contact.objects.get()
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.DONE and contact.follow_up == fu
    assert list(contact.members_met.all()) == [member] and contact.others_met == 2
    assert AuditEntry.objects.filter(action="care.contact.recorded").count() == 1
    # the contact page, and its photos: encrypted on disk, served whole through the checked view
    page = client.get(f"/workspace/care/contacts/{contact.pk}/").content.decode()
    assert "孙子上学困难" in page and "Photo 2" in page
    photos = Attachment.objects.filter(owner_type="care.contact", owner_id=str(contact.pk)).order_by("id")
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]
    raw = open(photos[0].file.storage.path(photos[0].file.name), "rb").read()  # noqa: SIM115
    assert PNG not in raw and not raw.startswith(b"\x89PNG")
    served = client.get(f"/workspace/care/contacts/{contact.pk}/photos/{photos[0].pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == PNG
    client.force_login(user("qilin_staff"))
    assert client.get(f"/workspace/care/contacts/{contact.pk}/photos/{photos[0].pk}/").status_code == 404


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"occurred_on": "tomorrow"}, "occurred_on"),
        ({"occurred_on": date(2025, 3, 9)}, "occurred_on"),
        ({"members_met": "other family"}, "members_met"),
        ({"photos": "pdf"}, "photos"),
        ({"photos": "text"}, "photos"),
        ({"staff": "  "}, "staff"),
        ({"others_met": 51}, "others_met"),
        ({"channel": "fax"}, "channel"),
        ({"follow_up": "other family"}, "follow_up"),
    ],
)
def test_bad_input_is_refused_with_nothing_written(changes, field):
    family = make_family(donated_on=DONATED)
    fu = make_follow_up(family, due_on=date(2025, 4, 10))
    other = make_family(donated_on=DONATED)
    value = next(iter(changes.values()))
    key = next(iter(changes))
    if value == "tomorrow":
        changes = {key: timezone.localdate() + timedelta(days=1)}
    elif value == "other family" and key == "members_met":
        changes = {key: [family.members.get().pk, other.members.get().pk]}
    elif value == "other family":
        changes = {key: make_follow_up(other, due_on=date(2025, 4, 10)).pk}
    elif value == "pdf":
        changes = {key: [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("scan.jpg", PDF)]}
    elif value == "text":
        changes = {key: [SimpleUploadedFile("photo.png", b"not a picture at all")]}
    with pytest.raises(InvalidInput) as exc:
        record(family, follow_up=fu if key != "follow_up" else changes.pop(key), **changes)
    assert exc.value.field == field
    assert nothing_written()
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.PLANNED


def test_the_page_shows_the_refusal_in_the_users_language(client):
    family = make_family(donated_on=DONATED)
    client.force_login(user("wuhua_staff"))
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/workspace/care/families/{family.pk}/contacts/new/",
        {"channel": "phone", "occurred_on": tomorrow, "staff": "张", "others_met": "0"},
    )
    assert response.status_code == 400
    assert "不能" in response.content.decode() or "future" in response.content.decode()
    assert nothing_written()


def test_recording_is_for_staff_of_the_familys_area():
    family = make_family(region="530102")
    with pytest.raises(NotAllowed):
        record(family, actor=user("qilin_staff"))
    with pytest.raises(NotAllowed):
        record(family, actor=user("auditor"))
    assert nothing_written()


# --- the work list -----------------------------------------------------------------------------------


def test_the_work_list_shows_this_week_and_overdue_by_area(client, english):
    today = timezone.localdate()
    monday, sunday = week_of(today)
    wuhua = make_family(region="530102", donor_name="五华甲")
    qilin = make_family(region="530302", donor_name="麒麟乙")
    make_follow_up(wuhua, due_on=today - timedelta(days=40), label="m1")
    make_follow_up(wuhua, due_on=sunday, kind="qingming", label="qingming")
    make_follow_up(wuhua, due_on=sunday + timedelta(days=1), label="m6")  # next week: not listed
    make_follow_up(wuhua, due_on=today - timedelta(days=1), state="done", label="m12")
    make_follow_up(qilin, due_on=today, label="m1")
    client.force_login(user("wuhua_staff"))
    page = client.get("/workspace/care/follow-ups/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "五华甲" in body and "麒麟乙" not in body
    assert "Overdue (1)" in body and "Due this week" in body
    assert (today - timedelta(days=40)).isoformat() in body and sunday.isoformat() in body
    assert (sunday + timedelta(days=1)).isoformat() not in body
    client.force_login(user("prov_admin"))
    body = client.get("/workspace/care/follow-ups/").content.decode()
    assert "五华甲" in body and "麒麟乙" in body
    body = client.get("/workspace/care/follow-ups/?county=530302").content.decode()
    assert "五华甲" not in body and "麒麟乙" in body
    body = client.get("/workspace/care/follow-ups/?kind=qingming").content.decode()
    assert "五华甲" in body and "麒麟乙" not in body
    from ..selectors.followups import due_count

    assert due_count(user("wuhua_staff")) == 2 and due_count(user("prov_admin")) == 3
    assert due_count(user("qilin_staff")) == 1


# --- figures ------------------------------------------------------------------------------------------


def test_figures_count_households_and_person_visits_separately():
    a = make_family(region="530102", members=(("甲母", "mother", "13800138001"), ("甲父", "father", "13800138002")))
    b = make_family(region="530302")
    make_contact(a, occurred_on=date(2025, 4, 1), members=list(a.members.all()))  # 2 people
    make_contact(a, occurred_on=date(2025, 12, 21), members=[a.members.first()], others_met=1)  # 2 people
    make_contact(b, occurred_on=date(2025, 7, 1), others_met=1)  # one other person: counts 1
    make_contact(b, occurred_on=date(2025, 8, 1), channel="phone", members=list(b.members.all()))  # not a visit
    make_contact(b, occurred_on=date(2026, 1, 1))  # another year
    assert visited_households(2025, "53") == 2
    assert visited_person_visits(2025, "53") == 5
    assert visited_households(2025, "530102") == 1 and visited_person_visits(2025, "530102") == 4
    assert visited_households(2026, "53") == 1


# --- reminders ---------------------------------------------------------------------------------------


def test_the_reminder_job_tells_the_responsible_once():
    today = timezone.localdate()
    family = make_family()
    family.responsible = user("wuhua_staff")
    family.save()
    soon = make_follow_up(family, due_on=today + timedelta(days=3))
    make_follow_up(family, due_on=today + timedelta(days=10), label="m6")  # not yet
    make_follow_up(family, due_on=today + timedelta(days=2), label="m12", state="cancelled")
    nobody = make_family()  # no one responsible
    make_follow_up(nobody, due_on=today + timedelta(days=1))
    assert follow_up_reminders.apply().get() == 1
    soon.refresh_from_db()
    assert soon.reminded_on == today
    entry = AuditEntry.objects.get(action="care.follow_up.reminded")
    assert entry.changes["responsible"] == family.responsible_id
    assert follow_up_reminders_send() == 0
    assert BEAT["care-follow-up-reminders"]["task"] == "care.follow_up_reminders"


def test_the_home_page_shows_the_follow_ups(client, english):
    family = make_family()
    make_follow_up(family, due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(user("wuhua_staff"))
    body = client.get("/workspace/").content.decode()
    assert "Follow-ups overdue" in body


# --- the API ------------------------------------------------------------------------------------------


def api(username):
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def test_the_api_lists_scoped_filters_and_hides_notes_from_readers():
    a = make_family(region="530102")
    b = make_family(region="530302")
    visit = make_contact(a, occurred_on=date(2025, 4, 1), members=list(a.members.all()))
    make_contact(a, occurred_on=date(2026, 2, 1), channel="phone")
    make_contact(b, occurred_on=date(2025, 5, 1))
    rows = api("wuhua_staff").get("/api/v1/family-contacts/").json()
    rows = rows.get("results", rows)
    assert len(rows) == 2 and all(r["family"] == a.pk for r in rows)
    assert rows[-1]["needs"] == "希望孩子助学" and rows[-1]["people_met"] == 1
    rows = api("prov_admin").get("/api/v1/family-contacts/?year=2025&channel=visit").json()
    rows = rows.get("results", rows)
    assert {r["id"] for r in rows} >= {visit.pk} and all(r["channel"] == "visit" for r in rows)
    auditor = api("auditor").get(f"/api/v1/family-contacts/{visit.pk}/").json()
    assert "needs" not in auditor and "findings" not in auditor
    assert api("qilin_staff").get(f"/api/v1/family-contacts/{visit.pk}/").status_code == 404
    assert api("prov_admin").get("/api/v1/family-contacts/?year=abc").status_code == 400
    assert api("prov_admin").get("/api/v1/family-contacts/?year=99999").status_code == 400


def test_the_api_records_through_the_same_service():
    family = make_family(region="530102")
    fu = make_follow_up(family, due_on=date(2025, 4, 10))
    body = {
        "family": family.pk,
        "follow_up": fu.pk,
        "channel": "phone",
        "occurred_on": "2025-04-11",
        "staff": "李社工",
        "members_met": [family.members.get().pk],
    }
    assert api("qilin_staff").post("/api/v1/family-contacts/", body, format="json").status_code == 400
    assert api("auditor").post("/api/v1/family-contacts/", body, format="json").status_code == 403
    future = {**body, "occurred_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    assert api("wuhua_staff").post("/api/v1/family-contacts/", future, format="json").status_code == 400
    assert nothing_written()
    response = api("wuhua_staff").post("/api/v1/family-contacts/", body, format="json")
    assert response.status_code == 201, response.json()
    fu.refresh_from_db()
    assert fu.state == FollowUp.State.DONE and response.json()["people_met"] == 1


def test_the_family_pages_panels_show_wishes_plan_and_contacts(english):
    from django.test import Client

    family = make_family()
    make_follow_up(family, due_on=date(2025, 4, 10))
    contact = make_contact(family, occurred_on=date(2025, 4, 10))

    def page(username):
        c = Client()
        c.force_login(user(username))
        return c.get(f"/workspace/care/families/{family.pk}/").content.decode()

    html = page("wuhua_staff")
    assert "Save the wishes" in html and f"/workspace/care/families/{family.pk}/wishes/" in html
    assert "1 month after the donation" in html and f"/workspace/care/contacts/{contact.pk}/" in html
    html = page("auditor")
    assert "/wishes/" not in html and "Record contact" not in html
