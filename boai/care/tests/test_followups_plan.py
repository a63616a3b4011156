"""The follow-up plan: after the donation at the configured months, yearly, and on every Qingming and
Winter Solstice (dates from cnlunar only); the settings and their refusals; the no-contact rule."""

from datetime import date

import pytest
from django.utils import timezone

from boai.audit.models import AuditEntry
from boai.core.errors import InvalidInput, NotAllowed
from boai.core.tests.personas import user
from boai.lib import traditional_days as td

from ..models import CareSettings, Contact, FollowUp
from ..selectors.followups import label
from ..services.followups import care_settings, contact_record, family_wishes_update, plan_follow_ups, settings_update
from .factories import make_family

pytestmark = pytest.mark.django_db

DONATED = date(2025, 3, 10)


def planned(family):
    return list(family.follow_ups.order_by("due_on", "kind").values_list("kind", "label", "due_on"))


def test_the_plan_after_the_donation_and_on_the_traditional_days():
    family = make_family(donated_on=DONATED)
    assert plan_follow_ups(family, since=DONATED) == 17
    rows = planned(family)
    after = [(lab, due) for kind, lab, due in rows if kind == FollowUp.Kind.AFTER_DONATION]
    # 1, 6 and 12 months, then each anniversary for 5 years (the 12 months is the first anniversary)
    assert after == [
        ("m1", date(2025, 4, 10)),
        ("m6", date(2025, 9, 10)),
        ("m12", date(2026, 3, 10)),
        ("m24", date(2027, 3, 10)),
        ("m36", date(2028, 3, 10)),
        ("m48", date(2029, 3, 10)),
        ("m60", date(2030, 3, 10)),
    ]
    qingming = [due for kind, _l, due in rows if kind == FollowUp.Kind.QINGMING]
    solstice = [due for kind, _l, due in rows if kind == FollowUp.Kind.WINTER_SOLSTICE]
    assert qingming == [td.qingming(y) for y in range(2025, 2030)]
    assert solstice == [td.winter_solstice(y) for y in range(2025, 2030)]
    # published dates
    assert date(2025, 4, 4) in qingming and date(2026, 4, 5) in qingming
    assert date(2025, 12, 21) in solstice and date(2026, 12, 22) in solstice
    assert all(due > DONATED for _k, _l, due in rows)


def test_the_plan_is_idempotent_and_labelled_in_the_readers_language(english):
    family = make_family(donated_on=DONATED)
    plan_follow_ups(family, since=DONATED)
    assert plan_follow_ups(family, since=DONATED) == 0
    assert FollowUp.objects.filter(family=family).count() == 17
    labels = [label(fu) for fu in family.follow_ups.order_by("due_on")]
    assert "1 month after the donation" in labels
    assert "6 months after the donation" in labels
    assert "1 year after the donation" in labels and "2 years after the donation" in labels
    assert "Qingming" in labels and "Winter Solstice" in labels


def test_an_older_case_is_planned_from_the_day_the_record_is_made():
    family = make_family(donated_on=date(2023, 1, 15))
    plan_follow_ups(family)
    today = timezone.localdate()
    dues = [due for _k, _l, due in planned(family)]
    assert dues and min(dues) >= today


