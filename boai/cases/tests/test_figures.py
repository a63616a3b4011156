"""The donation figures count what the demo cases recorded: recovered organs, recipients, received bodies."""

import pytest
from django.utils import timezone

from boai.cases.demo import load_demo_cases
from boai.cases.models import BodyCase, OrganCase
from boai.core.figures import figure

pytestmark = pytest.mark.django_db


def test_the_donation_figures_match_the_cases_counted_that_year():
    load_demo_cases()
    year = timezone.localdate().year
    counted = [c for c in OrganCase.objects.all() if c.counted_at and timezone.localtime(c.counted_at).year == year]
    bodies = [c for c in BodyCase.objects.all() if c.counted_at and timezone.localtime(c.counted_at).year == year]
    assert counted, "the demo data should hold a completed organ donation"
    assert figure("cases.organ_donations").count(year, "53") == len(counted)
    assert figure("cases.beneficiaries").count(year, "53") == sum(c.beneficiaries for c in counted) > 0
    assert figure("cases.body_donations").count(year, "53") == len(bodies)
    assert figure("cases.organ_donations").count(year, "5303") == 0  # the demo cases are in Kunming
    assert figure("cases.organ_donations").count(year - 1, "53") == sum(
        1 for c in OrganCase.objects.all() if c.counted_at and timezone.localtime(c.counted_at).year == year - 1
    )
