"""Two writes on one application at the same moment, on PostgreSQL's real row locks: two clerks
submitting for one person leave one open application; a decision and a withdrawal read from the same
version leave one of them, the other refused with nothing written."""

import pytest

from boai.core.tests.concurrency import race
from boai.core.tests.personas import user

from ..models import Application, ApplicationReview
from ..services import applications as services
from .app_helpers import pdf, submitted
from .factories import make_coordinator

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_submissions_for_one_person_at_once_leave_one_application(transactional_base_data):
    coordinator = make_coordinator(region="530102")
    outcomes = race(
        lambda: services.application_submit(actor=user("wuhua_staff"), coordinator=coordinator, documents=[pdf()]),
        lambda: services.application_submit(actor=user("kunming_staff"), coordinator=coordinator, documents=[pdf()]),
    )
    assert outcomes == ["coordinators.one_open_application", "saved"]
    assert Application.objects.filter(coordinator=coordinator).count() == 1


def test_a_decision_and_a_withdrawal_at_once_leave_one_of_them(transactional_base_data):
    application = submitted()
    version = application.version
    outcomes = race(
        lambda: services.application_review(
            actor=user("wuhua_staff"), application=application, decision="approved", version=version
        ),
        lambda: services.application_withdraw(actor=user("kunming_staff"), application=application, version=version),
    )
    assert outcomes == ["coordinators.application.stale", "saved"]
    application.refresh_from_db()
    assert application.version == version + 1
    reviews = ApplicationReview.objects.filter(application=application).count()
    assert (application.state, reviews) in ((Application.State.IN_REVIEW, 1), (Application.State.WITHDRAWN, 0))
