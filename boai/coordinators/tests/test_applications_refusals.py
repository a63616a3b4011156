"""Every wrong step of an application refused, the rule named, and nothing written: a review by
someone outside the level's scope (a county clerk of another county, the prefecture while the county
has not decided, the province before the prefecture, a role that may not review), a rejection without
a reason, a second open application, a stale version, a file that is no scan, a withdrawal after a
decision, and settings out of bounds."""

import pytest

from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.models import Organisation
from boai.core.tests.personas import user
from boai.core.workflow import RuleBroken

from ..models import Coordinator, ReviewSettings
from ..services import applications as services
from .app_helpers import decide, not_a_scan, pdf, set_levels, snapshot, submitted
from .factories import make_coordinator, make_qualified

pytestmark = pytest.mark.django_db

RULE = "coordinators.review_level"


def refused(exc_type, fn, *, application=None, coordinator=None, code=None):
    before = snapshot(application, coordinator)
    with pytest.raises(exc_type) as info:
        fn()
    assert snapshot(application, coordinator) == before, "a refused step wrote something"
    if code:
        assert info.value.code == code
    return info.value


def test_a_county_clerk_of_another_county_is_refused_with_the_rule():
    application = submitted()
    exc = refused(RuleBroken, lambda: decide(application, "qilin_staff"), application=application, code=RULE)
    assert "coordinators.review_level" in str(exc.message)
    assert "RC530102" in str(exc.message)  # who decides now


def test_a_county_clerk_of_a_neighbouring_county_of_the_same_prefecture_is_refused(django_user_model):
    application = submitted()
    neighbour = user("wuhua_staff")
    neighbour.pk, neighbour.username = None, "panlong_staff"
    neighbour.organization = Organisation.objects.get(code="RC530103")
    neighbour.save()
    refused(
        RuleBroken,
        lambda: services.application_review(
            actor=neighbour, application=application, decision="approved", version=application.version
        ),
        application=application,
        code=RULE,
    )


def test_the_prefecture_is_refused_while_the_county_has_not_decided():
    application = submitted()
    refused(RuleBroken, lambda: decide(application, "kunming_staff"), application=application, code=RULE)
    refused(
        RuleBroken,
        lambda: decide(application, "kunming_staff", "rejected", "不符合"),
        application=application,
        code=RULE,
    )


def test_the_province_is_refused_before_the_prefecture_and_the_county_after_its_decision():
    application = submitted()
    decide(application, "wuhua_staff")
    refused(RuleBroken, lambda: decide(application, "prov_admin"), application=application, code=RULE)
    refused(RuleBroken, lambda: decide(application, "wuhua_staff"), application=application, code=RULE)


def test_a_role_without_the_review_permission_is_refused():
    application = submitted()
    for name in ("auditor", "coordinator"):
        refused(NotAllowed, lambda n=name: decide(application, n), application=application)


def test_a_rejection_without_a_reason_is_refused():
    application = submitted()
    exc = refused(InvalidInput, lambda: decide(application, "wuhua_staff", "rejected", "   "), application=application)
    assert exc.field == "reason"


def test_a_stale_version_is_refused():
    application = submitted()
    stale = application.version
    decide(application, "wuhua_staff")
    application.refresh_from_db()
    refused(
        Conflict,
        lambda: services.application_review(
            actor=user("kunming_staff"), application=application, decision="approved", version=stale
        ),
        application=application,
        code="coordinators.application.stale",
    )


def test_a_decided_application_takes_no_more_decisions():
    application = submitted(region="530000", by="prov_clerk")
    decide(application, "prov_admin", "rejected", "材料不实")
    application.refresh_from_db()
    refused(Conflict, lambda: decide(application, "prov_admin"), application=application, code="state.order")


def test_a_second_open_application_is_refused():
    application = submitted()
    coordinator = application.coordinator
    refused(
        Conflict,
        lambda: services.application_submit(actor=user("wuhua_staff"), coordinator=coordinator, documents=[pdf()]),
        coordinator=coordinator,
        code="coordinators.one_open_application",
    )


def test_a_qualified_coordinator_or_one_in_training_cannot_apply():
    for coordinator in (make_qualified(region="530102"), make_coordinator(state=Coordinator.State.TRAINEE)):
        refused(
            Conflict,
            lambda c=coordinator: services.application_submit(
                actor=user("wuhua_staff"), coordinator=c, documents=[pdf()]
            ),
            coordinator=coordinator,
            code="coordinators.apply_state",
        )


def test_a_file_that_is_no_scan_is_refused_and_no_application_is_left():
    coordinator = make_coordinator()
    exc = refused(
        InvalidInput,
        lambda: services.application_submit(
            actor=user("wuhua_staff"), coordinator=coordinator, documents=[pdf(), not_a_scan()]
        ),
        coordinator=coordinator,
    )
    assert exc.field == "documents" and "diploma.pdf" in str(exc.message)


def test_no_documents_is_refused():
    coordinator = make_coordinator()
    refused(
        InvalidInput,
        lambda: services.application_submit(actor=user("wuhua_staff"), coordinator=coordinator, documents=[]),
        coordinator=coordinator,
    )


def test_submitting_outside_ones_area_or_without_the_permission_is_refused():
    coordinator = make_coordinator(region="530302")
    for name in ("wuhua_staff", "auditor"):
        refused(
            NotAllowed,
            lambda n=name: services.application_submit(actor=user(n), coordinator=coordinator, documents=[pdf()]),
            coordinator=coordinator,
        )


def test_no_level_left_for_the_applicants_area_is_refused():
    set_levels("county")
    coordinator = make_coordinator(region="530100")
    refused(
        Conflict,
        lambda: services.application_submit(actor=user("kunming_staff"), coordinator=coordinator, documents=[pdf()]),
        coordinator=coordinator,
        code="coordinators.review_levels",
    )


def test_withdrawal_after_a_decision_or_by_a_reviewer_only_role_is_refused():
    application = submitted()
    refused(
        NotAllowed,
        lambda: services.application_withdraw(
            actor=user("auditor"), application=application, version=application.version
        ),
        application=application,
    )
    decide(application, "wuhua_staff")
    application.refresh_from_db()
    refused(
        RuleBroken,
        lambda: services.application_withdraw(
            actor=user("wuhua_staff"), application=application, version=application.version
        ),
        application=application,
        code="coordinators.withdraw_before_decision",
    )


@pytest.mark.parametrize(
    "levels, days, field",
    [
        ([], 90, "levels"),
        (["county", "county"], 90, "levels"),
        (["district"], 90, "levels"),
        (["province"], 0, "expiry_warning_days"),
        (["province"], 366, "expiry_warning_days"),
    ],
)
def test_settings_out_of_bounds_are_refused(levels, days, field):
    services.review_settings()
    before = (list(ReviewSettings.objects.values_list("levels", "expiry_warning_days")), snapshot())
    with pytest.raises(InvalidInput) as info:
        services.settings_update(actor=user("prov_admin"), levels=levels, expiry_warning_days=days)
    assert info.value.field == field
    assert (list(ReviewSettings.objects.values_list("levels", "expiry_warning_days")), snapshot()) == before


def test_settings_need_the_settings_permission():
    row = services.review_settings()
    before = snapshot()
    with pytest.raises(NotAllowed):
        services.settings_update(actor=user("kunming_staff"), levels=["province"], expiry_warning_days=30)
    row.refresh_from_db()
    assert (row.levels, row.expiry_warning_days, snapshot()) == ("county,prefecture,province", 90, before)
