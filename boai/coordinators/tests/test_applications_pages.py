"""The application pages and API as a user meets them: submitting with scans, the review page with its
levels and form, a refusal shown with the rule's text and nothing written, the list with what awaits
me first, the documents' download (audited), the settings page, the coordinator's section, the home
panel, and the API's list, submit and review."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from boai.audit.models import AuditEntry
from boai.core.tests.personas import user
from boai.lib.home import panels_for

from ..models import Application, ApplicationReview, Coordinator
from ..selectors import applications as selectors
from .app_helpers import PDF, decide, not_a_scan, pdf, png, snapshot, submitted
from .factories import make_coordinator

pytestmark = pytest.mark.django_db


def client(username):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")  # the pages' wording is matched in English
    c.force_login(user(username))
    return c


def api(username):
    c = APIClient()
    c.force_authenticate(user(username))
    return c


def test_submitting_on_the_page_with_several_scans_leads_to_the_application():
    coordinator = make_coordinator(name="孙悦")
    c = client("wuhua_clerk")
    page = c.get(reverse("coordinators:apply", args=[coordinator.pk]))
    assert page.status_code == 200 and "孙悦" in page.content.decode()
    response = c.post(
        reverse("coordinators:apply", args=[coordinator.pk]),
        {"motivation": "从事ICU护理十年", "documents": [pdf(), png()]},
        follow=True,
    )
    application = Application.objects.get(coordinator=coordinator)
    assert response.redirect_chain[-1][0] == reverse("coordinators:application", args=[application.pk])
    body = response.content.decode()
    assert "Awaiting the county branch&#x27;s review" in body or "Awaiting the county branch's review" in body
    assert body.count("/documents/") == 2
    assert "Record the decision" not in body  # who submitted it never decides it (coordinators.not_own_submission)


def test_a_file_that_is_no_scan_stays_on_the_form_with_its_message():
    coordinator = make_coordinator()
    before = snapshot(coordinator=coordinator)
    response = client("wuhua_staff").post(
        reverse("coordinators:apply", args=[coordinator.pk]), {"documents": [not_a_scan()]}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "diploma.pdf" in body and "field-error" in body
    assert snapshot(coordinator=coordinator) == before


def test_the_review_page_records_a_decision_and_refuses_another_level_with_the_rule():
    application = submitted()
    url = reverse("coordinators:application", args=[application.pk])
    page = client("kunming_staff").get(url)
    assert page.status_code == 200 and "Record the decision" not in page.content.decode()
    before = snapshot(application)
    refused = client("kunming_staff").post(url, {"decision": "approved", "version": application.version})
    assert refused.status_code == 200 and "coordinators.review_level" in refused.content.decode()
    assert snapshot(application) == before

    no_reason = client("wuhua_staff").post(url, {"decision": "rejected", "reason": "", "version": application.version})
    assert "Give the reason for the rejection." in no_reason.content.decode()
    assert snapshot(application) == before

    done = client("wuhua_staff").post(url, {"decision": "approved", "version": application.version})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.level == 1
    stale = client("kunming_staff").post(url, {"decision": "approved", "version": application.version - 1})
    assert "Someone else changed this application" in stale.content.decode()
    assert ApplicationReview.objects.filter(application=application).count() == 1


def test_the_list_shows_what_awaits_me_first_and_filters():
    waiting = selectors.awaiting_count(user("wuhua_staff"))  # the demo's, if any
    mine = submitted()
    other = submitted(region="530102", coordinator=make_coordinator(name="陈晨"))
    decide(other, "wuhua_staff")
    c = client("wuhua_staff")
    body = c.get(reverse("coordinators:applications")).content.decode()
    assert f"{waiting + 1} await" in body
    assert body.index(f"/applications/{mine.pk}/") < body.index(f"/applications/{other.pk}/")
    only_mine = c.get(reverse("coordinators:applications"), {"mine": "on"}).content.decode()
    assert f"/applications/{mine.pk}/" in only_mine and f"/applications/{other.pk}/" not in only_mine
    by_level = c.get(reverse("coordinators:applications"), {"level": "prefecture"}).content.decode()
    assert f"/applications/{other.pk}/" in by_level and f"/applications/{mine.pk}/" not in by_level
    theirs = client("qilin_staff").get(reverse("coordinators:applications")).content.decode()
    assert f"/applications/{mine.pk}/" not in theirs and f"/applications/{other.pk}/" not in theirs


def test_a_document_downloads_for_those_who_see_the_application_and_is_audited():
    application = submitted()
    doc = selectors.documents(application).first()
    url = reverse("coordinators:application_document", args=[application.pk, doc.pk])
    response = client("kunming_staff").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(
        action="core.attachment.viewed", object_id=str(application.pk), actor_username="kunming_staff"
    ).exists()
    assert client("qilin_staff").get(url).status_code == 404
    assert client("opo_staff").get(url).status_code == 403


def test_withdrawal_on_the_page():
    application = submitted()
    response = client("wuhua_staff").post(
        reverse("coordinators:application_withdraw", args=[application.pk]), {"version": application.version}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN


def test_the_settings_page_saves_the_levels_and_refuses_a_level_twice():
    c = client("prov_admin")
    url = reverse("coordinators:settings")
    assert c.get(url).status_code == 200
    twice = c.post(url, {"level_1": "county", "level_2": "county", "level_3": "", "expiry_warning_days": 90})
    assert "Each review level may be chosen only once." in twice.content.decode()
    saved = c.post(url, {"level_1": "prefecture", "level_2": "province", "level_3": "", "expiry_warning_days": 45})
    assert saved.status_code == 302
    assert submitted().level_list() == ["prefecture", "province"]
    assert client("kunming_staff").get(url).status_code == 403


def test_the_section_and_the_home_panel(english):
    waiting = selectors.awaiting_count(user("wuhua_staff"))
    application = submitted()
    section = selectors.section(coordinator=application.coordinator, user=user("wuhua_staff"))
    assert section["can_apply"] is False  # one is open
    assert section["applications"][0].where == "Awaiting the county branch's review"
    panels = [p for p in panels_for(user("wuhua_staff")) if p.panel.title == "Applications awaiting my review"]
    assert panels and panels[0].items[0].count == waiting + 1


def test_the_api_lists_submits_and_reviews_through_the_same_rules():
    coordinator = make_coordinator()
    created = api("wuhua_clerk").post(
        "/api/v1/coordinator-applications/",
        {"coordinator": coordinator.pk, "motivation": "愿意", "documents": [pdf(), png()]},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["levels"] == ["county", "prefecture", "province"] and data["current_level"] == "county"
    assert len(data["documents"]) == 2
    pk = data["id"]
    wrong = api("kunming_staff").post(
        f"/api/v1/coordinator-applications/{pk}/review/", {"decision": "approved", "version": data["version"]}
    )
    assert wrong.status_code == 409 and "coordinators.review_level" in str(wrong.json())
    ok = api("wuhua_staff").post(
        f"/api/v1/coordinator-applications/{pk}/review/", {"decision": "approved", "version": data["version"]}
    )
    assert ok.status_code == 200 and ok.json()["current_level"] == "prefecture"
    listed = api("kunming_staff").get("/api/v1/coordinator-applications/", {"mine": "1"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [pk]
    assert api("qilin_staff").get(f"/api/v1/coordinator-applications/{pk}/").status_code == 404
    assert api("wuhua_staff").get("/api/v1/coordinator-applications/", {"state": "nope"}).status_code == 400
    second = api("wuhua_staff").post(
        "/api/v1/coordinator-applications/", {"coordinator": coordinator.pk, "documents": [pdf()]}, format="multipart"
    )
    assert second.status_code == 409
    assert Coordinator.objects.get(pk=coordinator.pk).applications.count() == 1
