"""The memorials' figures: new memorial sites, memorial events and their participants, for a year and an
area; and the demo (4 sites opened in 2025, 12 events in 2025 with more than 5,000 participants)."""

from datetime import date

import pytest

from boai.care.tests.factories import make_event, make_site
from boai.core.figures import figures

from ..demo import sites as demo
from ..figures import memorial_events, memorial_participants, memorial_sites_new
from ..models import MemorialEvent

pytestmark = pytest.mark.django_db


def test_the_figures_count_by_year_and_area():
    make_site(region="530102", opened_on=date(2025, 3, 1))
    make_site(region="530302", opened_on=date(2025, 12, 31), created_by="qilin_staff")
    make_site(region="530102", opened_on=date(2024, 12, 31), active=False)
    make_event(region="530102", held_on=date(2025, 4, 4), participants=300)
    make_event(region="530302", held_on=date(2025, 12, 21), participants=200, created_by="qilin_staff")
    make_event(region="530102", held_on=date(2026, 1, 1), participants=999)
    assert memorial_sites_new(2025, "53") == 2
    assert memorial_sites_new(2025, "5301") == 1
    assert memorial_sites_new(2024, "53") == 1  # closed today, opened then
    assert memorial_events(2025, "53") == 2 and memorial_events(2025, "5303") == 1
    assert memorial_participants(2025, "53") == 500 and memorial_participants(2025, "530102") == 300
    assert memorial_participants(2023, "53") == 0


def test_the_figures_are_declared_with_their_definitions():
    declared = figures()
    for code in ("memorials.memorial_sites_new", "memorials.memorial_events", "memorials.memorial_participants"):
        assert code in declared and len(str(declared[code].definition)) > 40


def test_the_demo_has_the_2025_sites_and_events():
    assert demo.load() is True
    assert demo.load() is False  # once
    assert memorial_sites_new(2025, "53") == 4
    assert memorial_events(2025, "53") == 12
    assert memorial_participants(2025, "53") > 5000
    assert MemorialEvent.objects.filter(held_on__year=2026).exists()
    occasions = set(MemorialEvent.objects.filter(held_on__year=2025).values_list("occasion", flat=True))
    assert occasions == {"qingming", "winter_solstice", "other"}
