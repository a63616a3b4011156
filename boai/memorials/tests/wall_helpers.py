"""What the memorial wall's tests share: an English client, a consent made through the service, and a
snapshot of what a refused step must leave unchanged."""

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from boai.audit.models import AuditEntry
from boai.care.tests.factories import make_family
from boai.core.tests.personas import user

from ..models import WallEntry, WallMessage
from ..services import wall as services


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The hourly limits live in the cache, which outlives a test's rolled-back database."""
    cache.clear()
    yield
    cache.clear()


def client(username=None):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if username:
        c.force_login(user(username))
    return c


def consent(family=None, *, by="wuhua_staff", show_name=True, show_year=True, show_prefecture=True, **family_kw):
    """A family (made unless given) that consented, through the service: (entry, code in clear)."""
    family = family or make_family(**family_kw)
    return services.wall_consent_record(
        family=family,
        actor=user(by),
        member=family.members.first(),
        consented_on=max(family.donated_on, date(2025, 4, 1)),
        show_name=show_name,
        show_year=show_year,
        show_prefecture=show_prefecture,
    )


def snapshot():
    return (
        list(WallEntry.objects.values_list("id", "show_name", "show_year", "show_prefecture", "withdrawn_at")),
        list(WallMessage.objects.values_list("id", "state")),
        AuditEntry.objects.count(),
    )
