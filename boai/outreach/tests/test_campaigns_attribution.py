"""Attribution: a registration through a campaign's link is counted once, even when the form is sent
twice (the portal, and the API with an Idempotency-Key); a paper form collected at an event is
attributed by choosing the event; an unknown code attributes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.tests.helpers import api_registration, form_data, last_code

from ..selectors import campaigns as selectors
from .factories import make_campaign, make_event

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def outbox(settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch):
    """The SMS file outbox, delivered as after a real commit (as the registry's portal tests do)."""
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    original = Client.post

    def post_and_commit(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_commit)
    return settings.BOAI_SMS_OUTBOX


def total(campaign, username="prov_admin") -> int:
    return selectors.breakdowns(user=user(username), campaign=campaign)["total"]


def test_a_registration_through_the_link_is_counted_once_even_when_the_form_is_sent_twice(outbox):
    campaign = make_campaign(code="twice-sent", title="两次提交")
    citizen = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.7")
    landing = citizen.get(citizen.get("/c/twice-sent/").url)
    assert "两次提交" in landing.content.decode() and 'value="twice-sent"' in landing.content.decode()
    data = {**form_data(), "campaign": "twice-sent"}
    citizen.post("/register/", {**data, "action": "send_code"})
    code = last_code(outbox)
    first = citizen.post("/register/", {**data, "code": code, "action": "register"})
    second = citizen.post("/register/", {**data, "code": code, "action": "register"})  # sent again
    assert first.status_code == 302 and second.status_code in (200, 302)
    assert Registration.objects.filter(campaign="twice-sent").count() == 1
    assert Registration.objects.get(campaign="twice-sent").channel == "online"
    assert total(campaign) == 1


def test_an_unknown_code_attributes_nothing(outbox):
    citizen = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="campaign-banner"' not in citizen.get("/register/?c=no-such-code").content.decode()
    data = {**form_data(), "campaign": "no-such-code"}
    citizen.post("/register/", {**data, "action": "send_code"})
    response = citizen.post("/register/", {**data, "code": last_code(outbox), "action": "register"})
    assert response.status_code == 302
    assert Registration.objects.get(name="和志刚").campaign == ""


def test_the_api_with_an_idempotency_key_sent_twice_counts_once():
    campaign = make_campaign(code="api-twice")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    body = api_registration(campaign="api-twice")
    first = client.post("/api/v1/registrations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-api-twice-1")
    again = client.post("/api/v1/registrations/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-api-twice-1")
    assert first.status_code == 201, first.json()
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Registration.objects.filter(campaign="api-twice").count() == 1
    assert total(campaign) == 1
    response = client.get(f"/api/v1/campaigns/{campaign.pk}/")
    assert response.json()["registrations"] == 1


def test_a_paper_form_collected_at_an_event_is_attributed_by_choosing_the_event():
    today = timezone.localdate()
    campaign = make_campaign(code="paper-season", starts_on=today - timedelta(days=30), ends_on=today)
    event = make_event(region="530102", campaign=campaign, title="五华街头宣传", starts_on=today)
    clerk = Client(HTTP_ACCEPT_LANGUAGE="en")
    clerk.force_login(user("wuhua_staff"))
    form = clerk.get("/workspace/registrations/new/").content.decode()
    assert f'value="{event.code}"' in form and "五华街头宣传" in form and 'value="paper-season"' in form
    data = form_data(
        consent=None,
        consent_signed="on",
        signed_on=timezone.localdate().isoformat(),
        channel="event",
        campaign=event.code,
        scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    )
    response = clerk.post("/workspace/registrations/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reg = Registration.objects.get(name="和志刚")
    assert (reg.campaign, reg.channel) == (event.code, "event")
    assert total(campaign) == 1
    channels = dict(
        (v, n) for v, _l, n in selectors.breakdowns(user=user("wuhua_staff"), campaign=campaign)["channels"]
    )
    assert channels["event"] == 1


def test_a_code_not_offered_to_the_clerk_is_refused_on_the_paper_form():
    make_event(region="530302", title="麒麟活动", created_by="qilin_staff", starts_on=timezone.localdate())
    other = make_event(region="530302", created_by="qilin_staff", starts_on=timezone.localdate())
    clerk = Client(HTTP_ACCEPT_LANGUAGE="en")
    clerk.force_login(user("wuhua_staff"))
    data = form_data(
        consent=None,
        consent_signed="on",
        signed_on=timezone.localdate().isoformat(),
        channel="event",
        campaign=other.code,
        scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
    )
    response = clerk.post("/workspace/registrations/new/", data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Registration.objects.filter(campaign=other.code).exists()
