"""Redis stopped (the cache and the Celery broker): public pages and the public registration flow keep
working (the cache degrades, an SMS is sent by the app itself while the queue is down); starting a
background job says clearly that it has not started and keeps the upload, the job shows as stalled,
and once Redis is back it is resumed from its page, without a new upload, and a worker checks it."""

import json
import time

import pytest
import requests

from boai.core.tests import live
from boai.core.tests.ops.test_worker_killed import registration
from boai.registry.tests.helpers import sheet
from boai.registry.tests.test_import_export import GOOD, HEADER

pytestmark = pytest.mark.postgres

NOT_QUEUED = "The background service is unavailable right now: the list is kept but its check has not started."


def test_with_redis_stopped_pages_and_registrations_work_and_a_job_says_it_has_not_started(
    live_template, live_db, redis_server, tmp_path, started
):
    begin = time.monotonic()
    env = live.app_env(tmp_path, live_db, redis_server.url)
    app = started(live.Gunicorn(env, tmp_path / "gunicorn.log"))
    staff = live.Client()
    staff.headers["Accept-Language"] = "en"
    staff.login(app.url)
    assert requests.get(f"{app.url}/open-data/", timeout=10).status_code == 200  # cached in Redis

    redis_server.stop()
    public = live.Client()
    public.headers["Accept-Language"] = "en"
    for path in ("/", "/register/", "/open-data/", "/lookup/"):
        answer = public.get(f"{app.url}{path}")
        assert answer.status_code == 200, (path, answer.status_code)
        assert answer.elapsed.total_seconds() < 5
    ready = requests.get(f"{app.url}/readyz", timeout=10)
    assert ready.status_code == 503 and ready.json()["redis"] == "unavailable" and ready.json()["database"] == "ok"

    # the public registration: the SMS code is sent although the queue is down
    person = {k: v for k, v in registration(7).items() if k != "channel"}
    assert public.post(f"{app.url}/api/v1/public/sms-codes/", json={"phone": person["phone"]}).status_code == 202
    outbox = tmp_path / "sms-outbox.jsonl"
    deadline = time.monotonic() + 15  # sent on a thread of its own: the answer does not wait for it
    while not (outbox.exists() and outbox.read_text(encoding="utf-8").endswith("\n")) and time.monotonic() < deadline:
        time.sleep(0.1)
    code = json.loads(outbox.read_text(encoding="utf-8").splitlines()[-1])["code"]
    registered = public.post(f"{app.url}/api/v1/public/registrations/", json={**person, "code": code})
    assert registered.status_code == 201, registered.text
    verify = public.get(f"{app.url}/api/v1/public/verify/{registered.json()['verify_code']}/")
    assert verify.status_code == 200

    # a background job: the upload is kept, the user told it has not started; its page says stalled
    upload = sheet(GOOD, HEADER)
    answer = staff.post(
        f"{app.url}/workspace/registrations/import/",
        data={"consent": "on"},
        files={"file": ("list.xlsx", upload.read(), upload.content_type)},
    )
    assert answer.status_code == 200 and "/import/" in answer.url and NOT_QUEUED in answer.text, answer.text[-2000:]
    job_url = answer.url
    assert "Stalled" in staff.get(job_url).text
    assert live.psql("SELECT state FROM registry_importjob", live_db) == "uploaded"

    redis_server.start()  # back, on the same port, empty
    started(live.CeleryWorker(env, tmp_path / "celery.log"))
    resumed = staff.post(f"{job_url}resume/")
    assert resumed.status_code == 200 and NOT_QUEUED not in resumed.text
    live.wait_for(lambda: live.psql("SELECT state FROM registry_importjob", live_db) == "checked", 30, "the check")
    assert "Import all 2 rows" in staff.get(job_url).text
    assert requests.get(f"{app.url}/readyz", timeout=10).status_code == 200
    assert time.monotonic() - begin < 60
