"""The staff list's count read from the tally (``selectors.registration_count``) equals the rows the
list holds, for every reader, status and area, after registrations were withdrawn, erased and marked
deceased through the services; with a search or another filter the list counts its rows itself."""

import pytest
from django.utils import timezone

from boai.core.tests.matrix_kit import READERS
from boai.core.tests.personas import user
from boai.registry import selectors, services
from boai.registry.models import Registration
from boai.registry.tally import tally_rebuild

pytestmark = pytest.mark.django_db


def test_the_count_from_the_tally_is_the_count_of_the_list():
    staff = user("prov_admin")
    regs = list(Registration.objects.filter(status="active").order_by("id")[:6])
    for reg in regs[:3]:
        services.registration_withdraw(registration=reg, actor=staff, reason="test")
    services.registration_erase(registration=Registration.objects.get(pk=regs[0].pk), actor=staff)
    services.registration_mark_deceased(
        registration=regs[3], actor=staff, died_on=timezone.localdate(regs[3].registered_at)
    )
    services.registration_mark_deceased(
        registration=Registration.objects.get(pk=regs[1].pk),
        actor=staff,
        died_on=timezone.localdate(regs[1].registered_at),
    )
    assert tally_rebuild() == {}  # what the writers kept is what a recount finds
    checked = 0
    for role in sorted(READERS):
        for status in ["", *Registration.Status.values]:
            for region in ["", "530000", "530100", "530102", "530302"]:
                rows = selectors.registration_list(user=user(role), status=status, region=region)
                assert selectors.registration_count(user=user(role), status=status, region=region) == rows.count()
                checked += rows.count()
    assert checked > 0
    assert Registration.objects.filter(erased_at__isnull=False).exists()


def test_other_filters_leave_the_count_to_the_list():
    staff = user("prov_admin")
    assert selectors.registration_count(user=staff, search="YN") is None
    assert selectors.registration_count(user=staff, status="active", channel="paper") is None
    assert selectors.registration_count(user=staff, status="active", sort="name") is not None
    assert (
        selectors.registration_count(user=user("sysadmin"))
        == 0
        == selectors.registration_list(user=user("sysadmin")).count()
    )
