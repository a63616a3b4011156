"""What the HTTP benches share: gunicorn serving an application on a loopback port (2 workers x 4
threads, the same settings for every application measured), registration bodies with valid ID
numbers, a threaded client that posts them, and the table of a registration's shape that the raw
baselines insert into. Used by http_bench.py, load_bench.py and bare_wsgi.py; nothing here runs at import
(bare_wsgi.py imports it inside gunicorn), and what needs Django imports it where it is used."""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 2, 4

# The raw baselines' table: a registration's columns as plain values (no encryption, no index, no audit).
PLAIN_TABLE = "bench_registration"
PLAIN_COLUMNS = (
    "number, name, sex, id_type, id_number, phone, region, organs, tissues, body, channel, status, consent_version, "
    "registered_at"
)
PLAIN_INSERT = f"INSERT INTO {PLAIN_TABLE} ({PLAIN_COLUMNS}) VALUES ({', '.join(['%s'] * 14)})"


def plain_table_create(connection) -> None:
    """Create the raw baselines' table if needed, and empty it."""
    key = "bigserial primary key" if connection.vendor == "postgresql" else "integer primary key"
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {PLAIN_TABLE} (id {key}, number varchar(20) UNIQUE, name varchar(64), "
            "sex varchar(1), id_type varchar(16), id_number varchar(64), phone varchar(32), region varchar(6), "
            "organs text, tissues text, body boolean, channel varchar(16), status varchar(16), "
            "consent_version varchar(32), registered_at timestamp)"
        )
        cur.execute(f"DELETE FROM {PLAIN_TABLE}")


def plain_row(body: dict) -> list:
    """The INSERT's parameters for one registration body (a fresh number, as the registry would give)."""
    return [
        uuid.uuid4().hex[:20],
        body["name"],
        body["sex"],
        body["id_type"],
        body["id_number"],
        body["phone"],
        body["region"],
        json.dumps(body["organs"]),
        json.dumps(body["tissues"]),
        body["body"],
        body["channel"],
        "active",
        body["consent_version"],
        datetime.now(),
    ]


def registration_bodies(
    *, name: str, region: str, first: int, n: int, per_day: int = 1, phone_prefix: str = "137"
) -> list[dict]:
    """``n`` registration bodies for the API, numbered from ``first``: body k is born ``k // per_day``
    days after 1940-01-01, with sequence ``k % per_day`` (70 when one a day), so that every k gives
    another valid ID number (at most 100 a day)."""
    from boai.core.demo import resident_id
    from boai.registry import notices

    start = date(1940, 1, 1)
    bodies = []
    for k in range(first, first + n):
        born = start + timedelta(days=k // per_day)
        seq = k % per_day if per_day > 1 else 70
        bodies.append(
            {
                "name": name,
                "sex": "F",
                "id_type": "resident_id",
                "id_number": resident_id(region, born, "F", seq),
                "phone": f"{phone_prefix}{k % 10**8:08d}",
                "region": region,
                "organs": ["all"],
                "tissues": [],
                "body": False,
                "consent_version": notices.CURRENT,
                "channel": "paper",
            }
        )
    return bodies


def free_port() -> int:
    """A loopback port nobody listens on now (several benches may run on one machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, port: int, env: dict | None = None) -> subprocess.Popen:
    """gunicorn serving ``app`` on 127.0.0.1:``port``, once its /healthz answers 200."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    command = [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "--threads", str(THREADS)]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(150):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn serving {app} stopped at start (exit {proc.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn serving {app} did not answer /healthz")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def post_all(*, port: int, path: str, bodies: list[dict], concurrency: int, token: str = "", keys=None) -> dict:
    """POST each body to ``path`` from ``concurrency`` threads, one connection each, with an API token
    and an Idempotency-Key (``keys[i]`` for ``bodies[i]``) when given. Returns the rate (requests/s),
    p50 and p95 (s), the statuses that were not 201, and ``acks``: (index, answer) of each 201."""
    queue = list(enumerate(bodies))
    queue.reverse()
    lock, latencies, failures, acks = threading.Lock(), [], [], []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    return
                index, body = queue.pop()
            headers = {"Content-Type": "application/json"}
            if token:
                headers["Authorization"] = f"Token {token}"
            if keys is not None:
                headers["Idempotency-Key"] = keys[index]
            started = time.perf_counter()
            try:
                conn.request("POST", path, json.dumps(body), headers)
                response = conn.getresponse()
                status, answer = response.status, response.read()
            except OSError as exc:
                status, answer = type(exc).__name__, b""
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status == 201:
                    acks.append((index, json.loads(answer or b"{}")))
                else:
                    failures.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": len(bodies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95)],
        "failures": failures,
        "acks": acks,
    }
