"""The registry API: staff create/amend/withdraw with idempotency and conflicts; the public endpoints."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from boai.core.tests.personas import user
from boai.registry.models import Registration
from boai.registry.notices import CURRENT
from boai.registry.tests.helpers import last_code, resident_id

pytestmark = pytest.mark.django_db


def staff(username="wuhua_staff"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


def body(**overrides):
    data = {
        "name": "普美华",
        "sex": "F",
        "id_type": "resident_id",
        "id_number": resident_id(sex="F", seq="56"),
        "phone": "13700003333",
        "region": "530102",
        "organs": ["kidney", "liver"],
        "tissues": [],
        "body": False,
        "consent_version": CURRENT,
        "channel": "paper",
    }
    data.update(overrides)
    return data


def test_staff_create_a_registration_and_the_answer_is_masked():
    response = staff().post("/api/v1/registrations/", body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["id_number"].startswith("530102") and "*" in data["id_number"]
    assert data["phone"] == "137****3333" and data["status"] == "active" and data["sex"] == "F"
    assert Registration.objects.get(pk=data["id"]).channel == "paper"


def test_a_duplicate_active_registration_answers_409():
    client = staff()
    client.post("/api/v1/registrations/", body(), format="json")
    response = client.post("/api/v1/registrations/", body(phone="13700004444"), format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == "This person already has an active registration."


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"region": "539999"}, "region"),
        ({"region": "5301"}, "region"),
        ({"organs": ["brain"]}, "organs"),
        ({"consent_version": "1999-01"}, "consent"),
        ({"id_number": "530102197001011231"}, "id_number"),
        ({"sex": "M"}, "sex"),
        ({"phone": "abc"}, "phone"),
    ],
)
def test_bad_bodies_answer_400_naming_the_field_and_store_nothing(overrides, field):
    before = Registration.objects.count()
    response = staff().post("/api/v1/registrations/", body(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert Registration.objects.count() == before


def test_the_same_idempotency_key_and_body_create_one_record_and_the_same_answer():
    client = staff()
    first = client.post("/api/v1/registrations/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/registrations/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Registration.objects.filter(name="普美华").count() == 1
    other = client.post("/api/v1/registrations/", body(phone="13700009999"), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_threads_with_one_key_make_one_row_and_ten_identical_answers(transactional_base_data):
    answers, errors = [], []

    def post():
        try:
            r = staff().post("/api/v1/registrations/", body(), format="json", HTTP_IDEMPOTENCY_KEY="same-key")
            answers.append((r.status_code, r.json()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Registration.objects.filter(name="普美华").count() == 1
    assert len(answers) == 10 and all(a == answers[0] for a in answers) and answers[0][0] == 201


def test_amend_with_a_stale_version_is_refused_and_changes_nothing():
    client = staff()
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    ok = client.patch(
        f"/api/v1/registrations/{reg.pk}/", {"version": reg.version, "address": "新地址1号"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == reg.version + 1
    stale = client.patch(f"/api/v1/registrations/{reg.pk}/", {"version": reg.version, "address": "旧"}, format="json")
    assert stale.status_code == 409 and "changed this registration in the meantime" in stale.json()["detail"]
    assert Registration.objects.get(pk=reg.pk).address == "新地址1号"


def test_withdraw_through_the_api():
    reg = Registration.objects.filter(region_id="530102", status="active").first()
    response = staff().post(f"/api/v1/registrations/{reg.pk}/withdraw/", {"reason": "本人电话申请"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = staff().post(f"/api/v1/registrations/{reg.pk}/withdraw/", {"reason": "x"}, format="json")
    assert again.status_code == 409


def test_an_auditor_cannot_create():
    assert staff("auditor").post("/api/v1/registrations/", body(), format="json").status_code == 403


@pytest.fixture
def outbox(settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch):
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms.jsonl"
    original = APIClient.post

    def post_and_commit(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(APIClient, "post", post_and_commit)
    return settings.BOAI_SMS_OUTBOX


def test_the_public_api_registers_with_an_sms_code(outbox):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/api/v1/public/sms-codes/", {"phone": "13700003333"}, format="json").status_code == 202
    assert client.post("/api/v1/public/sms-codes/", {"phone": "13700003333"}, format="json").status_code == 429
    data = {k: v for k, v in body().items() if k != "channel"}
    wrong = client.post("/api/v1/public/registrations/", {**data, "code": "000000"}, format="json")
    assert wrong.status_code == 400 and "code" in wrong.json()["errors"]
    response = client.post("/api/v1/public/registrations/", {**data, "code": last_code(outbox)}, format="json")
    assert response.status_code == 201
    assert response.json()["masked_name"] == "普**" and response.json()["status"] == "active"
    assert Registration.objects.get(number=response.json()["number"]).channel == "online"
    verify = client.get(f"/api/v1/public/verify/{response.json()['verify_code']}/")
    assert verify.status_code == 200 and set(verify.json()) == {"number", "masked_name", "status", "date"}


def test_the_public_lookup_answers_the_same_for_any_id():
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    registered = Registration.objects.first()
    a = client.post("/api/v1/public/lookup-codes/", {"id_number": registered.id_number}, format="json")
    b = client.post("/api/v1/public/lookup-codes/", {"id_number": resident_id(seq="88")}, format="json")
    assert a.status_code == b.status_code == 202 and a.json() == b.json()


def test_an_anonymous_client_gets_the_consent_notice_to_show_and_send_back(outbox):
    import hashlib

    from boai.registry.notices import TEXTS, sha256

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/api/v1/public/consent-notice/")
    assert response.status_code == 200
    notice = response.json()
    assert notice["version"] == CURRENT
    assert notice["text"] == {"zh-hans": TEXTS[CURRENT]["zh-hans"], "en": TEXTS[CURRENT]["en"]}
    both = (notice["text"]["zh-hans"] + "\n" + notice["text"]["en"]).encode("utf-8")
    assert notice["sha256"] == hashlib.sha256(both).hexdigest() == sha256(CURRENT)
    for lang, text in notice["text"].items():
        assert notice["sha256_by_language"][lang] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # the kiosk sends the version back, and the consent record pins the very hash it was given
    client.post("/api/v1/public/sms-codes/", {"phone": "13700003333"}, format="json")
    data = {k: v for k, v in body(consent_version=notice["version"]).items() if k != "channel"}
    created = client.post("/api/v1/public/registrations/", {**data, "code": last_code(outbox)}, format="json")
    assert created.status_code == 201
    reg = Registration.objects.get(number=created.json()["number"])
    assert reg.consents.get().notice_sha256 == notice["sha256"]
    assert client.post("/api/v1/public/consent-notice/", {}, format="json").status_code == 405


def test_the_consent_notice_is_in_the_openapi_schema():
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/public/consent-notice/"]["get"]
    component = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    properties = schema["components"]["schemas"][component]["properties"]
    assert {"version", "text", "sha256", "sha256_by_language"} <= set(properties)
    assert "newline" in properties["sha256"]["description"]
    texts = schema["components"]["schemas"]["NoticeTexts"]["properties"]
    assert set(texts) == {"zh-hans", "en"}
