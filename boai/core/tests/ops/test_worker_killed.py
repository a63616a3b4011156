"""kill -9 of a gunicorn worker during a burst of registrations: the clients retry with the same
Idempotency-Key on a dropped connection or a 5xx, and every acknowledged registration is stored
exactly once."""

import os
import signal
import threading
import time
from datetime import date, timedelta

import pytest
import requests

from boai.core.tests import live
from boai.registry.tests.helpers import api_registration

pytestmark = pytest.mark.postgres

THREADS, EACH = 6, 12


def registration(i: int) -> dict:
    """The i-th person of a burst (the other fault tests use it too): another birth date each."""
    return api_registration(born=date(1950, 1, 1) + timedelta(days=i))


def post_until_answered(url: str, token: str, i: int, deadline: float) -> tuple[int, dict | None, int]:
    """(status, answer, attempts): the same key every time, retried on a dropped connection or a 5xx."""
    headers = {"Authorization": f"Token {token}", "Idempotency-Key": f"burst-{i}"}
    attempts = 0
    while time.monotonic() < deadline:
        attempts += 1
        try:
            answer = requests.post(url, json=registration(i), headers=headers, timeout=30)
        except requests.ConnectionError:
            time.sleep(0.1)
            continue
        if answer.status_code >= 500:
            time.sleep(0.1)
            continue
        return answer.status_code, answer.json(), attempts
    return 0, None, attempts


def test_a_worker_killed_mid_burst_loses_and_doubles_no_acknowledged_registration(
    live_template, live_db, tmp_path, started
):
    begin = time.monotonic()
    app = started(live.Gunicorn(live.app_env(tmp_path, live_db), tmp_path / "gunicorn.log", workers=2))
    url = f"{app.url}/api/v1/registrations/"
    deadline = time.monotonic() + 40
    answers: dict[int, tuple] = {}

    def client(start: int):
        for i in range(start, start + EACH):
            answers[i] = post_until_answered(url, live_template.token, i, deadline)

    threads = [threading.Thread(target=client, args=(t * EACH,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    live.wait_for(lambda: len(answers) >= THREADS, 20, "the first answers")
    victim = app.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)  # a worker, not the master: the master starts another
    for thread in threads:
        thread.join(45)
    assert all(not t.is_alive() for t in threads)
    assert victim not in app.worker_pids()

    statuses = [status for status, _answer, _attempts in answers.values()]
    assert statuses.count(201) == THREADS * EACH, sorted(set(statuses))
    acknowledged = sorted(answer["number"] for _status, answer, _attempts in answers.values())
    stored = live.psql("SELECT number FROM registry_registration ORDER BY number", live_db).split()
    assert stored == acknowledged  # every acknowledged one stored, none twice, nothing unacknowledged
    assert len(set(stored)) == len(stored)
    assert live.psql("SELECT count(DISTINCT id_number_index) FROM registry_registration", live_db) == str(len(stored))
    assert time.monotonic() - begin < 60
