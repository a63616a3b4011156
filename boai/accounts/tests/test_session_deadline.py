"""The idle deadline of a staff session moves forward at most once a minute (``accounts.sessions``):
pages read in between write nothing to the session table, a page read after a minute moves the
deadline to 30 minutes from then, and a change to the session's data is written at once. (A session
past its deadline ends: ``test_login.py::test_an_expired_session_sends_you_to_login_with_a_message``.)"""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from boai.accounts.tests.test_login import client, full_login

pytestmark = pytest.mark.django_db


def session_writes(c, *requests) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        for method, url, data in requests:
            getattr(c, method)(url, data)
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def row(c) -> Session:
    return Session.objects.get(session_key=c.session.session_key)


def test_pages_read_within_a_minute_write_no_session():
    c = client()
    full_login(c)
    assert c.get("/workspace/registrations/").status_code == 200
    deadline = row(c).expire_date
    assert session_writes(c, ("get", "/workspace/registrations/", {}), ("get", "/workspace/", {})) == []
    assert row(c).expire_date == deadline


def test_a_page_read_after_a_minute_moves_the_deadline_30_minutes_on():
    c = client()
    full_login(c)
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30, seconds=-61)
    )
    assert len(session_writes(c, ("get", "/workspace/registrations/", {}))) == 1
    left = row(c).expire_date - timezone.now()
    assert timedelta(minutes=29, seconds=50) < left <= timedelta(minutes=30)


def test_a_change_to_the_session_is_written_at_once():
    c = client()
    full_login(c)
    c.get("/workspace/registrations/")
    writes = session_writes(c, ("post", "/workspace/registrations/", {"q": "张"}))
    assert len(writes) == 1
    # the remembered search is there on the next page, read back from the database
    assert 'value="张"' in c.get("/workspace/registrations/").content.decode()


def test_a_deadline_further_away_than_the_idle_age_is_brought_in(settings):
    """The idle age was lowered (30 to 15 minutes) after the session's deadline was written: the next
    page writes the deadline the new age gives, rather than leaving the old one standing."""
    c = client()
    full_login(c)
    settings.SESSION_COOKIE_AGE = 15 * 60
    assert len(session_writes(c, ("get", "/workspace/registrations/", {}))) == 1
    assert row(c).expire_date - timezone.now() <= timedelta(minutes=15)
