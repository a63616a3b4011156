"""Logs are one JSON object per line; every line written while a request is served carries the
request id the response gives in X-Request-ID (one id, RequestContextMiddleware's)."""

import io
import json
import logging

import pytest
from django.test import Client, override_settings
from structlog.stdlib import ProcessorFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the console handler writes, formatted as in production."""
    (console,) = [h for h in logging.getLogger().handlers if isinstance(h.formatter, ProcessorFormatter)]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_requests_log_lines_carry_the_request_id_of_its_response(log_lines):
    response = Client().get("/no-such-page/?phone=13800000000")
    request_id = response["X-Request-ID"]
    lines = log_lines()
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert finished == [
        {
            "event": "request_finished",
            "code": 404,
            "request": "GET /no-such-page/",  # never the query string
            "request_id": request_id,
            "ip": "127.0.0.1",
            "user_id": None,
            "logger": "django_structlog.middlewares.request",
            "level": "warning",
            "timestamp": finished[0]["timestamp"],
        }
    ]
    django_line = next(line for line in lines if line["logger"] == "django.request")
    assert django_line["event"] == "Not Found: /no-such-page/" and django_line["request_id"] == request_id
    assert "13800000000" not in json.dumps(lines)


def test_each_request_gets_its_own_id_and_a_line_after_it_none(log_lines):
    first, second = Client().get("/healthz")["X-Request-ID"], Client().get("/healthz")["X-Request-ID"]
    logging.getLogger("boai.test").warning("between requests")
    lines = log_lines()
    assert first != second
    assert [line["request_id"] for line in lines if line["event"] == "request_finished"] == [first, second]
    assert "request_id" not in lines[-1] and lines[-1]["event"] == "between requests"


@override_settings(BOAI_TRUSTED_PROXIES=1)
def test_behind_the_proxy_its_request_id_is_kept_in_answer_and_log(log_lines):
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-5b8d0c1e", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response["X-Request-ID"] == "nginx-5b8d0c1e"
    (finished,) = [line for line in log_lines() if line["event"] == "request_finished"]
    assert finished["request_id"] == "nginx-5b8d0c1e" and finished["ip"] == "203.0.113.9"


def test_an_insane_or_untrusted_request_id_is_replaced(log_lines):
    forged = Client().get("/healthz", HTTP_X_REQUEST_ID="nginx-5b8d0c1e")  # no trusted proxy
    with override_settings(BOAI_TRUSTED_PROXIES=1):
        odd = Client().get("/healthz", HTTP_X_REQUEST_ID='x"}\n{"level": "error')
    assert forged["X-Request-ID"] != "nginx-5b8d0c1e" and len(odd["X-Request-ID"]) == 32
    ids = [line["request_id"] for line in log_lines() if line["event"] == "request_finished"]
    assert ids == [forged["X-Request-ID"], odd["X-Request-ID"]]
