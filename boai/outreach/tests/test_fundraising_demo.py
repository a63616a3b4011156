"""The demo's fundraising projects: 2025's two giving days and 2026's, with their days; loaded once."""

from datetime import date

import pytest

from boai.core.figures import figure

from ..demo import fundraising as demo
from ..models import FundraisingProject

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_three_giving_days_with_their_results_once():
    assert demo.load() is True
    p = FundraisingProject.objects.get(title="5·8人道公益日 · 器官捐献者家庭关怀")
    assert (p.platform, p.target_fen, p.starts_on, p.ends_on) == (
        "腾讯公益",
        20_000_000,
        date(2025, 5, 5),
        date(2025, 5, 8),
    )
    assert p.days.count() == 4
    assert FundraisingProject.objects.filter(starts_on__year=2026).exists()
    assert figure("outreach.funds_raised").count(2025, "53") == 17_137_950 + 26_309_100
    assert demo.load() is False
