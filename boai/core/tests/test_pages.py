import pytest
from django.test import Client
from django.urls import path

from boai.core.tests.personas import user
from config import urls as root_urls

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("boom/", boom), path("api/boom/", boom), *root_urls.urlpatterns]
handler500 = "boai.core.views.server_error"


def test_the_public_portal_answers_in_chinese_by_default():
    response = Client().get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode()


def test_english_can_be_chosen():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_pages_carry_security_headers_and_are_not_cached():
    response = Client().get("/")
    assert response["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_page_is_a_friendly_404():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_a_server_error_shows_a_friendly_page_and_no_traceback(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json() == {"detail": api.json()["detail"]}
    assert "secret internal detail" not in api.content.decode()


def test_the_workspace_home_shows_the_users_scope():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("wuhua_staff"))
    body = client.get("/workspace/").content.decode()
    assert "五华区" in body
    assert "Registrations" in body


def test_the_openapi_schema_and_docs_are_served():
    schema = Client().get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/registrations/" in schema.json()["paths"]
    docs = Client().get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_the_api_schema_generates_without_warnings():
    """The deploy check fails on any warning; drf-spectacular's schema warnings are among them."""
    from django.core import checks

    found = [m for m in checks.run_checks(include_deployment_checks=True) if m.level >= checks.WARNING]
    assert [f"{m.id}: {m.msg}" for m in found if (m.id or "").startswith("drf_spectacular")] == []
