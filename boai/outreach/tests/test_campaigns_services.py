"""Campaigns: added and changed through the service (checked, versioned, audited); the code stays once
registrations carry it; each branch adds campaigns only for the province or a prefecture of its area."""

from datetime import date

import pytest

from boai.audit.models import AuditEntry
from boai.core.errors import Conflict, InvalidFields, NotAllowed
from boai.core.tests.personas import user
from boai.registry.models import Registration

from ..models import Campaign
from ..services import campaigns as services
from .factories import make_campaign, make_partner

pytestmark = pytest.mark.django_db


def data(**overrides) -> services.CampaignData:
    values = {
        "title": "云岭同心·边疆聚力·生命传递",
        "code": "yunling-test",
        "description": "登记季",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 12, 31),
        "region": "530000",
        "target_registrations": 20000,
        "partners": [],
    }
    values.update(overrides)
    return services.CampaignData(**values)


def refused(fn, **kwargs):
    before = (Campaign.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidFields) as exc:
        fn(**kwargs)
    assert (Campaign.objects.count(), AuditEntry.objects.count()) == before
    return exc.value.errors


def test_the_province_adds_a_campaign_with_partners_and_one_audit_entry():
    partner = make_partner(name="省文明办")
    campaign = services.campaign_create(actor=user("prov_admin"), data=data(partners=[partner.pk]))
    assert (campaign.code, campaign.region_id, list(campaign.partners.all())) == ("yunling-test", "530000", [partner])
    entry = AuditEntry.objects.get(action="outreach.campaign.created", object_id=str(campaign.pk))
    assert entry.changes["link_code"] == ["", "yunling-test"] and entry.changes["region"] == [None, "530000"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"code": "Yun Ling"}, "code"),
        ({"code": "ev-abc"}, "code"),
        ({"code": "ab"}, "code"),
        ({"ends_on": date(2026, 2, 1)}, "ends_on"),
        ({"starts_on": None}, "starts_on"),
        ({"region": "530102"}, "region"),
        ({"region": "999999"}, "region"),
        ({"target_registrations": -5}, "target_registrations"),
        ({"partners": [999999]}, "partners"),
    ],
)
def test_a_bad_campaign_is_refused_naming_the_field_and_nothing_is_written(overrides, field):
    errors = refused(services.campaign_create, actor=user("prov_admin"), data=data(**overrides))
    assert field in errors


def test_a_code_is_unique():
    make_campaign(code="yunling-test")
    errors = refused(services.campaign_create, actor=user("prov_admin"), data=data())
    assert "code" in errors


def test_a_prefecture_adds_campaigns_for_itself_only():
    campaign = services.campaign_create(actor=user("kunming_staff"), data=data(region="530100"))
    assert campaign.region_id == "530100"
    assert "region" in refused(services.campaign_create, actor=user("kunming_staff"), data=data(region="530000"))
    assert "region" in refused(services.campaign_create, actor=user("qilin_staff"), data=data(region="530300"))


def test_a_role_without_the_right_is_refused():
    with pytest.raises(NotAllowed):
        services.campaign_create(actor=user("auditor"), data=data())


def test_a_change_needs_the_version_read_and_is_audited():
    campaign = make_campaign(code="old-code")
    actor = user("prov_admin")
    changed = services.campaign_update(
        campaign=campaign, actor=actor, data=data(code="new-code"), version=campaign.version
    )
    assert (changed.code, changed.version) == ("new-code", campaign.version + 1)
    assert AuditEntry.objects.filter(action="outreach.campaign.changed", object_id=str(campaign.pk)).count() == 1
    with pytest.raises(Conflict):
        services.campaign_update(campaign=campaign, actor=actor, data=data(title="再改"), version=campaign.version)


def test_the_code_cannot_change_once_a_registration_carries_it():
    campaign = make_campaign(code="kept-code")
    _registration(campaign.code)
    errors = refused(
        services.campaign_update,
        campaign=campaign,
        actor=user("prov_admin"),
        data=data(code="other-code"),
        version=campaign.version,
    )
    assert "code" in errors
    # other fields still change
    same_code = data(code="kept-code", title="新标题")
    services.campaign_update(campaign=campaign, actor=user("prov_admin"), data=same_code, version=campaign.version)
    assert Campaign.objects.get(pk=campaign.pk).title == "新标题"


def test_a_prefecture_cannot_change_a_province_campaign():
    campaign = make_campaign(region="530000")
    with pytest.raises(Exception) as exc:
        services.campaign_update(
            campaign=campaign, actor=user("kunming_staff"), data=data(region="530100"), version=campaign.version
        )
    assert getattr(exc.value, "field", None) == "region"


def _registration(code: str, *, region: str = "530102", at=None, channel: str = "online") -> Registration:
    from .test_campaigns_pages import make_registration

    return make_registration(code, region=region, at=at, channel=channel)
