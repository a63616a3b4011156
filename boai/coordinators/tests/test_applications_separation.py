"""Who submitted an application never decides it (rule ``coordinators.not_own_submission``), on the page
and through the API, and nothing is written; the review levels are kept in order from the bottom up;
the application's audit label is dated in Beijing time."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.errors import InvalidInput
from boai.core.tests.personas import user

from ..models import Application, ReviewSettings
from ..selectors import applications as selectors
from ..services import applications as services
from .app_helpers import pdf, png, snapshot, submitted
from .factories import make_coordinator

pytestmark = pytest.mark.django_db
RULE = "coordinators.not_own_submission"


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_the_clerk_who_submitted_through_the_api_cannot_approve_it_there_or_on_the_page():
    waiting = selectors.awaiting_count(user("wuhua_staff"))
    api = APIClient()
    api.force_authenticate(user("wuhua_staff"))
    created = api.post(
        "/api/v1/coordinator-applications/",
        {"coordinator": make_coordinator().pk, "documents": [pdf(), png()]},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    application = Application.objects.get(pk=data["id"])
    assert selectors.awaiting_count(user("wuhua_staff")) == waiting  # not on their list of decisions
    before = snapshot(application)

    refused = api.post(
        f"/api/v1/coordinator-applications/{application.pk}/review/",
        {"decision": "approved", "version": data["version"]},
    )
    assert refused.status_code == 409 and RULE in str(refused.json())
    assert snapshot(application) == before

    page = Client()
    page.force_login(user("wuhua_staff"))
    url = reverse("coordinators:application", args=[application.pk])
    shown = page.get(url).content.decode()
    assert 'name="decision"' not in shown  # no review form is offered to them
    posted = page.post(url, {"decision": "approved", "version": application.version})
    body = posted.content.decode()
    assert posted.status_code == 200 and RULE in body
    assert zh("An application is not decided by the account that submitted it.") in body
    assert snapshot(application) == before

    other = Client()
    other.force_login(user("wuhua_clerk"))  # another clerk of the same branch decides it
    assert other.post(url, {"decision": "approved", "version": application.version}).status_code == 302
    application.refresh_from_db()
    assert application.level == 1


def test_the_rejection_by_the_submitter_is_refused_too():
    application = submitted(by="wuhua_staff")
    before = snapshot(application)
    with pytest.raises(Exception) as info:
        services.application_review(
            actor=user("wuhua_staff"), application=application, decision="rejected", reason="材料不全", version=1
        )
    assert getattr(info.value, "code", None) == RULE
    assert snapshot(application) == before


@pytest.mark.parametrize(
    "levels",
    [["province", "county"], ["prefecture", "county"], ["county", "province", "prefecture"]],
)
def test_levels_out_of_order_are_refused(levels):
    services.review_settings()
    before = (list(ReviewSettings.objects.values_list("levels", flat=True)), AuditEntry.objects.count())
    with pytest.raises(InvalidInput) as info:
        services.settings_update(actor=user("prov_admin"), levels=levels, expiry_warning_days=90)
    assert info.value.field == "levels"
    assert (list(ReviewSettings.objects.values_list("levels", flat=True)), AuditEntry.objects.count()) == before


def test_the_settings_page_refuses_the_province_before_the_county_with_its_message():
    services.review_settings()
    before = (list(ReviewSettings.objects.values_list("levels", flat=True)), AuditEntry.objects.count())
    c = Client()
    c.force_login(user("prov_admin"))
    response = c.post(
        reverse("coordinators:settings"),
        {"level_1": "province", "level_2": "county", "level_3": "", "expiry_warning_days": 90},
    )
    assert response.status_code == 200
    message = zh("Put the review levels in order from the bottom up: county, then prefecture, then province.")
    assert message in response.content.decode()
    assert (list(ReviewSettings.objects.values_list("levels", flat=True)), AuditEntry.objects.count()) == before


def test_the_audit_label_of_an_application_is_dated_in_beijing_time():
    coordinator = make_coordinator(name="孙悦")
    late_evening_utc = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)  # 2026-12-03 01:30 in Beijing
    application = services.application_submit(
        actor=user("wuhua_clerk"), coordinator=coordinator, documents=[pdf()], now=late_evening_utc
    )
    assert str(application) == "孙悦 2026-12-03"
    entry = AuditEntry.objects.filter(action__startswith="coordinators.application").order_by("-id").first()
    assert entry.object_repr == "孙悦 2026-12-03"
