"""What a stranger found on the families and follow-ups pages, as a user notices it: a call or visit
meeting nobody is refused (and the person-visits figure sums the people really met), the family page's
labels say what they hold, a record's history does not show other counties' refused access attempts,
the outcome letter gives the recipients of each organ and a readable number and is not issued twice
by a slip, the follow-ups pages audit an out-of-scope record, the responsible staff offered are those
of the family's county, and the free-text fields of a contact have sensible lengths."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from boai.audit.models import AuditEntry
from boai.audit.selectors import entries_for_object
from boai.cases.models import OrganCase
from boai.cases.tests.helpers import open_organ, walk_organ
from boai.core.errors import InvalidInput
from boai.core.tests.personas import user

from ..figures import visited_person_visits
from ..models import Contact, Family, OutcomeLetter
from ..services.followups import contact_record
from .factories import make_contact, make_family

pytestmark = pytest.mark.django_db
BASE = "/workspace/care"
DONATED = date(2025, 3, 10)


def client(username, lang="en"):
    c = Client(HTTP_ACCEPT_LANGUAGE=lang)
    c.force_login(user(username))
    return c


def record(family, **changes):
    data = {
        "actor": user("wuhua_staff"),
        "family": family,
        "channel": "visit",
        "occurred_on": date(2025, 6, 1),
        "staff": "李社工",
        **changes,
    }
    return contact_record(**data)


# --- 1. a call or visit meets someone ----------------------------------------------------------------


@pytest.mark.parametrize("channel", ["visit", "phone"])
def test_a_call_or_visit_meeting_nobody_is_refused_with_nothing_written(channel):
    family = make_family(donated_on=DONATED)
    with pytest.raises(InvalidInput) as exc:
        record(family, channel=channel, members_met=[], others_met=0)
    assert exc.value.field == "members_met"
    assert not Contact.objects.exists()
    assert record(family, channel=channel, others_met=1).others_met == 1
    assert record(family, channel=channel, members_met=[family.members.get().pk]).members_met.count() == 1


def test_a_letter_or_message_meets_nobody_and_is_recorded():
    family = make_family(donated_on=DONATED)
    assert record(family, channel="letter").pk and record(family, channel="message").pk


def test_the_form_says_someone_must_be_met(english):
    family = make_family(donated_on=DONATED)
    response = client("wuhua_staff").post(
        f"{BASE}/families/{family.pk}/contacts/new/",
        {"channel": "visit", "occurred_on": "2025-06-01", "staff": "李社工", "others_met": "0"},
    )
    assert response.status_code == 400
    assert "tick the family members met" in response.content.decode()
    assert not Contact.objects.exists()


def test_person_visits_sum_the_people_really_met():
    a = make_family(members=(("甲母", "mother", "13800138001"), ("甲父", "father", "13800138002")))
    make_contact(a, occurred_on=date(2025, 4, 1), members=list(a.members.all()), others_met=1)  # 3 people
    make_contact(a, occurred_on=date(2025, 5, 1))  # recorded before the rule, nobody: 0, not "at least 1"
    assert visited_person_visits(2025, "53") == 3


# --- 2. the family page's labels ---------------------------------------------------------------------


def test_the_family_page_and_list_labels_say_what_they_hold():
    family = make_family()
    zh = client("wuhua_staff", "zh-hans")
    page = zh.get(f"{BASE}/families/{family.pk}/").content.decode()
    assert "与您的关系" not in page and "与捐献者的关系" in page
    assert "<h2>捐献类型</h2>" not in page
    assert page.count(">家属意愿</h") == 1  # one heading (the save button says it too)
    listing = zh.get(f"{BASE}/families/").content.decode()
    assert "联系记录" not in listing and "可以联系 · " in listing
    en = client("wuhua_staff")
    page = en.get(f"{BASE}/families/{family.pk}/").content.decode()
    assert "Donation details" in page and "Relationship to the donor" in page
    listing = en.get(f"{BASE}/families/").content.decode()
    assert listing.count("Contact allowed") == 2  # the filter's label and the column


# --- 3. the history shows no one else's refused access -----------------------------------------------


def test_the_history_does_not_list_refused_access_attempts():
    family = make_family(region="530102")
    assert client("qilin_staff").get(f"{BASE}/families/{family.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="security.access.denied", object_id=str(family.pk)).exists()
    assert not any(e.action == "security.access.denied" for e in entries_for_object(family))
    page = client("wuhua_staff").get(f"{BASE}/families/{family.pk}/").content.decode()
    assert "Access outside scope refused" not in page and "qilin_staff" not in page


# --- 4. the outcome letter ---------------------------------------------------------------------------


def _family_with_outcome():
    case_id = open_organ()["id"]
    walk_organ(case_id, "closed")
    case = OrganCase.objects.get(pk=case_id)
    family = Family.objects.get(organ_case=case)
    Family.objects.filter(pk=family.pk).update(wants_outcome=True)
    return family


def test_the_letter_gives_each_organs_recipients_and_a_readable_number():
    family = _family_with_outcome()
    c = client("wuhua_staff")
    location = c.post(f"{BASE}/families/{family.pk}/letter/")["Location"]
    letter = OutcomeLetter.objects.get(family=family)
    assert letter.recipients == {"kidney": 2}
    number = f"{timezone.localdate().year}-{letter.pk:04d}"
    assert letter.number == number
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(c.get(location).content)).pages)
    compact = "".join(text.split())
    assert re.search(r"肾\w*[（(]2", compact), compact
    assert number in compact


def test_after_a_letter_the_page_offers_to_print_it_again_and_asks_before_another(english):
    family = _family_with_outcome()
    c = client("wuhua_staff")
    page = c.get(f"{BASE}/families/{family.pk}/").content.decode()
    assert "data-confirm" not in page.split('id="outcome-letter"')[1]
    c.post(f"{BASE}/families/{family.pk}/letter/")
    letter = OutcomeLetter.objects.get(family=family)
    section = c.get(f"{BASE}/families/{family.pk}/").content.decode().split('id="outcome-letter"')[1]
    assert f"Issued on {timezone.localdate():%Y-%m-%d}" in section and letter.number in section
    assert f"/letter/{letter.pk}/" in section and "Print it again" in section
    assert "data-confirm" in section and "Issue another outcome letter" in section


# --- 5. the follow-ups pages audit an out-of-scope record --------------------------------------------


def test_follow_up_pages_audit_an_out_of_scope_record():
    family = make_family(region="530102")
    contact = make_contact(family, occurred_on=date(2025, 6, 1), others_met=1)
    c = client("qilin_staff")
    assert c.get(f"{BASE}/families/{family.pk}/contacts/new/").status_code == 404
    assert c.post(f"{BASE}/families/{family.pk}/wishes/", {"preferred_channel": "phone"}).status_code == 404
    assert c.get(f"{BASE}/contacts/{contact.pk}/").status_code == 404
    denied = AuditEntry.objects.filter(action="security.access.denied", actor_username="qilin_staff")
    assert denied.filter(object_type="care.family", object_id=str(family.pk)).count() == 2
    assert denied.filter(object_type="care.contact", object_id=str(contact.pk)).exists()
    family.refresh_from_db()
    assert family.contact_allowed
    assert client("wuhua_staff").get(f"{BASE}/contacts/{contact.pk}/").status_code == 200


# --- 6. the responsible staff of the family's county -------------------------------------------------


def test_the_responsible_staff_offered_are_of_branches_covering_the_county():
    family = make_family(region="530102")
    for username in ("prov_admin", "wuhua_staff"):
        page = client(username).get(f"{BASE}/families/{family.pk}/edit/").content.decode()
        options = page.split('name="responsible"')[1].split("</select>")[0]
        assert f'value="{user("wuhua_staff").pk}"' in options
        assert f'value="{user("prov_admin").pk}"' in options
        assert f'value="{user("qilin_staff").pk}"' not in options


# --- 7. sensible lengths of a contact's free text ----------------------------------------------------


def test_long_free_text_of_a_contact_is_refused(english):
    family = make_family(donated_on=DONATED)
    for changes, field in (({"staff": "张" * 101}, "staff"), ({"findings": "情" * 2001}, "findings")):
        with pytest.raises(InvalidInput) as exc:
            record(family, others_met=1, **changes)
        assert exc.value.field == field
    response = client("wuhua_staff").post(
        f"{BASE}/families/{family.pk}/contacts/new/",
        {"channel": "visit", "occurred_on": "2025-06-01", "staff": "张" * 301, "others_met": "1"},
    )
    assert response.status_code == 400 and "At most 100 characters" in response.content.decode()
    assert not Contact.objects.exists()
    assert record(family, others_met=1, staff="张" * 100).pk
