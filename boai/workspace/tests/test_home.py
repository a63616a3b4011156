"""Every role lands somewhere useful: the workspace home shows each role its own work (panels that each
app declares in its ``home.py``), a refusal keeps the workspace's layout and menu, and the menu offers
no link the role cannot use."""

import pytest
from django.test import Client

from boai.cases.demo import load_demo_cases
from boai.cases.models import OrganCase
from boai.certificates.demo import load_demo_certificates
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

# the links each role's home must offer: its work
EXPECTED = {
    "prov_admin": ["/workspace/registrations/", "/workspace/cases/organ/", "/workspace/certificates/stock/"],
    "wuhua_staff": [
        "/workspace/registrations/",
        "/workspace/registrations/duplicates/",
        "/workspace/cases/organ/",
        "/workspace/cases/body/",
    ],
    "opo_staff": [
        "/workspace/cases/organ/",
        "/workspace/certificates/stock/",
        "/workspace/certificates/consent-forms/",
    ],
    "station_staff": ["/workspace/cases/body/"],
    "auditor": ["/workspace/audit/"],
    "sysadmin": ["/workspace/accounts/"],
    "secadmin": ["/workspace/accounts/"],
}
# the links it must not: another role's work
NOT_EXPECTED = {
    "opo_staff": ["/workspace/cases/body/", "/workspace/registrations/duplicates/"],
    "station_staff": ["/workspace/cases/organ/", "/workspace/certificates/stock/"],
    "coordinator": ["/workspace/registrations/duplicates/", "/workspace/certificates/stock/"],
}


@pytest.fixture
def demo_cases():
    load_demo_cases()
    load_demo_certificates()


def home(username):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    response = client.get("/workspace/")
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"', 1)[1]
    return main


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_role_sees_its_work_on_the_home_page(demo_cases, username):
    main = home(username)
    for href in EXPECTED[username]:
        assert f'href="{href}' in main, (username, href)
    for href in NOT_EXPECTED.get(username, []):
        assert f'href="{href}' not in main, (username, href)


def test_a_coordinator_sees_the_open_cases_they_are_on(demo_cases):
    coordinator = user("coordinator")
    mine = OrganCase.objects.filter(steps__actor=coordinator).exclude(state__in=["closed", "declined"]).distinct()
    assert mine.exists()
    main = home("coordinator")
    for case in mine:
        assert f'href="/workspace/cases/organ/{case.pk}/"' in main and case.number in main
    closed = OrganCase.objects.filter(state="closed", steps__actor=coordinator).first()
    assert closed is not None and closed.number not in main
    for href in NOT_EXPECTED["coordinator"]:
        assert f'href="{href}' not in main


def test_the_opo_unit_sees_its_certificate_stock_counted(demo_cases):
    from boai.certificates.models import Certificate, Kind, State

    on_hand = Certificate.objects.filter(unit=user("opo_staff").organization, kind=Kind.ORGAN, state=State.RECEIVED)
    main = home("opo_staff")
    assert "Blank certificates on hand" in main
    assert f'<span class="stat-n">{on_hand.count()}</span><span>Blank certificates on hand' in main


def test_a_refusal_keeps_the_workspace_layout_and_menu():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    response = client.get("/workspace/audit/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'id="ws-nav"' in page and 'href="/workspace/registrations/"' in page
    assert "Log out" in page


@pytest.mark.parametrize(
    "username,shown",
    [("prov_admin", True), ("sysadmin", True), ("secadmin", True), ("wuhua_staff", False), ("auditor", False)],
)
def test_the_api_documentation_is_in_the_menu_of_administrators_only(username, shown):
    client = Client()
    client.force_login(user(username))
    assert ('href="/api/docs/"' in client.get("/workspace/").content.decode()) is shown


def test_a_units_staff_are_told_they_see_their_unit_not_a_region():
    main = home("opo_staff")
    assert "You see the records of your unit." in main and "and below" not in main
    assert "and below" in home("wuhua_staff")
