"""The menu's badges are kept in the shared cache while nothing changes, and counted afresh as soon as
an audited change is made, on this app server or any other."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boai.core.tests.personas import user
from boai.lib import changes
from boai.lib.menu import menu_for
from boai.registry.models import DuplicateCandidate
from boai.registry.tests.matrix import duplicate_pair_in_wuhua

pytestmark = pytest.mark.django_db


def review_badge(clerk) -> int:
    entries = [entry for _group, group_entries in menu_for(clerk) for entry in group_entries]
    return next(entry.count for entry in entries if entry.badge.endswith("review_count"))


def badge_queries(clerk) -> int:
    with CaptureQueriesContext(connection) as queries:
        review_badge(clerk)
    return sum("registry_duplicatecandidate" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def kept(settings):
    settings.BOAI_MENU_BADGE_SECONDS = 60
    clerk = user("wuhua_staff")
    cache.delete(f"menu-badges:{clerk.pk}")
    return clerk


def test_a_badge_is_counted_once_while_nothing_changes(kept):
    before = review_badge(kept)
    assert badge_queries(kept) == 0  # the second page asks the database nothing for it
    assert review_badge(kept) == before


def test_an_audited_change_shows_on_the_next_page(kept, django_capture_on_commit_callbacks):
    before = review_badge(kept)
    with django_capture_on_commit_callbacks(execute=True):
        duplicate_pair_in_wuhua()  # registration_create: audited
    assert review_badge(kept) == before + 1


def test_a_count_computed_before_a_change_committed_is_not_kept(kept, django_capture_on_commit_callbacks):
    """A reader on another server counts while a change is being written, before it commits: the commit
    moves the count of changes on again, so that reader's number is not used afterwards."""
    review_badge(kept)
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        duplicate_pair_in_wuhua()  # moves the count on once, at once
    counted_meanwhile = review_badge(kept)  # (this test sees the uncommitted pair; the other server would not)
    cache.set(f"menu-badges:{kept.pk}", (changes.count(), {b: 0 for b in cache.get(f"menu-badges:{kept.pk}")[1]}))
    assert review_badge(kept) == 0  # what that other reader kept, stale: shown only until the commit
    for callback in on_commit:
        callback()
    assert review_badge(kept) == counted_meanwhile


def test_a_change_made_without_the_audit_is_shown_within_the_seconds_set(kept, settings):
    before = review_badge(kept)
    DuplicateCandidate.objects.all().delete()  # no service, no audit: the kept count stands...
    assert review_badge(kept) == before
    settings.BOAI_MENU_BADGE_SECONDS = 0  # ...for at most BOAI_MENU_BADGE_SECONDS (0: never kept)
    assert review_badge(kept) == 0


def test_with_the_cache_down_badges_are_counted_on_every_page(kept, monkeypatch):
    monkeypatch.setattr(cache, "get_many", lambda keys: {})
    monkeypatch.setattr(cache, "add", lambda *a, **k: False)
    monkeypatch.setattr(cache, "get", lambda *a, **k: None)
    review_badge(kept)
    assert badge_queries(kept) == 1
