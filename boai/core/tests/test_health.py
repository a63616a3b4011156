"""The probes a load balancer and the monitoring use: /healthz (the process answers), /readyz (the
database, Redis and storage work) and /metrics (Prometheus, for the monitoring's addresses only)."""

import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _database_down():
    return mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("connection refused"))


def test_healthz_answers_while_the_process_runs_even_with_the_database_down():
    with _database_down():
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_touches_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert Client().get("/healthz").status_code == 200


def test_readyz_is_200_when_everything_works_and_says_redis_is_not_configured():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured", "storage": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_503_naming_the_database_when_it_is_unavailable():
    with _database_down():
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "unavailable"
    assert body["storage"] == "ok"
    assert "connection refused" not in response.content.decode()  # the cause stays in the log
    assert response["Cache-Control"] == "no-store"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
def test_readyz_is_503_naming_redis_when_it_cannot_be_reached():
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "unavailable", "storage": "ok"}
    assert "Traceback" not in response.content.decode() and "127.0.0.1:1" not in response.content.decode()


def test_readyz_is_503_naming_storage_when_files_cannot_be_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with override_settings(MEDIA_ROOT=blocker / "media"):  # cannot be created, even by root
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "redis": "not configured",
        "storage": "not writable",
    }


def test_readyz_leaves_no_file_behind(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        assert Client().get("/readyz").status_code == 200
    assert list(tmp_path.iterdir()) == []


def test_metrics_are_served_to_an_allowed_address():
    client = Client()
    client.get("/")  # one counted request at least
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert "django_http_requests_total" in response.content.decode()


@override_settings(BOAI_METRICS_ALLOWED_IPS=["::1", "10.20.0.0/16"])
def test_metrics_follow_the_setting_for_addresses_and_networks():
    assert Client().get("/metrics", REMOTE_ADDR="::1").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert Client().get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_metrics_are_a_plain_not_found_page_for_any_other_address():
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert "django_http_requests_total" not in response.content.decode()
    unknown = Client().get("/no-such-page", REMOTE_ADDR="203.0.113.9")
    title = re.compile(rb"<title>.*?</title>", re.DOTALL)  # the same page as any unknown address
    assert title.search(response.content).group() == title.search(unknown.content).group()


def test_a_forged_forwarded_header_does_not_open_the_metrics():
    response = Client().get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


@override_settings(BOAI_TRUSTED_PROXIES=1, BOAI_PROXY_ADDRESSES=["10.0.0.2", "127.0.0.1"])
def test_behind_a_trusted_proxy_the_forwarded_client_address_counts():
    allowed = Client().get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1")
    refused = Client().get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert (allowed.status_code, refused.status_code) == (200, 404)


def test_in_production_no_address_reads_the_metrics_until_one_is_configured(tmp_path):
    """Behind an nginx on the same host every client looks like 127.0.0.1: production allows no
    address by default, only those set in BOAI_METRICS_ALLOWED_IPS."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOAI_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        BOAI_PRODUCTION="1",
        BOAI_VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 60,
        BOAI_FIELD_KEY="1:" + "ab" * 16,
        BOAI_INDEX_KEY="cd" * 32,
        BOAI_AUDIT_KEY="1:" + "ef" * 32,
        BOAI_AUDIT_CHECKPOINT_DIR=str(tmp_path / "anchor"),
        ALLOWED_HOSTS="boai.example.org",
    )
    show = "import django; django.setup(); from django.conf import settings; print(settings.BOAI_METRICS_ALLOWED_IPS)"

    def allowed(**extra):
        run = subprocess.run(
            [sys.executable, "-c", show], env={**env, **extra}, capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert allowed() == "[]"
    assert allowed(BOAI_METRICS_ALLOWED_IPS="10.8.0.5") == "['10.8.0.5']"
