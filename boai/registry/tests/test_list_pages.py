"""The registration list's pages read from the end (the last pages: the ordering reversed, then put
back) hold exactly the rows a plain forward read gives, in the same order, with the count shown; a
prefecture's staff see their own area's rows only. The expected rows are computed here in Python."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.test import Client
from django.utils import timezone

from boai.core.tests.personas import user
from boai.lib.pagination import EndPaginator
from boai.registry import services
from boai.registry.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations(transactional_base_data):  # gen_synthetic commits on PostgreSQL
    call_command("gen_synthetic", registrations=650, workers=1, stdout=io.StringIO())
    # some leave the active list (withdrawn, one of them erased, one deceased), through the services
    staff = user("prov_admin")
    kunming = list(Registration.objects.filter(region__code__startswith="5301").order_by("id")[:40])
    for reg in kunming[:30:3]:
        if reg.status == Registration.Status.ACTIVE:
            services.registration_withdraw(registration=reg, actor=staff, reason="test")
    withdrawn = Registration.objects.filter(region__code__startswith="5301", status="withdrawn").first()
    services.registration_erase(registration=withdrawn, actor=staff)
    died = kunming[31]
    services.registration_mark_deceased(registration=died, actor=staff, died_on=timezone.localdate(died.registered_at))


def expected(prefix: str, status: str, sort: str) -> list[str]:
    rows = [
        r
        for r in Registration.objects.all()
        if r.region_id.startswith(prefix) and r.erased_at is None and (not status or r.status == status)
    ]
    keys = {
        "newest": lambda r: (r.registered_at, r.id),
        "oldest": lambda r: (r.registered_at, r.id),
        "number": lambda r: r.number,
        "name": lambda r: (r.name_initials, r.name, r.id),
    }
    return [r.number for r in sorted(rows, key=keys[sort], reverse=sort == "newest")]


@pytest.mark.django_db(transaction=True)
def test_every_page_of_a_prefecture_list_holds_the_right_rows_in_order(registrations):
    client = Client()
    client.force_login(user("kunming_staff"))
    for status, sort in [
        ("active", "newest"),
        ("active", "oldest"),
        ("active", "number"),
        ("active", "name"),
        ("", "newest"),
    ]:
        want = expected("5301", status, sort)
        assert len(want) > 50  # three pages at least, so pages are read from both ends
        shown = []
        for page in range(1, -(-len(want) // 25) + 1):
            body = client.get(f"/workspace/registrations/?status={status}&sort={sort}&page={page}").content.decode()
            shown += re.findall(r">((?:YN|SY)\d{6,})<", body)
            total = re.sub(r"<[^>]+>", " ", body.split('class="pagination"')[-1])
            assert re.search(rf"(?<!\d){len(want)}(?!\d)", total), (status, sort, page)
        assert shown == want, (status, sort)


def test_a_partial_ordering_is_read_forwards_only():
    """Rows tied on a non-unique ordering may come back in any order: reversing it could show a row
    twice and lose another, so such a list is never read from the end."""
    qs = Registration.objects.order_by("status")
    calls = []
    qs_reverse = qs.reverse

    def spy():
        calls.append(1)
        return qs_reverse()

    qs.reverse = spy
    assert [r.pk for r in EndPaginator(qs, 2).page(2)] == [r.pk for r in Paginator(qs, 2).page(2)]
    assert calls == []
