"""The staff menu (each badge a query) is kept in the shared cache while nothing changes, and drawn
afresh as soon as an audited change is made, on this app server or any other."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boai.audit.services import audit_log
from boai.core.tests.live import free_port
from boai.core.tests.personas import user
from boai.lib.menu import menu_html
from boai.registry.models import DuplicateCandidate
from boai.registry.tests.matrix import duplicate_pair_in_wuhua

pytestmark = pytest.mark.django_db


def review_badge(clerk) -> int:
    """The review badge's number as the workspace's menu shows it (none shown: 0)."""
    link = re.search(
        rf'<a href="{reverse("registry:duplicates")}">[^<]*(?:<span class="badge">(\d+)</span>)?', menu_html(clerk)
    )
    return int(link.group(1) or 0)


def badge_queries(clerk) -> int:
    with CaptureQueriesContext(connection) as queries:
        review_badge(clerk)
    return sum("registry_duplicatecandidate" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def kept(settings):
    settings.BOAI_MENU_BADGE_SECONDS = 60
    cache.clear()  # nothing kept from another test's data (rolled back since)
    return user("wuhua_staff")


def test_a_badge_is_counted_once_while_nothing_changes(kept):
    before = review_badge(kept)
    assert badge_queries(kept) == 0  # the second page asks the database nothing for it
    assert review_badge(kept) == before


def test_an_audited_change_shows_on_the_next_page(kept, django_capture_on_commit_callbacks):
    before = review_badge(kept)
    with django_capture_on_commit_callbacks(execute=True):
        duplicate_pair_in_wuhua()  # registration_create: audited
    assert review_badge(kept) == before + 1


def test_the_count_moves_when_the_change_commits(kept, django_capture_on_commit_callbacks):
    """Until the change commits, other servers cannot see it: the kept count stands. Its commit moves the
    count of changes on, so a number counted before (or while it was written) is not used afterwards."""
    before = review_badge(kept)
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        duplicate_pair_in_wuhua()
    assert review_badge(kept) == before
    for callback in on_commit:  # the commit
        callback()
    assert review_badge(kept) == before + 1


def test_reading_elsewhere_does_not_recount(kept, django_capture_on_commit_callbacks):
    review_badge(kept)
    with django_capture_on_commit_callbacks(execute=True):
        audit_log(action="registry.registration.viewed", actor=user("qilin_staff"))
        audit_log(action="registry.registration.exported", actor=user("qilin_staff"))
    assert badge_queries(kept) == 0
    with django_capture_on_commit_callbacks(execute=True):
        audit_log(action="registry.registration.amended", actor=user("qilin_staff"))
    assert badge_queries(kept) == 1


def test_a_change_made_without_the_audit_is_shown_within_the_seconds_set(kept, monkeypatch):
    before = review_badge(kept)
    DuplicateCandidate.objects.all().delete()  # no service, no audit: the kept count stands...
    assert review_badge(kept) == before
    later = time.time() + 61  # ...for BOAI_MENU_BADGE_SECONDS (60 here)
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    assert review_badge(kept) == 0


def test_with_redis_down_badges_are_counted_on_every_page_and_writes_go_on(
    kept, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {"BACKEND": "boai.core.cache.DegradingRedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    before = review_badge(kept)
    assert badge_queries(kept) == 1
    with django_capture_on_commit_callbacks(execute=True):
        duplicate_pair_in_wuhua()  # audited: the count of changes cannot move, and nothing fails
    assert review_badge(kept) == before + 1


def test_the_menu_s_html_is_kept_per_language_and_redrawn_after_a_change(kept, django_capture_on_commit_callbacks):
    from django.utils import translation

    with translation.override("en"):
        english = menu_html(kept)
    with translation.override("zh-hans"):
        chinese = menu_html(kept)
    assert "Registrations" in english and "Registrations" not in chinese
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        assert menu_html(kept) == english
    assert not queries.captured_queries  # nothing counted, nothing looked up: the kept HTML
    with django_capture_on_commit_callbacks(execute=True):
        duplicate_pair_in_wuhua()
    with translation.override("en"):
        redrawn = menu_html(kept)
    assert redrawn != english and f'<span class="badge">{review_badge(kept)}</span>' in redrawn
