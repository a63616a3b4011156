"""The public portal: register with consent and an SMS code, the e-card, verification, look-up, withdrawal."""

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from boai.audit.models import AuditEntry
from boai.core.models import SmsCode
from boai.registry.models import ConsentRecord, Registration
from boai.registry.notices import CURRENT, sha256
from boai.registry.tests.helpers import form_data, last_code, resident_id, sms_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch):
    """The file outbox, and SMS delivery as after a real commit (tests run inside a transaction
    that never commits, so on-commit callbacks are run when each request returns)."""
    settings.BOAI_SMS_OUTBOX = tmp_path / "sms-outbox.jsonl"
    original = Client.post

    def post_and_commit(self, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, *args, **kwargs)

    monkeypatch.setattr(Client, "post", post_and_commit)
    return settings.BOAI_SMS_OUTBOX


@pytest.fixture
def citizen():
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.7")


def send_code(client, **overrides):
    return client.post("/register/", {**form_data(**overrides), "action": "send_code"})


def register(client, outbox, **overrides):
    send_code(client, **overrides)
    return client.post("/register/", {**form_data(**overrides), "code": last_code(outbox), "action": "register"})


def test_registering_needs_the_code_and_stores_one_consent_record(citizen, outbox):
    before = Registration.objects.count()
    response = register(citizen, outbox)
    assert response.status_code == 302 and response.url == "/my/card/"
    reg = Registration.objects.latest("id")
    assert Registration.objects.count() == before + 1
    assert (reg.name, reg.channel, reg.status, reg.ethnic_group) == ("和志刚", "online", "active", "27")
    assert reg.family_informed == [{"name": "和丽", "relationship": "配偶"}]
    consent = ConsentRecord.objects.get(registration=reg)
    assert (consent.kind, consent.notice_version, consent.notice_sha256, consent.channel, consent.ip) == (
        "sensitive_data",
        CURRENT,
        sha256(CURRENT),
        "online",
        "10.9.8.7",
    )
    assert "13800001111" in outbox.read_text() and "valid for 10 minutes" in outbox.read_text()


def test_without_consent_nothing_is_stored(citizen, outbox):
    before = (Registration.objects.count(), AuditEntry.objects.count())
    send_code(citizen)
    response = citizen.post("/register/", {**form_data(consent=None), "code": last_code(outbox), "action": "register"})
    assert response.status_code == 200
    assert "Please read the notice on personal information and agree to it." in response.content.decode()
    assert (Registration.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"id_number": "530102197001011231"}, "check digit is wrong"),
        (
            {"id_number": resident_id(born=timezone.localdate().replace(year=timezone.localdate().year - 17))},
            "Only adults",
        ),
        ({"phone": "12345"}, "11-digit mobile phone"),
        ({"region": "539999"}, "Please choose County where you live from the list."),
        ({"organs": [], "tissues": []}, "at least one thing to donate"),
        ({"body": "on"}, "needs an executor"),
        ({"sex": "F"}, "sex does not match"),
        ({"name": ""}, "Please fill in Name."),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(citizen, outbox, overrides, message):
    before = (Registration.objects.count(), AuditEntry.objects.count())
    response = citizen.post("/register/", {**form_data(**overrides), "code": "123456", "action": "register"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Registration.objects.count(), AuditEntry.objects.count()) == before


def test_a_wrong_code_is_refused_and_counted(citizen, outbox):
    send_code(citizen)
    response = citizen.post("/register/", {**form_data(), "code": "000000", "action": "register"})
    assert "The code is not correct (4 tries left)" in response.content.decode()
    assert SmsCode.objects.latest("id").attempts == 1


def test_a_code_works_once(citizen, outbox):
    register(citizen, outbox)
    code = last_code(outbox)
    again = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/register/", {**form_data(id_number=resident_id(seq="34")), "code": code, "action": "register"}
    )
    assert "expired or was not requested" in again.content.decode()


def test_an_expired_code_is_refused(citizen, outbox):
    send_code(citizen)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = citizen.post("/register/", {**form_data(), "code": last_code(outbox), "action": "register"})
    assert "expired or was not requested" in response.content.decode()


