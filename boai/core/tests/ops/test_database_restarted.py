"""PostgreSQL stopped during a burst of registrations and started again: meanwhile the app answers
503 with a clear message (a page for pages, JSON for the API, never a traceback, never a 500) and
/readyz names the database; afterwards it serves again by itself, without a restart of gunicorn."""

import threading
import time

import pytest
import requests

from boai.core.tests import live
from boai.core.tests.ops.test_worker_killed import registration

pytestmark = pytest.mark.postgres

MESSAGE = "The system cannot reach its database at the moment. Please try again in a minute."


def test_the_app_answers_503_while_postgresql_is_down_and_recovers_by_itself(live_template, tmp_path, started):
    begin = time.monotonic()
    pg = live.PrivatePostgres(tmp_path).init()
    started(pg)
    database = pg.load("boai", live_template.pg_dump())
    app = started(live.Gunicorn(live.app_env(tmp_path, database), tmp_path / "gunicorn.log"))
    api = f"{app.url}/api/v1/registrations/"
    headers = {"Authorization": f"Token {live_template.token}", "Accept-Language": "en"}
    statuses, acknowledged, stop = [], [], threading.Event()
    staff = live.Client()
    staff.headers["Accept-Language"] = "en"
    staff.login(app.url)  # a signed-in member of staff: the session is read from the database

    def burst(start: int):
        i, deadline = start, time.monotonic() + 50
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                answer = requests.post(
                    api, json=registration(i), headers={**headers, "Idempotency-Key": f"pg-{i}"}, timeout=15
                )
            except requests.RequestException as exc:
                statuses.append(type(exc).__name__)
                time.sleep(0.1)
                continue
            statuses.append(answer.status_code)
            if answer.status_code == 201:
                acknowledged.append(answer.json()["number"])
                i += 1  # a 503 is retried with the same key and body
            time.sleep(0.02)

    threads = [threading.Thread(target=burst, args=(n * 1000,)) for n in range(3)]
    for thread in threads:
        thread.start()
    live.wait_for(lambda: len(acknowledged) >= 3, 20, "registrations before the outage")

    pg.stop("immediate")  # as a crash would: no goodbye to the connected clients
    try:
        down = live.wait_for(
            lambda: (r := requests.get(f"{app.url}/register/", headers=headers, timeout=15)).status_code == 503 and [r],
            15,
            "a 503 page",
        )[0]
        assert "text/html" in down.headers["Content-Type"] and MESSAGE in down.text
        assert "Traceback" not in down.text and down.headers["Retry-After"]
        posted = requests.post(api, json=registration(99999), headers=headers, timeout=15)
        assert posted.status_code == 503 and posted.json()["detail"] == MESSAGE
        staff_page = staff.get(f"{app.url}/workspace/")
        assert staff_page.status_code == 503 and MESSAGE in staff_page.text and "Traceback" not in staff_page.text
        ready = requests.get(f"{app.url}/readyz", timeout=15)
        assert ready.status_code == 503 and ready.json()["database"] == "unavailable"
        assert requests.get(f"{app.url}/healthz", timeout=15).status_code == 200  # the process lives on
        time.sleep(1)  # the burst keeps meeting the outage
    finally:
        pg.start()

    live.wait_for(lambda: requests.get(f"{app.url}/readyz", timeout=15).status_code == 200, 20, "recovery")
    count = len(acknowledged)
    live.wait_for(lambda: len(acknowledged) >= count + 3, 20, "registrations after the outage")
    stop.set()
    for thread in threads:
        thread.join(20)
    assert requests.get(f"{app.url}/register/", headers=headers, timeout=15).status_code == 200
    assert staff.get(f"{app.url}/workspace/").status_code == 200  # still signed in
    assert 503 in statuses and 500 not in statuses, sorted(set(map(str, statuses)))
    stored = live.psql("SELECT number FROM registry_registration ORDER BY number", database).split()
    assert stored == sorted(acknowledged)
    assert time.monotonic() - begin < 60
