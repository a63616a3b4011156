"""The on-call roster: who can be reached this week and next in a prefecture, adding a shift (only a
qualified coordinator whose area covers the prefecture, dates in order, never two shifts at once),
ending or deleting one; and its API."""

from datetime import timedelta

import pytest
from django.test import Client
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.cases.tests.helpers import staff_account
from boai.core.errors import DomainError
from boai.core.tests.personas import user

from ..models import Coordinator, OnCallShift
from ..selectors.practice import week_start
from ..services.practice import shift_add, shift_end
from .factories import make_coordinator, make_qualified, today

pytestmark = pytest.mark.django_db


def client(username):
    c = Client()
    c.force_login(user(username))
    return c


def snapshot():
    return OnCallShift.objects.count(), AuditEntry.objects.count()


def monday():
    return week_start(today())


def test_branch_staff_add_a_shift_and_the_roster_shows_it_this_week_with_the_phone():
    account = staff_account("c_rota", "coordinator", "RC530100", "轮值李")  # one the witness rule lets stand
    li = make_qualified(name="轮值李", region="530100", organisation="RC530100", account=account)
    response = client("kunming_staff").post(
        "/workspace/coordinators/on-call/new/?prefecture=530100",
        {
            "coordinator": li.pk,
            "starts_on": monday().isoformat(),
            "ends_on": (monday() + timedelta(days=6)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="coordinators.shift.added").exists()
    page = client("kunming_staff").get("/workspace/coordinators/on-call/").content.decode()
    assert "轮值李" in page and li.phone in page  # branch staff hold coordinators.contact: the whole number
    assert AuditEntry.objects.filter(action="coordinators.contact.viewed", actor_username="kunming_staff").exists()
    masked = client("auditor").get("/workspace/coordinators/on-call/?prefecture=530100").content.decode()
    assert "轮值李" in masked and li.phone not in masked and li.phone[-4:] in masked


def test_the_week_switcher_shows_next_weeks_shift_and_a_provincial_user_chooses_the_prefecture():
    qu = make_qualified(name="曲靖轮值", region="530300")
    nxt = monday() + timedelta(days=14)
    shift_add(actor=user("prov_admin"), prefecture="530300", coordinator=qu, starts_on=nxt, ends_on=nxt)
    c = client("prov_admin")
    assert "曲靖轮值" not in c.get("/workspace/coordinators/on-call/?prefecture=530300").content.decode()
    later = c.get(f"/workspace/coordinators/on-call/?prefecture=530300&week={monday() + timedelta(days=7)}")
    assert "曲靖轮值" in later.content.decode()  # "next week" of the week shown
    assert (
        "曲靖轮值"
        not in client("kunming_staff").get("/workspace/coordinators/on-call/?prefecture=530300").content.decode()
    )


@pytest.mark.parametrize(
    "case",
    ["trainee", "county", "expired", "expires_during", "dates", "overlap", "outside"],
)
def test_a_wrong_shift_is_refused_with_its_rule_and_nothing_is_written(case, english):
    actor = user("kunming_staff")
    start, end = today(), today() + timedelta(days=3)
    if case == "trainee":
        person = make_coordinator(name="培训中", region="530100", state=Coordinator.State.TRAINEE)
    elif case == "county":
        person = make_qualified(name="区县协调员", region="530102")
    elif case == "expired":
        person = make_qualified(name="过期协调员", region="530100", valid_until=today() - timedelta(days=1))
    elif case == "expires_during":  # qualified today, expired before the shift ends
        person = make_qualified(name="将过期", region="530100", valid_until=today() + timedelta(days=1))
    else:
        person = make_qualified(name="正常协调员", region="530100")
    if case == "dates":
        start, end = end, start
    if case == "overlap":
        shift_add(actor=actor, prefecture="530100", coordinator=person, starts_on=start, ends_on=end)
    if case == "outside":
        actor = user("wuhua_staff")
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        shift_add(actor=actor, prefecture="530100", coordinator=person, starts_on=start, ends_on=end)
    assert snapshot() == before
    expected = {
        "trainee": "qualified",
        "county": "does not cover",
        "expired": "qualified",
        "expires_during": "runs past the end of 将过期's qualification",
        "dates": "before the first day",
        "overlap": "already on call",
        "outside": "own area",
    }[case]
    assert expected in str(refused.value.message)


def test_the_page_shows_the_refusal_on_the_form():
    person = make_qualified(name="重叠协调员", region="530100")
    shift_add(actor=user("kunming_staff"), prefecture="530100", coordinator=person, starts_on=today(), ends_on=today())
    before = snapshot()
    response = client("kunming_staff").post(
        "/workspace/coordinators/on-call/new/?prefecture=530100",
        {"coordinator": person.pk, "starts_on": today().isoformat(), "ends_on": today().isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "is already on call" in response.content.decode()
    assert snapshot() == before


def test_ending_a_shift_under_way_ends_it_today_and_one_not_begun_is_deleted():
    actor = user("kunming_staff")
    a = make_qualified(name="进行中", region="530100")
    b = make_qualified(name="未开始", region="530100")
    running = shift_add(
        actor=actor, prefecture="530100", coordinator=a, starts_on=today(), ends_on=today() + timedelta(days=5)
    )
    future = shift_add(
        actor=actor,
        prefecture="530100",
        coordinator=b,
        starts_on=today() + timedelta(days=9),
        ends_on=today() + timedelta(days=10),
    )
    assert client("kunming_staff").post(f"/workspace/coordinators/on-call/{running.pk}/end/").status_code == 302
    running.refresh_from_db()
    assert running.ends_on == today()
    shift_end(actor=actor, shift=future)
    assert not OnCallShift.objects.filter(pk=future.pk).exists()
    assert AuditEntry.objects.filter(action="coordinators.shift.deleted").exists()
    assert AuditEntry.objects.filter(action="coordinators.shift.ended").exists()
    before = snapshot()
    assert client("wuhua_staff").post(f"/workspace/coordinators/on-call/{running.pk}/end/").status_code == 404
    assert snapshot()[0] == before[0]


def test_the_api_lists_filters_and_creates_shifts_with_the_same_rules():
    person = make_qualified(name="接口轮值", region="530100")
    api = APIClient()
    api.force_login(user("kunming_staff"))
    body = {"prefecture": "530100", "coordinator": person.pk, "starts_on": str(today()), "ends_on": str(today())}
    created = api.post("/api/v1/on-call-shifts/", body, format="json")
    assert created.status_code == 201, created.json()
    before = snapshot()
    again = api.post("/api/v1/on-call-shifts/", body, format="json")
    assert again.status_code == 409 and snapshot() == before
    listed = api.get(f"/api/v1/on-call-shifts/?coordinator={person.pk}&region=5301&year={today().year}").json()
    assert [r["coordinator_name"] for r in listed["results"]] == ["接口轮值"]
    assert api.get("/api/v1/on-call-shifts/?year=abc").status_code == 400
    qilin = APIClient()
    qilin.force_login(user("qilin_staff"))
    assert qilin.get(f"/api/v1/on-call-shifts/{created.json()['id']}/").status_code == 404
    export = api.get("/api/v1/on-call-shifts/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