def test_codes_are_rate_limited_per_phone(citizen, outbox):
    send_code(citizen)
    response = send_code(citizen)
    assert "less than a minute ago" in response.content.decode()
    assert sms_count(outbox) == 1


def test_codes_are_rate_limited_per_address(settings, outbox):
    settings.BOAI_SMS_PER_IP_PER_HOUR = 2
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.5")
    for phone in ("13800000001", "13800000002"):
        send_code(client, phone=phone)
    response = send_code(client, phone="13800000003")
    assert "Too many codes from this network" in response.content.decode()
    assert sms_count(outbox) == 2


def test_registering_a_registered_id_with_another_phone_gets_the_neutral_answer_and_tells_the_registered_phone(
    citizen, outbox
):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.6")
    response = register(other, outbox, phone="13900002222")
    assert response.status_code == 302 and response.url == "/register/received/"
    page = other.get(response.url).content.decode()
    assert "already has an active registration" not in page and reg.number not in page and "和" not in page
    strip = re.compile(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"')
    anyone = Client(HTTP_ACCEPT_LANGUAGE="en").get("/register/received/").content.decode()
    assert strip.sub("", page) == strip.sub("", anyone)  # the same page for everyone, whatever the ID
    assert other.get("/my/").status_code == 302  # nothing of the registration opens to this visitor
    assert Registration.objects.filter(name="和志刚").count() == 1
    last = json.loads(outbox.read_text().splitlines()[-1])
    assert last["phone"] == reg.phone and "tried to register" in last["text"] and last["code"] == ""
    entry = AuditEntry.objects.filter(action="registry.registration.register_again").latest("id")
    assert entry.object_id == str(reg.pk) and entry.changes["phone"] == "139****2222"
    # a second try within a day is recorded, but the registered phone is not messaged again
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    sent = sms_count(outbox)
    assert register(other, outbox, phone="13900002222").url == "/register/received/"
    assert sms_count(outbox) == sent + 1  # only the code to the visitor's own phone
    assert AuditEntry.objects.filter(action="registry.registration.register_again").count() == 2


def test_registering_again_with_the_registered_phone_opens_my_registration(citizen, outbox):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    again = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.5")
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    response = register(again, outbox, phone=" 138-0000-1111 ")  # the same phone, typed differently
    assert response.status_code == 302 and response.url == "/my/"
    page = again.get("/my/").content.decode()
    assert reg.number in page and "You registered before with this phone" in page
    assert Registration.objects.filter(name="和志刚").count() == 1
    assert "tried to register" not in outbox.read_text()


def test_the_public_api_gives_the_same_neutral_answer(citizen, outbox, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    register(citizen, outbox)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.4")
    body = {
        "name": "和志刚",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13900002222",
        "region": "530102",
        "organs": ["all"],
        "consent_version": CURRENT,
    }
    send_code(Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.4"), phone="13900002222")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/public/registrations/", {**body, "code": last_code(outbox)}, format="json")
    assert response.status_code == 202 and set(response.json()) == {"detail"}, response.json()
    assert "tried to register" in outbox.read_text()
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    send_code(Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.9.8.3"))  # the registered phone itself
    with django_capture_on_commit_callbacks(execute=True):
        mine = api.post(
            "/api/v1/public/registrations/",
            {**body, "phone": "13800001111", "code": last_code(outbox)},
            format="json",
        )
    assert mine.status_code == 200 and mine.json()["created"] is False
    assert mine.json()["number"] == Registration.objects.get(name="和志刚").number


def test_the_ecard_page_and_pdf_show_the_registration(citizen, outbox):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    page = citizen.get("/my/card/").content.decode()
    assert reg.number in page and "data:image/svg+xml" in page
    pdf = citizen.get("/my/card.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert reg.number in text and "和志刚" in text and f"/v/{reg.verify_code}/" in text


def test_the_verification_page_shows_only_the_minimum(citizen, outbox):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/v/{reg.verify_code}/").content.decode()
    assert reg.number in body and "和**" in body and "Active" in body
    assert "和志刚" not in body and reg.phone not in body and reg.id_number[:6] + "*" not in body
    assert Client().get(f"/v/{reg.number}/").status_code == 404  # the number alone does not open it


def test_the_lookup_never_reveals_whether_an_id_is_registered(citizen, outbox):
    register(citizen, outbox)
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))  # past the one-a-minute limit
    sent = sms_count(outbox)
    answers = []
    for id_number in (resident_id(), resident_id(seq="77")):
        client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.1.1.1")
        response = client.post("/lookup/", {"id_number": id_number, "action": "send_code"})
        body = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode())
        answers.append(body.replace(id_number, "ID"))
    assert answers[0] == answers[1]
    assert sms_count(outbox) == sent + 1  # only the registered person's phone got a code


def test_lookup_then_withdraw_then_register_again(outbox):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    register(client, outbox)
    client.post("/my/leave/")
    assert client.get("/my/").status_code == 302
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))  # past the one-a-minute limit
    client.post("/lookup/", {"id_number": resident_id().lower(), "action": "send_code"})
    response = client.post("/lookup/", {"id_number": resident_id(), "code": last_code(outbox), "action": "verify"})
    assert response.url == "/my/"
    empty = client.post("/my/withdraw/", {"reason": ""})
    assert "Please give a reason" in empty.content.decode()
    client.post("/my/withdraw/", {"reason": "changed my mind"})
    reg = Registration.objects.latest("id")
    assert reg.status == "withdrawn" and reg.withdrawal_reason == "changed my mind"
    assert ConsentRecord.objects.filter(registration=reg, kind="withdrawal", channel="online").exists()
    assert "You can register again" in client.get("/my/").content.decode()
    again = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.2.2.2")
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert register(again, outbox).status_code == 302
    assert Registration.objects.filter(id_number_index=reg.id_number_index).count() == 2


