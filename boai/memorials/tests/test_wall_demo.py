"""The demo wall: built on care's demo families (here, families made by the factory), named and
anonymous donors, published and waiting messages; nothing without families, nothing twice."""

import pytest

from boai.care.tests.factories import make_family

from ..demo import wall as demo
from ..models import WallEntry, WallMessage
from .wall_helpers import fresh_rate_limits  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_without_families_the_demo_makes_nothing():
    assert demo.load() is False
    assert not WallEntry.objects.exists()


def test_the_demo_wall_has_named_and_anonymous_donors_and_both_kinds_of_messages():
    for i in range(5):
        make_family(donor_name=f"演示{i}")
    assert demo.load() is True
    assert WallEntry.objects.count() == len(demo.PLAN)
    assert WallEntry.objects.filter(show_name=True).exists() and WallEntry.objects.filter(show_name=False).exists()
    states = set(WallMessage.objects.values_list("state", flat=True))
    assert {WallMessage.State.APPROVED, WallMessage.State.PENDING} <= states
    assert demo.load() is False  # once only
