"""Requests no form would send: NUL characters anywhere, a GET on a POST-only address, a JSON body
that is not JSON or not an object. Each gets a plain answer in the user's language, never a 500."""

import pytest
from django.test import Client

from boai.cases.models import OrganCase
from boai.cases.tests.helpers import client_for, referral
from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db


def staff(username="prov_admin"):
    web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    web.force_login(user(username))
    return web


def test_a_nul_in_the_public_verification_query_is_a_400_page():
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/verify/", {"number": "a\x00b"})
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_a_nul_in_a_form_field_is_a_400_and_writes_nothing():
    response = staff().post("/workspace/cases/organ/", {"q": "普\x00华"})
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_a_nul_in_a_json_body_is_a_400_and_writes_nothing():
    response = client_for("opo_staff").post("/api/v1/organ-cases/", referral(name="普\x00华明"), format="json")
    assert response.status_code == 400 and "空字符" in response.json()["detail"]
    assert not OrganCase.objects.exists()


def test_an_uploaded_file_may_hold_nul_bytes():
    from boai.cases.tests.helpers import pdf

    scan = pdf()
    scan.write(b"\x00\x00binary")
    scan.seek(0)
    response = client_for("opo_staff").post(
        "/api/v1/organ-cases/", {**referral(), "note_scan": scan}, format="multipart"
    )
    assert response.status_code == 201, response.json()


def test_a_get_on_a_post_only_address_explains_itself():
    response = staff().get("/workspace/certificates/print/")
    assert response.status_code == 405 and "请使用页面上的按钮" in response.content.decode()
    assert "POST" in response["Allow"]


@pytest.mark.parametrize(("body", "message"), [("{not json", "不是有效的 JSON"), ("null", "请以 JSON 对象提交")])
def test_a_body_that_is_not_a_json_object_is_answered_in_chinese(body, message):
    response = client_for("prov_admin").post(
        "/api/v1/certificate-batches/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400 and message in str(response.json())


def test_json_in_another_encoding_is_refused_so_no_nul_can_hide_in_it():
    body = b'{"name": "x+AAA-y"}'  # in UTF-7 "+AAA-" is a NUL, invisible to a byte scan
    response = client_for("opo_staff").post(
        "/api/v1/organ-cases/", body, content_type="application/json; charset=utf-7", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]
    assert not OrganCase.objects.exists()


def test_an_escaped_backslash_before_u0000_is_not_a_nul():
    response = client_for("opo_staff").post("/api/v1/organ-cases/", referral(diagnosis="C:\\u0000 路径"), format="json")
    assert response.status_code == 201, response.json()
    assert OrganCase.objects.get().diagnosis == "C:\\u0000 路径"


def test_the_400_and_405_pages_carry_the_security_headers():
    for response in (
        Client().get("/verify/", {"number": "a\x00b"}),
        staff().get("/workspace/certificates/print/"),
    ):
        assert response.status_code in (400, 405)
        assert response["X-Frame-Options"] == "DENY" and response["Cache-Control"] == "no-store"
        assert "Content-Security-Policy" in response


# --- JSON nested deeper than any form of Boai (issue 12, item 6) ----------------------------------


def _nested(depth=1000):
    return '{"phone": ' + "[" * depth + "]" * depth + "}"


def test_deeply_nested_json_is_a_400_on_an_anonymous_endpoint():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/public/sms-codes/", _nested(), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_deeply_nested_json_is_a_400_on_an_authenticated_endpoint_and_writes_nothing():
    response = client_for("opo_staff").post(
        "/api/v1/organ-cases/", _nested(), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "nested" in response.json()["detail"]
    assert not OrganCase.objects.exists()


def test_json_nested_as_deep_as_a_real_request_is_still_read():
    from boai.core.parsers import json_depth

    assert json_depth(b'{"a": [1, {"b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]}') == 3
    assert json_depth(b'"\\"[[["') == 0


def test_a_deeply_nested_column_mapping_of_the_national_import_is_a_message_not_a_500():
    from boai.core.errors import InvalidInput
    from boai.registry.national import clean_mapping

    with pytest.raises(InvalidInput):
        clean_mapping('{"name": ' + "[" * 5000 + "]" * 5000 + "}")
