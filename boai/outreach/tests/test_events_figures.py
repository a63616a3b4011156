"""The events' figures (``outreach.events``, ``outreach.events_<kind>``, ``outreach.audience``): by the
event's first day (31 December and 1 January fall in their own years), in the event's region by code
prefix (an event of the province counts only for the province); and the demo's events."""

from datetime import date

import pytest

from boai.core.figures import figures

from ..demo import events as demo
from ..figures import audience, events_held, events_of_kind
from ..models import Event, EventKind, Partner
from .factories import make_event

pytestmark = pytest.mark.django_db


def test_an_event_counts_in_the_year_of_its_first_day():
    make_event(region="530102", starts_on=date(2025, 12, 31), ends_on=date(2026, 1, 2), audience=100)
    make_event(region="530102", starts_on=date(2026, 1, 1), audience=40)
    assert events_held(2025, "53") == 1 and events_held(2026, "53") == 1
    assert audience(2025, "53") == 100 and audience(2026, "53") == 40


def test_events_count_by_region_prefix_and_the_provinces_only_for_53():
    make_event(region="530102", audience=100)
    make_event(region="530100", audience=50, created_by="kunming_staff")
    make_event(region="530302", audience=30, created_by="qilin_staff")
    make_event(region="530000", audience=1000, created_by="prov_admin")
    assert events_held(2025, "53") == 4 and audience(2025, "53") == 1180
    assert events_held(2025, "5301") == 2 and audience(2025, "5301") == 150
    assert events_held(2025, "530102") == 1 and events_held(2025, "5303") == 1


def test_events_of_a_kind_and_an_unreported_audience():
    make_event(kind="lecture", audience=None)
    make_event(kind="charity_run", audience=500)
    assert events_of_kind("lecture")(2025, "53") == 1 and events_of_kind("remembrance")(2025, "53") == 0
    assert audience(2025, "53") == 500  # the lecture's audience is not known yet: it adds nothing


def test_the_figures_are_declared():
    declared = figures()
    for code in ["outreach.events", "outreach.audience", *[f"outreach.events_{k}" for k in EventKind.values]]:
        assert code in declared


def test_the_demo_has_partners_and_events_of_2025_and_2026_once():
    assert demo.load() is True
    assert demo.load() is False  # once
    assert Partner.objects.filter(name="云南日报", kind="media").exists()
    assert events_held(2025, "53") >= 8 and events_held(2026, "53") >= 3
    assert {"remembrance", "red_cross_day", "volunteer_month", "registration_drive", "charity_run", "lecture"} <= set(
        Event.objects.values_list("kind", flat=True)
    )
    assert len({e.region_id[:4] for e in Event.objects.all()}) >= 5
    assert not Event.objects.filter(campaign__isnull=False).exists()
    assert Event.objects.exclude(report="").exists() and Event.objects.filter(audience__isnull=True).exists()
