"""On PostgreSQL: two clerks typing the same day at once leave one result (the second is asked to
confirm the replacement), an import racing a typist never loses or doubles a day, and a confirmed
import never replaces a day typed in after the user checked the file."""

from datetime import date

import pytest

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import FundraisingDay
from ..services import fundraising as services
from .factories import make_project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _project():
    return make_project(region="530102", created_by="wuhua_staff", starts_on=date(2025, 5, 5), ends_on=date(2025, 5, 8))


def test_two_clerks_typing_the_same_day_at_once_leave_one_result(transactional_base_data):
    p = _project()

    def typed(amount):
        return lambda: services.day_record(
            project=p, actor=user("wuhua_staff"), day=date(2025, 5, 6), amount=amount, donors=1
        )

    assert race(typed("100"), typed("200")) == ["day_recorded", "saved"]
    assert FundraisingDay.objects.filter(project=p).count() == 1


def test_an_import_racing_a_typist_leaves_one_row_per_day(transactional_base_data):
    p = _project()
    content = "日期,金额,捐款人次\n2025-05-05,10,1\n2025-05-06,20,2\n".encode()
    outcomes = race(
        lambda: services.results_import(
            project=p, actor=user("wuhua_staff"), filename="e.csv", content=content, replace=True
        ),
        lambda: services.day_record(
            project=p, actor=user("kunming_staff"), day=date(2025, 5, 6), amount="99", donors=9, replace=True
        ),
    )
    assert outcomes == ["saved", "saved"]
    assert sorted(FundraisingDay.objects.filter(project=p).values_list("day", flat=True)) == [
        date(2025, 5, 5),
        date(2025, 5, 6),
    ]


def test_a_confirmed_import_racing_a_typist_never_replaces_a_day_the_user_was_not_shown(transactional_base_data):
    p = _project()
    content = "日期,金额,捐款人次\n2025-05-05,10,1\n2025-05-06,20,2\n".encode()
    # the user checked the file when no day was recorded: they agreed to replace none
    outcomes = race(
        lambda: services.results_import(
            project=p, actor=user("wuhua_staff"), filename="e.csv", content=content, replace=True, replacing=[]
        ),
        lambda: services.day_record(
            project=p, actor=user("kunming_staff"), day=date(2025, 5, 6), amount="99", donors=9, replace=True
        ),
    )
    typed = FundraisingDay.objects.get(project=p, day=date(2025, 5, 6))
    if outcomes == ["days_changed", "saved"]:  # the typist first: the import is refused, nothing of it saved
        assert (typed.amount_fen, typed.source_id) == (9900, None)
        assert FundraisingDay.objects.filter(project=p).count() == 1
    else:  # the import first, then the typist's own confirmed replacement
        assert outcomes == ["saved", "saved"] and typed.amount_fen == 9900
