import pytest

from boai.cases.models import BodyCase, OrganCase

from .helpers import open_body, open_organ, walk_body, walk_organ

pytestmark = pytest.mark.django_db


def test_an_organ_case_goes_from_referral_to_closing():
    case = open_organ()
    walk_organ(case["id"], "closed")
    c = OrganCase.objects.get(pk=case["id"])
    assert c.state == "closed" and c.beneficiaries == 2 and c.counted_at


def test_a_body_case_goes_from_notice_to_closing():
    case = open_body()
    walk_body(case["id"], "closed")
    assert BodyCase.objects.get(pk=case["id"]).state == "closed"
