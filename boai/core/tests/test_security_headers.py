"""The security headers and cookies hold under the production settings (``BOAI_PRODUCTION=1``), not
only under the test settings: a separate Python process loads the settings as a server would (the
environment of ``.ci/run``'s deploy check) and asks through the whole middleware stack. A probe view
that puts something in the session and asks for a CSRF token is added to the real URLs, so both
cookies are set; only the session table is made (no migrations needed)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = r"""
import json
import django

django.setup()
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import clear_url_caches, path

import config.urls

with connection.schema_editor() as editor:
    editor.create_model(Session)


def probe(request):
    request.session["probe"] = 1
    get_token(request)
    return HttpResponse("<p>probe</p>")


config.urls.urlpatterns.append(path("security-probe/", probe))
clear_url_caches()

HEADERS = ["Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
           "Content-Security-Policy", "Cross-Origin-Opener-Policy"]


def cookie(morsel):
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]), "path": morsel["path"],
            "domain": morsel["domain"], "samesite": morsel["samesite"]}


client = Client(HTTP_HOST="boai.example.org")
secure = client.get("/security-probe/", secure=True)
plain = Client(HTTP_HOST="boai.example.org").get("/accounts/login/?next=/workspace/")
proxied = Client(HTTP_HOST="boai.example.org").get("/security-probe/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "status": secure.status_code,
    "headers": {name: secure.headers.get(name) for name in HEADERS},
    "cookies": {name: cookie(morsel) for name, morsel in secure.cookies.items()},
    "plain": [plain.status_code, plain.headers.get("Location")],
    "proxied": proxied.status_code,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOAI_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(settings.BASE_DIR),
        BOAI_PRODUCTION="1",
        BOAI_VAR_DIR=str(tmp),
        BOAI_AUDIT_CHECKPOINT_DIR=str(tmp / "anchor"),
        SECRET_KEY="production-probe-" + "x" * 50,
        BOAI_FIELD_KEY="1:" + "ab" * 16,
        BOAI_INDEX_KEY="cd" * 32,
        BOAI_AUDIT_KEY="1:" + "ef" * 32,
        ALLOWED_HOSTS="boai.example.org",
        BOAI_SMS_GATEWAY_URL="https://sms-gateway.example.org/send",
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_a_page_carries_hsts_for_a_year_with_subdomains(production):
    assert production["status"] == 200
    hsts = production["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_a_page_is_not_sniffed_framed_or_leaking_its_address(production):
    headers = production["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_content_security_policy_allows_no_inline_code_and_no_framing(production):
    csp = production["headers"]["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"] and directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.parametrize("name", ["__Host-sessionid", "__Host-csrftoken"])
def test_the_session_and_csrf_cookies_are_secure_host_only_and_not_for_scripts(production, name):
    cookie = production["cookies"][name]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["path"] == "/" and not cookie["domain"]  # what the __Host- prefix requires of a browser
    assert cookie["samesite"] == "Lax"


def test_plain_http_is_sent_to_https(production):
    status, location = production["plain"]
    assert status == 301 and location == "https://boai.example.org/accounts/login/?next=/workspace/"


def test_https_ended_at_the_proxy_is_recognised(production):
    assert production["proxied"] == 200  # X-Forwarded-Proto from nginx: no redirect loop
