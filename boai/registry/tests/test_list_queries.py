"""The staff list costs the same few queries whether it shows 3 rows or a full page of 25: it reads the
columns it shows (``selectors.LIST_COLUMNS``) with the county joined, so no row reads more; a
permission the role lacks is answered from the role, not from Django's permission tables; and the
user's organisation comes with the user (``accounts.backends.PasswordBackend``)."""

import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boai.core.tests.personas import user
from boai.lib.masking import mask_id_number
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.services import PersonData, registration_create
from boai.registry.tests.helpers import resident_id

pytestmark = pytest.mark.django_db


def register(n: int):
    return registration_create(
        actor=user("prov_admin"),
        channel="paper",
        consent_version=CURRENT,
        data=PersonData(
            name=f"列表测试{n}",
            id_type="resident_id",
            id_number=resident_id(region="530102", born=date(1960, 1, 1) + timedelta(days=n), seq=f"{n % 100:02d}"),
            phone=f"138{n:08d}",
            region_code="530102",
            organs=["all"],
            tissues=["cornea"] if n % 2 else [],
        ),
    )


def page_queries(client) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/workspace/registrations/?sort=oldest").content.decode()
    return [q["sql"] for q in captured.captured_queries], body


def test_a_full_page_costs_no_more_queries_than_three_rows():
    client = Client()
    client.force_login(user("kunming_staff"))
    people = [register(n) for n in range(3)]
    few, body = page_queries(client)
    assert people[0].number in body
    people += [register(n) for n in range(3, 30)]
    full, body = page_queries(client)
    assert len(full) == len(few), full
    assert not [sql for sql in full if "auth_permission" in sql or "auth_group" in sql]
    assert not [sql for sql in full if sql.startswith('SELECT "core_organisation"')]  # loaded with the user
    # every column of the table still shows, the county from the join
    first = people[0]
    assert first.number in body and first.name in body
    assert mask_id_number(first.id_number) in body
    assert "五华区" in body
    assert "全部器官" in body and "眼角膜" in body


def test_the_status_shown_reads_the_donation_day_too():
    """ "Deceased — donated" needs ``donated_on``: a column the list reads although it does not show it
    (were it left out, each such row would cost a query of its own)."""
    client = Client()
    client.force_login(user("kunming_staff"))
    people = [register(n) for n in range(3)]
    before, _body = page_queries(client)
    for person in people:  # as a donation case would record it
        Registration.objects.filter(pk=person.pk).update(status="deceased", donated_on=timezone.localdate())
    after, body = page_queries(client)
    assert body.count("已故（已捐献）") == 3
    assert len(after) == len(before), after


def test_the_area_filter_is_kept_per_area_and_language(settings):
    """The filter's prefectures and counties (two queries) are kept like the staff menu, per area and
    language: the second page asks the database nothing for them, and English gets English labels."""
    settings.BOAI_MENU_BADGE_SECONDS = 60
    cache.clear()
    client = Client()
    client.force_login(user("kunming_staff"))
    queries, body = page_queries(client)
    assert [sql for sql in queries if sql.startswith('SELECT "core_region"')]
    queries, body = page_queries(client)
    assert not [sql for sql in queries if sql.startswith('SELECT "core_region"')]
    assert "五华区" in body and "本辖区全部" in body and "（全州/市）" in body
    client.cookies["django_language"] = "en"
    _queries, body = page_queries(client)
    assert "All of my area" in body


def test_the_kept_filter_fields_follow_the_values_the_user_and_the_language(settings):
    settings.BOAI_MENU_BADGE_SECONDS = 60
    cache.clear()
    kunming, qujing = Client(), Client()
    kunming.force_login(user("kunming_staff"))
    qujing.force_login(user("qilin_staff"))

    def selected(body, name):
        select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
        return re.findall(r'<option value="([^"]*)"[^>]*selected', select)

    body = kunming.get("/workspace/registrations/?status=active").content.decode()
    assert selected(body, "status") == ["active"] and "五华区" in body
    body = kunming.get("/workspace/registrations/?status=withdrawn").content.decode()
    assert selected(body, "status") == ["withdrawn"]
    body = kunming.get("/workspace/registrations/?status=active&date_from=2026-13-01").content.decode()
    assert selected(body, "status") == ["active"] and 'aria-invalid="true"' in body  # the date's error shown
    body = qujing.get("/workspace/registrations/?status=active").content.decode()  # another area: its own counties
    assert "五华区" not in body and "麒麟区" in body
    kunming.cookies["django_language"] = "en"
    body = kunming.get("/workspace/registrations/?status=active").content.decode()
    assert ">Withdrawn<" in body and selected(body, "status") == ["active"]
