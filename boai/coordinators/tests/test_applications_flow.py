"""An application's path: submitted with its scans, reviewed level by level (county → prefecture →
province by default, or the levels the province configures), approved (the applicant goes into
training) or rejected with a reason (a new application is then allowed), or withdrawn; the levels below
the applicant's own area are skipped."""

import pytest

from boai.audit.models import AuditEntry
from boai.core.models import Attachment
from boai.core.tests.personas import user

from ..models import Application, ApplicationReview, Coordinator
from ..selectors import applications as selectors
from ..services import applications as services
from .app_helpers import decide, pdf, set_levels, submitted
from .factories import make_coordinator

pytestmark = pytest.mark.django_db


def test_a_county_applicant_is_reviewed_by_county_prefecture_and_province_and_goes_into_training(english):
    application = submitted()
    assert application.level_list() == ["county", "prefecture", "province"]
    assert application.state == Application.State.IN_REVIEW
    docs = Attachment.objects.filter(owner_type="coordinators.application", owner_id=str(application.pk))
    assert docs.count() == 2
    assert docs.first().file.storage.open(docs.first().file.name).read() != b"%PDF"  # readable through the store
    assert AuditEntry.objects.filter(action="coordinators.application.opened", object_id=str(application.pk)).exists()
    assert selectors.decorate(application).where == "Awaiting the county branch's review"

    decide(application, "wuhua_staff")
    application.refresh_from_db()
    assert (application.state, application.level) == (Application.State.IN_REVIEW, 1)
    assert selectors.decorate(application).where == "Awaiting the prefecture branch's review"

    decide(application, "kunming_staff")
    decide(application, "prov_admin")
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED and application.decided_at is not None
    assert application.coordinator.state == Coordinator.State.TRAINEE
    reviews = list(application.reviews.values_list("level", "decision", "organisation__code"))
    assert reviews == [
        ("county", "approved", "RC530102"),
        ("prefecture", "approved", "RC530100"),
        ("province", "approved", "RC530000"),
    ]
    actions = list(
        AuditEntry.objects.filter(object_id=str(application.pk), action__startswith="coordinators.application.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "coordinators.application.opened",
        "coordinators.application.passed",
        "coordinators.application.passed",
        "coordinators.application.approved",
    ]
    stages = selectors.stages(application)
    assert [s.status for s in stages] == ["approved", "approved", "approved"]


def test_a_rejection_ends_the_application_with_its_reason_and_a_new_application_is_then_allowed():
    application = submitted()
    decide(application, "wuhua_staff")
    decide(application, "kunming_staff", "rejected", "培训经历材料不全")
    application.refresh_from_db()
    assert application.state == Application.State.REJECTED
    coordinator = application.coordinator
    assert coordinator.state == Coordinator.State.REJECTED
    review = application.reviews.get(level="prefecture")
    assert (review.decision, review.reason) == ("rejected", "培训经历材料不全")
    assert [s.status for s in selectors.stages(application)] == ["approved", "rejected", "not_reached"]

    section = selectors.section(coordinator=coordinator, user=user("wuhua_staff"))
    assert section["can_apply"] is True
    assert section["applications"][0].rejections[0].reason == "培训经历材料不全"

    again = services.application_submit(actor=user("wuhua_staff"), coordinator=coordinator, documents=[pdf()])
    coordinator.refresh_from_db()
    assert again.state == Application.State.IN_REVIEW and coordinator.state == Coordinator.State.APPLICANT
    assert coordinator.applications.count() == 2


@pytest.mark.parametrize(
    "region, levels, first_reviewer",
    [
        ("530102", ["county", "prefecture", "province"], "wuhua_staff"),
        ("530100", ["prefecture", "province"], "kunming_staff"),  # a prefecture's applicant skips the county
        ("530000", ["province"], "prov_admin"),  # the province's applicant: only the province
    ],
)
def test_levels_below_the_applicants_own_area_are_skipped(region, levels, first_reviewer):
    application = submitted(region=region, by="prov_clerk")
    assert application.level_list() == levels
    assert selectors.awaiting(user(first_reviewer)).filter(pk=application.pk).exists()


def test_the_province_applicant_is_approved_by_the_province_alone():
    application = submitted(region="530000", by="prov_clerk")
    decide(application, "prov_admin")
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert application.coordinator.state == Coordinator.State.TRAINEE


def test_configured_levels_prefecture_then_province_and_a_later_change_leaves_applications_under_way():
    set_levels("prefecture,province")
    application = submitted()
    assert application.level_list() == ["prefecture", "province"]
    assert not selectors.awaiting(user("wuhua_staff")).filter(pk=application.pk).exists()
    assert selectors.awaiting(user("kunming_staff")).filter(pk=application.pk).exists()
    services.settings_update(actor=user("prov_admin"), levels=["province"], expiry_warning_days=60)
    decide(application, "kunming_staff")
    decide(application, "prov_admin")
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert ApplicationReview.objects.filter(application=application).count() == 2


def test_the_awaiting_badge_and_list_put_my_decisions_first():
    names = ("wuhua_staff", "qilin_staff", "kunming_staff", "prov_admin")
    before = {name: selectors.awaiting_count(user(name)) for name in names}  # the demo's, if any

    def added(name):
        return selectors.awaiting_count(user(name)) - before[name]

    mine = submitted()
    other = submitted(region="530302", by="prov_clerk")
    assert (added("wuhua_staff"), added("qilin_staff"), added("kunming_staff"), added("prov_admin")) == (1, 1, 0, 0)
    assert selectors.awaiting_count(user("auditor")) == 0  # may not review at all
    rows = list(selectors.application_list(user=user("prov_admin")))
    assert {mine, other} <= set(rows)
    decide(mine, "wuhua_staff")
    assert added("kunming_staff") == 1 and added("wuhua_staff") == 0
    kunming = list(selectors.application_list(user=user("kunming_staff")))
    assert kunming[0] == mine  # what awaits me first
    assert mine in selectors.application_list(user=user("kunming_staff"), mine=True)
    assert other not in selectors.application_list(user=user("kunming_staff"), mine=True)
    prefecture = set(selectors.application_list(user=user("prov_admin"), level="prefecture"))
    county = set(selectors.application_list(user=user("prov_admin"), level="county"))
    assert mine in prefecture and other not in prefecture
    assert other in county and mine not in county


def test_withdrawal_before_a_decision():
    application = submitted()
    services.application_withdraw(actor=user("wuhua_staff"), application=application, version=application.version)
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN
    assert application.coordinator.state == Coordinator.State.APPLICANT
    assert AuditEntry.objects.filter(action="coordinators.application.withdrawn").exists()
    assert selectors.section(coordinator=application.coordinator, user=user("wuhua_staff"))["can_apply"]


def test_settings_changes_are_audited():
    services.settings_update(actor=user("prov_admin"), levels=["county", "province"], expiry_warning_days=30)
    row = services.review_settings()
    assert (row.levels, row.expiry_warning_days) == ("county,province", 30)
    entry = AuditEntry.objects.filter(action="coordinators.settings.changed").latest("id")
    assert entry.changes["levels"] == ["county,prefecture,province", "county,province"]
    coordinator = make_coordinator(region="530102")
    assert services.levels_for(coordinator.region, row.level_list()) == ["county", "province"]


def test_the_demo_applications_follow_the_agreed_people(english):
    from ..demo import applications as demo

    chen = Coordinator.objects.filter(name="陈晨").first() or make_coordinator(
        name="陈晨", state=Coordinator.State.TRAINEE
    )
    sun = Coordinator.objects.filter(name="孙悦").first() or make_coordinator(name="孙悦")
    demo.load()
    chen.refresh_from_db()
    assert chen.state == Coordinator.State.TRAINEE
    approved = chen.applications.get()
    assert approved.state == Application.State.APPROVED and approved.reviews.count() == 3
    waiting = sun.applications.get()
    assert selectors.decorate(waiting).where == "Awaiting the county branch's review"
    assert demo.load() is False  # once
