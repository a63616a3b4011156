"""Two app servers share nothing but PostgreSQL, Redis and the file store: one client uses both in
turn (log in on A, work on B; register on B, see it on A; import on A, watch its progress and finish
it on B), and the rate limit counts the requests of both."""

import time
from datetime import datetime

import pytest
import requests

from boai.core.tests import live
from boai.core.tests.ops.test_worker_killed import registration
from boai.registry.tests.helpers import sheet
from boai.registry.tests.test_import_export import GOOD, HEADER

pytestmark = pytest.mark.postgres

LIMIT = 4


def test_two_app_servers_serve_one_flow_in_turn(live_template, live_db, redis_server, tmp_path, started):
    begin = time.monotonic()
    env = {**live.app_env(tmp_path, live_db, redis_server.url), "BOAI_RATE_VERIFY": f"{LIMIT}/m"}
    a = started(live.Gunicorn(env, tmp_path / "gunicorn-a.log", workers=1))
    b = started(live.Gunicorn(env, tmp_path / "gunicorn-b.log", workers=1))
    started(live.CeleryWorker(env, tmp_path / "celery.log"))
    staff = live.Client()
    staff.headers["Accept-Language"] = "en"

    # a session made on A is a session on B
    staff.login(a.url)
    home = staff.get(f"{b.url}/workspace/")
    assert home.status_code == 200 and home.url.startswith(f"{b.url}/workspace/")

    # registered on B (API, with an Idempotency-Key); the retry on A gets the same answer; seen on A
    token = {"Authorization": f"Token {live_template.token}", "Idempotency-Key": "scale-1"}
    first = requests.post(f"{b.url}/api/v1/registrations/", json=registration(1), headers=token, timeout=10)
    again = requests.post(f"{a.url}/api/v1/registrations/", json=registration(1), headers=token, timeout=10)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    seen = staff.get(f"{a.url}/api/v1/registrations/{first.json()['id']}/")
    assert seen.status_code == 200 and seen.json()["number"] == first.json()["number"]

    # an import uploaded on A (the file in the shared store, checked by the worker), followed on B
    upload = sheet(GOOD, HEADER)
    answer = staff.post(
        f"{a.url}/workspace/registrations/import/",
        data={"consent": "on"},
        files={"file": ("list.xlsx", upload.read(), upload.content_type)},
    )
    assert answer.status_code == 200 and "/import/" in answer.url
    on_b = answer.url.replace(a.url, b.url)
    partial = {"HX-Request": "true"}
    live.wait_for(lambda: "Import all 2 rows" in staff.get(on_b, headers=partial).text, 30, "the check, seen on B")
    assert staff.post(f"{on_b}commit/", data={"mode": "all"}).status_code == 200  # finished from B
    live.wait_for(lambda: "Imported" in staff.get(answer.url, headers=partial).text, 30, "the import, seen on A")

    # the verification's rate limit counts the requests of both servers (in Redis)
    if datetime.now().second > 50:  # the limit is per minute: keep the burst within one
        time.sleep(61 - datetime.now().second)
    public = live.Client()
    statuses = [public.get(f"{(a, b)[i % 2].url}/verify/", params={"number": "00009999"}).status_code for i in range(6)]
    assert statuses[:LIMIT] == [404] * LIMIT and statuses[LIMIT:] == [429, 429], statuses
    assert time.monotonic() - begin < 60
