"""The collection page, its key, the service worker and the manifest."""

import base64

import pytest
from django.test import Client

from boai.core.tests.personas import user
from boai.registry.notices import CURRENT

from .collect_helpers import event_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return event_today(region="530102", title="五华区登记日")


def client(who):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user(who))
    return c


def page_url(event):
    return f"/workspace/outreach/events/{event.pk}/collect/"


def key_of(c, event):
    response = c.get(f"{page_url(event)}key/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()["key"]


def test_the_page_shows_the_event_the_notice_and_the_counties_of_its_prefecture_first(event):
    response = client("wuhua_staff").get(page_url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "五华区登记日" in html
    assert f"(version {CURRENT})" in html
    assert "ID card in person." in html
    assert html.index("<optgroup") == html.index('<optgroup label="昆明市">')  # Kunming's counties first
    assert 'data-sw-url="/workspace/outreach/collect-sw.js"' in html


def test_the_page_the_phone_keeps_holds_no_key_and_no_entry(event):
    c = client("wuhua_staff")
    response = c.get(f"{page_url(event)}key/")
    key, version = response.json()["key"], response.json()["version"]
    html = c.get(page_url(event)).content.decode()
    assert key not in html and version not in html
    assert 'id="collect-list" class="collect-list"></ul>' in html  # entries are filled in from IndexedDB only


def test_the_key_has_a_short_version_derived_from_it(event):
    first = client("wuhua_staff").get(f"{page_url(event)}key/").json()
    again = client("wuhua_staff").get(f"{page_url(event)}key/").json()
    other = client("kunming_staff").get(f"{page_url(event)}key/").json()
    assert len(first["version"]) == 8 and first["version"] == again["version"] != other["version"]
    assert first["version"] not in first["key"]


def test_the_page_is_kept_under_a_name_of_its_own_account(event):
    wuhua, kunming = client("wuhua_staff").get(page_url(event)), client("kunming_staff").get(page_url(event))
    owner = wuhua["X-Boai-Cache-Owner"]
    assert len(owner) == 16 and owner != kunming["X-Boai-Cache-Owner"]
    assert f'data-cache-owner="{owner}"' in wuhua.content.decode()


@pytest.mark.parametrize(
    "who, offered, not_offered",
    [("wuhua_staff", "530102", "530103"), ("kunming_staff", "530103", "530302"), ("prov_admin", "530302", None)],
)
def test_the_form_offers_only_the_counties_of_the_staff_members_area(event, who, offered, not_offered):
    html = client(who).get(page_url(event)).content.decode()
    assert f'<option value="{offered}">' in html
    if not_offered:
        assert f'<option value="{not_offered}">' not in html


def test_the_workspace_logout_form_names_the_user_for_boai_js(event):
    html = client("wuhua_staff").get(page_url(event)).content.decode()
    assert f'data-logout data-user="{user("wuhua_staff").pk}"' in html


def test_the_key_is_256_bits_and_the_same_after_a_new_login(event):
    first = key_of(client("wuhua_staff"), event)
    again = key_of(client("wuhua_staff"), event)
    assert first == again
    assert len(base64.b64decode(first)) == 32


def test_each_staff_member_and_event_has_its_own_key(event):
    other_event = event_today(region="530102")
    wuhua = key_of(client("wuhua_staff"), event)
    assert key_of(client("wuhua_staff"), other_event) != wuhua
    assert key_of(client("kunming_staff"), event) != wuhua


@pytest.mark.parametrize("who, status", [("qilin_staff", 404), ("coordinator", 403), ("auditor", 403)])
def test_the_page_and_key_are_refused_outside_the_area_or_without_the_permission(event, who, status):
    c = client(who)
    assert c.get(page_url(event)).status_code == status
    assert c.get(f"{page_url(event)}key/").status_code == status


def test_the_service_worker_is_served_for_the_outreach_workspace(event):
    response = client("wuhua_staff").get("/workspace/outreach/collect-sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/static/outreach/collect.js"' in body and "BOAI_CACHE" in body
    assert "/key/" not in body  # the worker never asks for the key, so never keeps it
    assert '"boai-collect-shell-' in body and "X-Boai-Cache-Owner" in body  # the page: one cache per account


def test_the_manifest_makes_the_page_installable(event):
    response = client("wuhua_staff").get(f"{page_url(event)}app.webmanifest")
    data = response.json()
    assert response["Content-Type"] == "application/manifest+json"
    assert data["display"] == "standalone"
    assert data["start_url"] == page_url(event)
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
