"""Every door checks the code an entry is attributed to (the registry asks outreach through
``registry.extensions``): staff name only a campaign or event they see — theirs or one of an area above
theirs —, a citizen's unknown code is dropped, and nobody claims the offline channel through the API."""

import pytest
from rest_framework.test import APIClient

from boai.core.fields import index_for
from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.services.national import EXPORTED_CHANNELS
from boai.registry.tests.helpers import api_registration, resident_id

from .factories import make_campaign, make_event

pytestmark = pytest.mark.django_db
SEQ = "74"


@pytest.fixture
def clerk():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    return client


def test_a_campaign_of_another_prefecture_is_refused_and_nothing_is_written(clerk):
    make_campaign(region="530300", code="qujing-only", created_by="qilin_staff")
    response = clerk.post("/api/v1/registrations/", api_registration(seq="71", campaign="qujing-only"), format="json")
    assert response.status_code == 400
    assert "Choose a campaign or event of your area" in str(response.json())
    assert not Registration.objects.filter(campaign="qujing-only").exists()


def test_a_province_campaign_and_an_event_of_the_area_are_kept(clerk):
    make_campaign(region="530000", code="whole-province")
    event = make_event(region="530102")
    first = clerk.post("/api/v1/registrations/", api_registration(seq="72", campaign="whole-province"), format="json")
    second = clerk.post(
        "/api/v1/registrations/", api_registration(seq="73", campaign=event.code, phone="13700004444"), format="json"
    )
    assert first.status_code == 201 and second.status_code == 201, (first.json(), second.json())
    assert Registration.objects.get(pk=first.json()["id"]).campaign == "whole-province"
    assert Registration.objects.get(pk=second.json()["id"]).campaign == event.code


def test_a_made_up_code_is_refused_for_staff(clerk):
    response = clerk.post("/api/v1/registrations/", api_registration(seq=SEQ, campaign="no-such-thing"), format="json")
    assert response.status_code == 400
    assert not Registration.objects.filter(
        id_number_index=index_for("id_number", resident_id(sex="F", seq=SEQ))
    ).exists()


def test_the_offline_channel_cannot_be_claimed_through_the_api(clerk):
    """Offline at an event means a signature drawn on the phone and the staff's attestation: only the
    outreach sync records it."""
    response = clerk.post("/api/v1/registrations/", api_registration(seq=SEQ, channel="event_offline"), format="json")
    assert response.status_code == 400
    assert "channel" in response.json()["errors"]
    assert not Registration.objects.filter(
        id_number_index=index_for("id_number", resident_id(sex="F", seq=SEQ))
    ).exists()


def test_offline_entries_go_to_the_national_registry_with_the_other_staff_entries():
    assert Registration.Channel.EVENT_OFFLINE in EXPORTED_CHANNELS
    assert Registration.Channel.ONLINE not in EXPORTED_CHANNELS
