"""Registrations per second over HTTP (gunicorn, 2 workers x 4 threads, the real API with a token),
with the audit chain on (as deployed) and off (bench/nochain_wsgi.py), against the same database.
DESIGN.md asks for this figure: every business write waits on the chain head until commit."""

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from boai.accounts.models import User  # noqa: E402
from boai.accounts.services import token_issue  # noqa: E402
from boai.core.demo import resident_id  # noqa: E402
from boai.registry import notices  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "600"))
CONCURRENCY = int(os.environ.get("BENCH_HTTP_CONCURRENCY", "8"))
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8765"))


def bodies(offset: int, n: int):
    start = date(1940, 1, 1) + timedelta(days=offset)
    for i in range(n):
        born = start + timedelta(days=i)
        yield {
            "name": "压测",
            "sex": "F",
            "id_type": "resident_id",
            "id_number": resident_id("530102", born, "F", 70 + i % 20),
            "phone": f"137{(offset + i) % 10**8:08d}",
            "region": "530102",
            "organs": ["all"],
            "tissues": [],
            "body": False,
            "consent_version": notices.CURRENT,
            "channel": "paper",
        }


def serve(app: str):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            app,
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def load(token: str, offset: int, n: int = REQUESTS):
    queue = list(bodies(offset, n))
    lock, latencies, failures = threading.Lock(), [], []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            started = time.perf_counter()
            conn.request("POST", "/api/v1/registrations/", json.dumps(body), headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - started)
                if response.status != 201:
                    failures.append(response.status)

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return n / elapsed, statistics.median(latencies), latencies[int(len(latencies) * 0.95)], failures


def main():
    from boai.registry.models import Registration

    key = "bigserial primary key" if connection.vendor == "postgresql" else "integer primary key"
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS bench_plain (id {key}, action varchar(100), changes text, hash text)")
    base = Registration.objects.filter(name="压测").count()  # earlier runs' people stay registered: new ones
    token = token_issue(user=User.objects.get(username="bench_clerk"))
    connection.close()
    results = {}
    warm = 40
    modes = (("chain on", "config.wsgi"), ("chain off", "bench.nochain_wsgi:application"))
    for i, (mode, app) in enumerate(modes):
        offset = base + i * (REQUESTS + warm)
        proc = serve(app)
        load(token, offset, warm)  # warm up the workers: not counted
        results[mode] = load(token, offset + warm)
        proc.terminate()
        proc.wait(timeout=30)
    print(f"{'figure':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for mode, (rate, p50, p95, failures) in results.items():
        label = "POST /api/v1/registrations/, " + mode
        print(f"{label:34} {rate:8.1f} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {len(failures):7}")
    on, off = results["chain on"][0], results["chain off"][0]
    print(f"chain on / chain off: {on / off:.2f}x the throughput ({REQUESTS} requests, {CONCURRENCY} clients)")


if __name__ == "__main__":
    main()