def test_settings_apply_to_families_planned_afterwards():
    first = make_family(donated_on=DONATED)
    plan_follow_ups(first, since=DONATED)
    settings_update(
        actor=user("prov_admin"), months_after="3", yearly_for=1, traditional_days=False, payment_levels=["province"]
    )
    second = make_family(donated_on=DONATED)
    plan_follow_ups(second, since=DONATED)
    assert [(lab, due) for _k, lab, due in planned(second)] == [("m3", date(2025, 6, 10)), ("m12", date(2026, 3, 10))]
    assert len(planned(first)) == 17
    assert CareSettings.objects.get().payment_levels == "province"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"months_after": "1,six"}, "months_after"),
        ({"months_after": "0"}, "months_after"),
        ({"months_after": "1,1"}, "months_after"),
        ({"months_after": "", "yearly_for": 0}, "months_after"),
        ({"yearly_for": 31}, "yearly_for"),
        ({"payment_levels": []}, "payment_levels"),
        ({"payment_levels": ["province", "county"]}, "payment_levels"),
        ({"payment_levels": ["city"]}, "payment_levels"),
        ({"payment_levels": ["county", "county"]}, "payment_levels"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(changes, field):
    before = care_settings()
    data = {
        "months_after": "1,6,12",
        "yearly_for": 5,
        "traditional_days": True,
        "payment_levels": ["county", "prefecture", "province"],
        **changes,
    }
    with pytest.raises(InvalidInput) as exc:
        settings_update(actor=user("prov_admin"), **data)
    assert exc.value.field == field
    after = CareSettings.objects.get()
    assert (after.months_after, after.yearly_for, after.payment_levels) == (
        before.months_after,
        before.yearly_for,
        before.payment_levels,
    )
    assert not AuditEntry.objects.filter(action="care.settings.changed").exists()


def test_settings_are_the_provinces_only():
    with pytest.raises(NotAllowed):
        settings_update(
            actor=user("wuhua_staff"), months_after="1", yearly_for=1, traditional_days=True, payment_levels=["county"]
        )


def test_settings_page_refuses_bad_values_with_a_message(client, english):
    client.force_login(user("prov_admin"))
    response = client.post(
        "/workspace/care/settings/",
        {"months_after": "1,x", "yearly_for": "5", "traditional_days": "on", "payment_levels": ["county"]},
    )
    assert response.status_code == 400
    assert "whole numbers from 1 to 120" in response.content.decode()
    response = client.post(
        "/workspace/care/settings/",
        {"months_after": "2,7", "yearly_for": "3", "payment_levels": ["county", "province"]},
    )
    assert response.status_code == 302
    row = CareSettings.objects.get()
    saved = (row.months_after, row.yearly_for, row.traditional_days, row.payment_levels)
    assert saved == ("2,7", 3, False, "county,province")


# --- the no-contact rule ----------------------------------------------------------------------------


def test_nothing_is_planned_for_a_family_that_asked_not_to_be_contacted():
    family = make_family(donated_on=DONATED, contact_allowed=False)
    assert plan_follow_ups(family, since=DONATED) == 0
    assert not family.follow_ups.exists()


def test_asking_not_to_be_contacted_cancels_the_plan_and_refuses_contacts(english):
    family = make_family(donated_on=DONATED)
    plan_follow_ups(family, since=DONATED)
    staff = user("wuhua_staff")
    family = family_wishes_update(
        actor=staff, family=family, contact_allowed=False, preferred_channel="phone", wants_outcome=False
    )
    assert family.no_contact_since is not None
    assert not family.follow_ups.filter(state=FollowUp.State.PLANNED).exists()
    assert family.follow_ups.filter(state=FollowUp.State.CANCELLED).count() == 17
    entry = AuditEntry.objects.filter(action="care.family.wishes_changed").get()
    assert entry.changes["follow_ups_cancelled"] == 17
    with pytest.raises(NotAllowed, match="asked not to be contacted"):
        contact_record(actor=staff, family=family, channel="phone", occurred_on=date(2025, 6, 1), staff="张")
    assert not Contact.objects.exists()

    family = family_wishes_update(
        actor=staff, family=family, contact_allowed=True, preferred_channel="visit", wants_outcome=True
    )
    today = timezone.localdate()
    open_ = family.follow_ups.filter(state=FollowUp.State.PLANNED)
    assert open_.exists() and all(fu.due_on >= today for fu in open_)
    assert not family.follow_ups.filter(state=FollowUp.State.PLANNED, due_on__lt=today).exists()
    assert family.no_contact_since is None and family.wants_outcome


def test_the_wishes_form_on_the_family_and_the_record_page_refused(client, english):
    family = make_family(donated_on=DONATED)
    plan_follow_ups(family, since=DONATED)
    client.force_login(user("wuhua_staff"))
    response = client.post(f"/workspace/care/families/{family.pk}/wishes/", {"preferred_channel": "phone"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert not family.contact_allowed
    response = client.get(f"/workspace/care/families/{family.pk}/contacts/new/", follow=True)
    assert "asked not to be contacted" in response.content.decode()
    response = client.post(
        f"/workspace/care/families/{family.pk}/contacts/new/",
        {"channel": "phone", "occurred_on": "2025-06-01", "staff": "张", "others_met": "0"},
    )
    assert response.status_code == 302
    assert not Contact.objects.exists()


def test_wishes_of_a_family_outside_ones_area_are_refused(client):
    family = make_family(region="530102")
    client.force_login(user("qilin_staff"))
    response = client.post(f"/workspace/care/families/{family.pk}/wishes/", {"preferred_channel": "phone"})
    assert response.status_code == 404
    family.refresh_from_db()
    assert family.contact_allowed
