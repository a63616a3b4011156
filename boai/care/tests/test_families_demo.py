"""The demo's hand-made families load on the baseline (regions, accounts), once."""

import pytest

from ..demo import families as demo
from ..models import Family

pytestmark = pytest.mark.django_db


def test_the_demo_families_load_once_in_wuhua_kunming_and_qilin():
    assert demo.load() is True
    made = Family.objects.filter(reference__in=[row[0] for row in demo.FAMILIES])
    assert made.count() == len(demo.FAMILIES)
    assert {f.region_id[:4] for f in made} == {"5301", "5303"}
    assert all(f.members.filter(is_main_contact=True).count() == 1 for f in made)
    assert {f.donated_on.year for f in made} <= set(range(2019, 2025))
    assert demo.load() is False and Family.objects.count() == made.count()
