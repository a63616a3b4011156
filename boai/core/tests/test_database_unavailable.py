"""While the database cannot be reached the answer is 503 with a clear message, a page for pages and
JSON for the API, whoever asks (anonymous or signed in: the session is in the database), never a 500
and never a traceback. (The real outage, PostgreSQL stopped under gunicorn: ops/test_database_restarted.)"""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from boai.core.tests.personas import user

pytestmark = pytest.mark.django_db

MESSAGE = "The system cannot reach its database at the moment. Please try again in a minute."


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def down():
        monkeypatch.setattr(connection, "_cursor", refuse)

    yield down
    monkeypatch.undo()


def client(**kwargs):
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def test_a_public_page_answers_503_with_a_page(database_down):
    anonymous = client()
    database_down()
    response = anonymous.get("/register/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html") and response["Retry-After"]
    page = response.content.decode()
    assert MESSAGE in page and "Traceback" not in page and "OperationalError" not in page


def test_a_signed_in_staff_page_answers_503(database_down):
    staff = client()
    staff.force_login(user("wuhua_staff"))
    database_down()
    response = staff.get("/workspace/")
    assert response.status_code == 503 and MESSAGE in response.content.decode()


def test_the_api_answers_503_in_json(database_down):
    api = client()
    database_down()
    response = api.post("/api/v1/public/sms-codes/", {"phone": "13700003333"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json() == {"detail": MESSAGE, "code": "service_unavailable"}


def test_the_page_is_in_chinese_by_default(database_down):
    anonymous = Client(raise_request_exception=False)
    database_down()
    response = anonymous.get("/register/")
    assert response.status_code == 503 and '<html lang="zh-hans">' in response.content.decode()
