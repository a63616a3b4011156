"""The coordinator records' pages as a clerk uses them: the list (scoped, masked, searched, filtered,
counted), the export, create and change, the record's page with the areas' sections, revealing the
contacts and linking an account. Every refused step writes nothing."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from boai.accounts.models import User
from boai.audit.models import AuditEntry
from boai.core.demo import resident_id
from boai.core.models import Organisation
from boai.core.tests.personas import user

from ..models import Coordinator
from ..selectors import people as selectors
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db

BASE = "/workspace/coordinators"


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def form(**changes):
    return {
        "name": "周琳",
        "id_type": "resident_id",
        "id_number": resident_id("530102", date(1986, 7, 14), "F", 31),
        "region": "530102",
        "organisation": "RC530102",
        "profession": "护士",
        "department": "重症医学科",
        "education": "bachelor",
        "title": "",
        "phone": "13988776655",
        "email": "",
    } | changes


def counts():
    return Coordinator.objects.count(), AuditEntry.objects.count()


def state_counts(username):
    """How many records per state the user sees now (the demo's, if any)."""
    return {state: n for state, _, n in selectors.state_counts(user=user(username))}


def test_the_list_shows_the_clerks_area_only_with_the_phone_masked_and_the_counts_per_state():
    before = state_counts("wuhua_staff")
    mine = make_coordinator(name="五华协调员", region="530102")
    make_qualified(name="麒麟协调员", region="530302")
    page = client("wuhua_staff").get(f"{BASE}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "五华协调员" in page and "麒麟协调员" not in page
    assert mine.phone not in page and mine.phone[:3] in page  # masked on the server
    applicants, qualified = before[Coordinator.State.APPLICANT] + 1, before[Coordinator.State.QUALIFIED]
    assert f'<span class="stat-n">{applicants}</span><span>Applicant</span>' in page
    # Qilin's qualified one is not counted
    assert f'<span class="stat-n">{qualified}</span><span>Qualified</span>' in page


def test_the_search_finds_an_exact_phone_or_id_number_and_a_part_of_a_name():
    a = make_coordinator(name="五华甲", region="530102")
    make_coordinator(name="五华乙", region="530102", born=date(1990, 5, 5))
    c = client("wuhua_staff")
    for term in (a.phone, a.id_number, "华甲"):
        page = c.post(f"{BASE}/", {"q": term}, follow=True).content.decode()
        assert "五华甲" in page and "五华乙" not in page, term
        assert term not in c.get(f"{BASE}/").wsgi_request.get_full_path()  # never in the URL


def test_the_filters_by_state_organisation_type_and_expiring_qualification():
    make_coordinator(name="医院协调员", region="530102", organisation="OPO-KMU1")
    make_qualified(name="临期协调员", region="530102", valid_until=today() + timedelta(days=30), born=date(1980, 2, 2))
    make_qualified(name="长期有效", region="530102", born=date(1981, 3, 3))
    c = client("wuhua_staff")
    page = c.get(f"{BASE}/?organisation_type=hospital").content.decode()
    assert "医院协调员" in page and "临期协调员" not in page
    page = c.get(f"{BASE}/?expiring=on").content.decode()
    assert "临期协调员" in page and "长期有效" not in page and "医院协调员" not in page
    page = c.get(f"{BASE}/?state=qualified").content.decode()
    assert "临期协调员" in page and "长期有效" in page and "医院协调员" not in page


def test_a_clerk_creates_a_record_and_lands_on_its_page():
    response = client("wuhua_staff").post(f"{BASE}/new/", form())
    c = Coordinator.objects.get(name="周琳")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/{c.pk}/"
    assert (c.sex, c.birth_date) == ("F", date(1986, 7, 14))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"id_number": "530102198607140000"}, "check digit"),
        ({"phone": "12345"}, "mobile phone number"),
        ({"region": "530302"}, "valid choice"),  # not offered: the form refuses the choice
        ({"organisation": "RC530302"}, "valid choice"),
    ],
)
def test_a_wrong_form_is_shown_again_with_its_message_and_nothing_written(changes, message):
    before = counts()
    response = client("wuhua_staff").post(f"{BASE}/new/", form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200 and 'class="field-error"' in page and message in page
    assert counts() == before


def test_a_duplicate_links_the_existing_record_when_the_user_may_see_it():
    existing = make_coordinator(region="530102")
    before = counts()
    page = client("kunming_staff").post(f"{BASE}/new/", form(id_number=existing.id_number)).content.decode()
    assert 'id="existing-record"' in page and f"{BASE}/{existing.pk}/" in page
    assert counts() == before


def test_a_duplicate_outside_the_area_gets_the_neutral_answer():
    existing = make_coordinator(name="五华某人", region="530102")
    before = counts()
    page = (
        client("qilin_staff")
        .post(f"{BASE}/new/", form(id_number=existing.id_number, region="530302", organisation="RC530302"))
        .content.decode()
    )
    assert 'id="existing-record"' not in page and "五华某人" not in page and f"/{existing.pk}/" not in page
    assert counts() == before


def test_the_record_page_is_masked_and_hidden_outside_the_area():
    c = make_coordinator(name="五华协调员", region="530102")
    page = client("wuhua_staff").get(f"{BASE}/{c.pk}/").content.decode()
    assert "五华协调员" in page and c.phone not in page and c.id_number not in page
    assert client("qilin_staff").get(f"{BASE}/{c.pk}/").status_code == 404
    assert client("opo_staff").get(f"{BASE}/{c.pk}/").status_code == 403


def test_the_record_page_includes_every_areas_section(monkeypatch):
    from ..selectors import applications, practice, qualifications, training

    seen = []
    for module in (applications, training, qualifications, practice):
        monkeypatch.setattr(
            module,
            "section",
            lambda *, coordinator, user, m=module: (
                seen.append((m, coordinator.pk, user.username))
                or {"actions": [(f"动作{len(seen)}", f"/x/{len(seen)}/")]}
            ),
        )
    c = make_coordinator(region="530102")
    page = client("wuhua_staff").get(f"{BASE}/{c.pk}/").content.decode()
    assert seen == [(m, c.pk, "wuhua_staff") for m in (applications, training, qualifications, practice)]
    assert '<a class="button" href="/x/2/">动作2</a>' in page  # each area's button at the top


def test_a_change_with_a_stale_version_is_refused_with_nothing_written():
    c = make_coordinator(region="530102")
    c2 = client("wuhua_staff")
    c2.get(f"{BASE}/{c.pk}/edit/")  # opening the form shows the full data: audited
    assert AuditEntry.objects.filter(action="coordinators.coordinator.revealed", object_id=str(c.pk)).exists()
    body = form(id_number=c.id_number, name=c.name, title="主任护师", version=c.version)
    Coordinator.objects.filter(pk=c.pk).update(version=c.version + 1)  # someone saved in between
    before = counts()
    page = c2.post(f"{BASE}/{c.pk}/edit/", body, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Someone else changed this record" in page
    assert counts() == before and Coordinator.objects.get(pk=c.pk).title == ""
    body["version"] = c.version + 1
    assert c2.post(f"{BASE}/{c.pk}/edit/", body).status_code == 302
    assert Coordinator.objects.get(pk=c.pk).title == "主任护师"


def test_a_clerk_of_another_county_cannot_open_the_change_form():
    c = make_coordinator(region="530102")
    assert client("qilin_staff").get(f"{BASE}/{c.pk}/edit/").status_code == 404
    assert client("auditor").get(f"{BASE}/{c.pk}/edit/").status_code == 403


def test_revealing_the_contacts_needs_a_reason_and_is_audited():
    c = make_coordinator(region="530102")
    web = client("wuhua_staff")
    before = counts()
    page = web.post(f"{BASE}/{c.pk}/reveal/", {"reason": "x"}, HTTP_HX_REQUEST="true").content.decode()
    assert c.phone not in page and 'class="field-error"' in page
    assert counts() == before
    page = web.post(f"{BASE}/{c.pk}/reveal/", {"reason": "通知培训"}, HTTP_HX_REQUEST="true").content.decode()
    assert c.phone in page
    entry = AuditEntry.objects.get(action="coordinators.coordinator.revealed", object_id=str(c.pk))
    assert entry.changes["reason"] == "通知培训" and entry.actor_username == "wuhua_staff"


def test_linking_a_staff_account_from_the_record_page():
    c = make_coordinator(region="530102")
    acct = User.objects.create(
        username="xie_coord",
        full_name="谢婷",
        role="coordinator",
        organization=Organisation.objects.get(code="RC530102"),
    )
    web = client("wuhua_staff")
    assert "xie_coord" in web.get(f"{BASE}/{c.pk}/").content.decode()  # offered
    web.post(f"{BASE}/{c.pk}/account/", {"action": "link", "account": acct.pk, "version": c.version})
    assert Coordinator.objects.get(pk=c.pk).user == acct
    other = make_coordinator(region="530102", born=date(1991, 1, 1))
    before = counts()
    response = web.post(
        f"{BASE}/{other.pk}/account/", {"action": "link", "account": acct.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "one record per account" in response.content.decode()
    assert counts() == before
    web.post(f"{BASE}/{c.pk}/account/", {"action": "unlink"})
    assert Coordinator.objects.get(pk=c.pk).user is None


def test_the_export_needs_a_reason_is_masked_and_audited():
    applicants = selectors.coordinator_list(user=user("wuhua_staff"), state="applicant").count()  # the demo's
    c = make_coordinator(name="五华协调员", region="530102")
    make_coordinator(name="麒麟协调员", region="530302", born=date(1977, 4, 4))
    web = client("wuhua_staff")
    before = counts()
    response = web.post(f"{BASE}/export/", {"reason": "", "format": "xlsx"})
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert counts() == before
    response = web.post(f"{BASE}/export/?state=applicant", {"reason": "年度统计", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    text = str(rows)
    assert "五华协调员" in text and "麒麟协调员" not in text
    assert c.phone not in text and c.id_number not in text
    entry = AuditEntry.objects.get(action="coordinators.coordinator.exported")
    assert entry.changes["reason"] == "年度统计" and entry.changes["filters"] == {"state": "applicant"}
    assert entry.changes["rows"] == applicants + 1 == len(rows) - 1  # one header row