def test_portal_pages_are_in_chinese_by_default():
    body = Client().get("/register/").content.decode()
    assert "立即登记" in Client().get("/").content.decode()
    assert "个人信息" in body and 'lang="zh-hans"' in body


def test_a_per_phone_limit_on_lookup_does_not_reveal_the_registration(citizen, outbox):
    register(citizen, outbox)  # a code went to this phone seconds ago
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/lookup/", {"id_number": resident_id(), "action": "send_code"})
    assert "If this ID number is registered" in response.content.decode()
    assert "less than a minute" not in response.content.decode()


def prove(client, outbox, id_number=None):
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    client.post("/lookup/", {"id_number": id_number or resident_id(), "action": "send_code"})
    client.post("/lookup/", {"id_number": id_number or resident_id(), "code": last_code(outbox), "action": "verify"})


def test_a_copy_of_my_data_as_json_and_pdf(citizen, outbox):
    import json

    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    data = json.loads(citizen.get("/my/data.json").content)
    assert data["registration"]["id_number"] == reg.id_number and data["registration"]["phone"] == reg.phone
    assert data["consents"][0]["notice_version"] == CURRENT
    assert any("Registration created" in h["what"] for h in data["history"])
    pdf = citizen.get("/my/data.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert reg.number in text and reg.id_number in text
    assert AuditEntry.objects.filter(action="registry.registration.data_copied", object_id=str(reg.pk)).count() == 2
    assert citizen.get("/my/data.xml").status_code == 404
    assert Client().get("/my/data.json").status_code == 302  # nothing without the proven phone


def test_erasure_needs_a_withdrawal_then_anonymises(citizen, outbox):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    refused = citizen.post("/my/erase/", {"confirm": "yes"}, follow=True)
    assert "Withdraw the registration first" in refused.content.decode()
    citizen.post("/my/withdraw/", {"reason": "moving abroad"})
    unconfirmed = citizen.post("/my/erase/", {}, follow=True)
    assert "Tick the box" in unconfirmed.content.decode()
    citizen.post("/my/erase/", {"confirm": "yes"})
    reg.refresh_from_db()
    assert reg.erased_at and reg.name == "" and reg.id_number == "" and reg.phone == "" and reg.address == ""
    assert reg.id_number_index is None and reg.verify_code is None and reg.family_informed == []
    assert (reg.birth_date.month, reg.birth_date.day) == (1, 1) and reg.region_id == "530102"
    assert ConsentRecord.objects.filter(registration=reg, kind="erasure").exists()
    entry = AuditEntry.objects.filter(action="registry.registration.erased").latest("id")
    assert entry.object_repr == reg.number
    assert citizen.get("/my/").status_code == 302  # the session no longer opens anything


def test_a_registrant_changes_the_wish_online_and_a_stale_form_is_refused(citizen, outbox):
    register(citizen, outbox)
    reg = Registration.objects.latest("id")
    page = citizen.get("/my/change/").content.decode()
    assert "visit any Red Cross branch" in page
    data = {
        "version": reg.version,
        "region": "530103",
        "address": "盘龙区新址",
        "organs": ["kidney"],
        "body": "on",
        "executor_name": "和丽",
        "executor_relationship": "配偶",
    }
    assert citizen.post("/my/change/", data).status_code == 302
    reg.refresh_from_db()
    assert (reg.region_id, reg.organs, reg.body, reg.executor_name) == ("530103", ["kidney"], True, "和丽")
    stale = citizen.post("/my/change/", {**data, "address": "again"})
    assert "changed this registration in the meantime" in stale.content.decode()
    no_executor = citizen.post("/my/change/", {**data, "version": reg.version, "executor_name": ""})
    assert "needs an executor" in no_executor.content.decode()
    assert AuditEntry.objects.filter(action="registry.registration.amended", actor_username="citizen").count() == 1


def test_erasure_removes_the_signed_scan_too(outbox, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from boai.core.models import Attachment
    from boai.core.services import attachment_store
    from boai.core.tests.personas import user
    from boai.registry.services import CITIZEN, registration_erase, registration_withdraw

    reg = Registration.objects.filter(status="active").first()
    scan = attachment_store(
        owner=reg, kind="signed_form", actor=user("prov_admin"), upload=SimpleUploadedFile("f.pdf", b"%PDF-1.4 minimal")
    )
    path = scan.file.storage.path(scan.file.name)
    registration_withdraw(registration=reg, actor=CITIZEN, reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        registration_erase(registration=reg, actor=CITIZEN)
    import os

    assert not Attachment.objects.filter(owner_id=str(reg.pk), owner_type="registry.registration").exists()
    assert not os.path.exists(path)


def test_a_code_is_used_up_even_when_the_id_is_already_registered(citizen, outbox):
    existing = Registration.objects.filter(status="active").first()
    send_code(citizen, phone="13700007777")
    code = last_code(outbox)
    probe = citizen.post(
        "/register/",
        {**form_data(id_number=existing.id_number, phone="13700007777"), "code": code, "action": "register"},
    )
    assert probe.url == "/register/received/"  # the neutral answer (issue 12, item 3b)
    again = citizen.post("/register/", {**form_data(phone="13700007777"), "code": code, "action": "register"})
    assert "expired or was not requested" in again.content.decode()  # one code cannot probe a second ID


def test_registration_and_lookup_codes_have_separate_limits(citizen, outbox):
    registered = Registration.objects.filter(status="active").first()
    Client().post("/lookup/", {"id_number": registered.id_number, "action": "send_code"})
    response = send_code(citizen, phone=registered.phone)  # must not answer "a code was sent a minute ago"
    assert "less than a minute" not in response.content.decode()


def test_other_kinds_of_digits_are_folded_so_the_same_person_is_found():
    from boai.lib.crypto import normalise

    existing = Registration.objects.filter(status="active").first()
    arabic = "".join(chr(0x0660 + int(c)) if c.isdigit() else c for c in existing.id_number)
    assert normalise(arabic) == existing.id_number
    from boai.core.fields import index_for

    assert Registration.objects.get(id_number_index=index_for("id_number", arabic), status="active") == existing


# --- issue 12 item 10: the code step on a phone ---------------------------------------------------------


def test_no_code_is_sent_until_the_whole_form_is_valid(citizen, outbox):
    before = SmsCode.objects.count()
    response = send_code(citizen, id_number="530102197001011231", consent=None)  # wrong check digit
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert 'href="#id_id_number"' in body and 'href="#id_consent"' in body  # both, in one round
    assert SmsCode.objects.count() == before and not outbox.exists()


def test_every_error_shows_at_once_in_a_summary_and_on_its_field(citizen, outbox):
    body = send_code(
        citizen, name="和" * 70, id_number="530102197001011231", consent=None, organs=[], tissues=[]
    ).content.decode()
    summary = body[body.index('id="error-summary"') : body.index("</ul>", body.index('id="error-summary"'))]
    for field in ("name", "id_number", "organs", "consent"):
        assert f'href="#id_{field}"' in summary, field
        assert f'id="id_{field}_error"' in body, field
    assert re.search(r'<input[^>]*name="name"[^>]*aria-invalid="true"', body)
    assert re.search(r'<input[^>]*name="id_number"[^>]*aria-describedby="id_id_number_error"', body)
    assert "Name can have at most 64 characters." in body and "Ensure this value" not in body
    assert not outbox.exists()


def test_the_portal_form_speaks_plain_chinese():
    data = {**form_data(name="和" * 70), "action": "send_code"}
    body = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/register/", data).content.decode()
    assert "确保该变量" not in body and "这个字段是必填项" not in body
    assert 'aria-invalid="true"' in body


def test_send_code_from_htmx_answers_with_the_form_alone_focused_on_the_code(citizen, outbox):
    response = citizen.post("/register/", {**form_data(), "action": "send_code"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and body.lstrip().startswith('<form method="post"')
    assert 'id="register-form"' in body and "phone ending in 1111" in body
    assert re.search(r'<input[^>]*name="code"[^>]*autofocus', body)
    assert f'data-countdown="{60}"' in body
    assert sms_count(outbox) == 1
    # the next press within the minute is refused by the server whatever the page does
    again = citizen.post("/register/", {**form_data(), "action": "send_code"}, HTTP_HX_REQUEST="true")
    assert "less than a minute ago" in again.content.decode() and sms_count(outbox) == 1


def test_without_javascript_send_code_reloads_the_page_with_the_message_beside_the_focused_code_field(citizen, outbox):
    body = send_code(citizen).content.decode()
    assert "<html" in body
    step = body[body.index('id="code-step"') : body.index("</section>", body.index('id="code-step"'))]
    assert "phone ending in 1111" in step and re.search(r'<input[^>]*name="code"[^>]*autofocus', step)


def test_in_demo_mode_the_page_says_where_the_code_went(citizen, outbox, settings):
    settings.DEMO = True
    settings.BOAI_SMS_OUTBOX = settings.BASE_DIR / "var" / "sms-outbox.jsonl"
    assert "var/sms-outbox.jsonl" in citizen.get("/register/").content.decode()
    assert "var/sms-outbox.jsonl" in citizen.get("/lookup/").content.decode()
    settings.DEMO = False
    assert "sms-outbox.jsonl" not in citizen.get("/register/").content.decode()


def test_make_run_and_the_readme_say_where_demo_codes_go(settings):
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\n\n", makefile.index("\nrun:"))]
    assert "var/sms-outbox.jsonl" in run
    assert "var/sms-outbox.jsonl" in (settings.BASE_DIR / "README.md").read_text()


def test_the_lookup_code_step_also_swaps_in_place_and_answers_the_same_for_any_id(citizen, outbox):
    register(citizen, outbox)
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    answers = []
    for id_number in (resident_id(), resident_id(seq="77")):
        client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.1.1.2")
        response = client.post("/lookup/", {"id_number": id_number, "action": "send_code"}, HTTP_HX_REQUEST="true")
        body = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()).replace(id_number, "ID")
        assert "<html" not in body and 'id="lookup-form"' in body and "data-countdown" in body
        assert re.search(r'<input[^>]*name="code"[^>]*autofocus', body)
        answers.append(body)
    assert answers[0] == answers[1]
