"""Shared fixtures. The test database gets the regions and the demo data set once per session;
tests run in transactions that roll back, so every test starts from the same data."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside
# one unless told it is safe (it is: the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Passwords in the tests: still Argon2 (the hash says ``argon2$``; verify and upgrade are the real code),
    at the smallest cost. The production cost (about 0.15 s a hash, by design) was paid by every sign-in,
    every account a test makes and every reload of the demo users after a transactional test: minutes of CI
    spent on nothing a test looks at. Processes a test starts (gunicorn, Celery) keep the production cost."""

    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1


def pytest_configure(config):
    settings.PASSWORD_HASHERS = [
        "conftest.QuickArgon2PasswordHasher" if h.endswith(".Argon2PasswordHasher") else h
        for h in settings.PASSWORD_HASHERS
    ]


def ensure_base_data():
    from django.db import transaction

    from boai.audit.models import AuditHead
    from boai.core.models import Region
    from boai.core.services import regions_load
    from boai.lib.plugins import demo_load

    AuditHead.objects.get_or_create(pk=1)  # a transactional test's flush removes migration-made rows
    if not Region.objects.exists():
        regions_load()
    with transaction.atomic():
        demo_load(baseline_only=True)  # every app's demo data but the cases' and certificates'


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()


# A transactional test ends with a flush that empties every table, the regions and the demo baseline
# included. pytest-django runs such tests last, so in one process the rest never notice; under
# pytest-xdist's --dist loadfile a worker takes whole files in turn and the next file's tests would
# find no regions. So after a flush, the next test using the database gets the base data back first,
# committed, outside its own rolled-back transaction.
_flushed = False


def _db_use(item) -> tuple[bool, bool]:
    """(uses the database, transactionally), decided as pytest-django decides it."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return True, not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    fixtures = getattr(item, "fixturenames", ())
    transactional = transactional or "transactional_db" in fixtures or "live_server" in fixtures
    return bool(marker) or transactional or "db" in fixtures, transactional


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    global _flushed
    uses_db, transactional = _db_use(item)
    if _flushed and uses_db:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            ensure_base_data()
        _flushed = False
    if transactional:
        _flushed = True  # its flush comes at its teardown
    yield


@pytest.fixture
def base_data(db):
    """For tests that run after a transactional test's flush: put the data back."""
    ensure_base_data()


@pytest.fixture
def transactional_base_data(transactional_db):
    ensure_base_data()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (zh-hans): the locale middleware leaves the language of
    a test client's last request active in the thread, which would make the next test's data (a case's
    registry note, written when its demo loads) come out in that language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def rate_limit_clock(settings, monkeypatch):
    """Each test its own rate-limit counters (a fresh key prefix in the shared cache): no count left over
    from another test, in this process or another (pytest-xdist), and nothing to clear. The limits'
    clock stands still (a window never ends halfway through a test) until the test moves it on:
    ``rate_limit_clock.advance(seconds)``."""
    import time
    import uuid

    start = float(int(time.time()))

    class Clock:
        now = start

        def time(self):
            return self.now

        def advance(self, seconds):
            self.now += seconds

    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"
    clock = Clock()
    monkeypatch.setattr("django_ratelimit.core.time", clock)
    return clock


@pytest.fixture(autouse=True)
def menu_badges_counted_on_every_page(settings):
    """The menu's badges counted afresh on each page: a count kept in the process's cache could come from
    another test's data (rolled back since) or miss rows a test writes without a service.
    boai/core/tests/test_menu_badges.py turns the cache on."""
    settings.BOAI_MENU_BADGE_SECONDS = 0


@pytest.fixture
def rate_limits(settings):
    """Set some limits for a test: ``rate_limits(login="3/m")``."""

    def set_limits(**rates):
        settings.BOAI_RATE_LIMITS = {**settings.BOAI_RATE_LIMITS, **rates}

    return set_limits


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path_factory):
    """Each test its own (not yet created) checkpoint directory: the rolled-back database of one test
    must not meet the checkpoints another test (or `make run`, in var/) signed."""
    import uuid

    path = tmp_path_factory.getbasetemp() / f"audit-checkpoints-{uuid.uuid4().hex}"
    settings.BOAI_AUDIT_CHECKPOINT_DIR = path
    return path


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (runs in CI's PostgreSQL pass)")
    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(skip_pg)


@pytest.fixture
def english(settings):
    """Messages in English, for tests that match their text (the default language is zh-hans): in the
    test's own code, and in the pages a test client asks for without naming a language."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def browser():
    """One Chromium per browser test module (Playwright's sync API allows one running at a time)."""
    from playwright.sync_api import sync_playwright

    from boai.core.tests.browser import launch

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
