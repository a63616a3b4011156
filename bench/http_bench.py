"""Registrations per second over HTTP (gunicorn, 2 workers x 4 threads, the real API with a token),
with the audit chain on (as deployed) and off (bench/nochain_wsgi.py), against the same database.
DESIGN.md asks for this figure: every business write waits on the chain head until commit.
Serving, bodies and the client are bench/served.py's."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from served import post_all, registration_bodies, serve, stop  # noqa: E402 - bench/ is on the path

from boai.accounts.models import User  # noqa: E402
from boai.accounts.services import token_issue  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "600"))
CONCURRENCY = int(os.environ.get("BENCH_HTTP_CONCURRENCY", "8"))
PORT = int(os.environ.get("BENCH_HTTP_PORT", "8765"))


def load(token: str, offset: int, n: int = REQUESTS):
    bodies = registration_bodies(name="压测", region="530102", first=offset, n=n)
    result = post_all(port=PORT, path="/api/v1/registrations/", bodies=bodies, concurrency=CONCURRENCY, token=token)
    return result["rate"], result["p50"], result["p95"], result["failures"]


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
        proc = serve(app, PORT)
        load(token, offset, warm)  # warm up the workers: not counted
        results[mode] = load(token, offset + warm)
        stop(proc)
    print(f"{'figure':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for mode, (rate, p50, p95, failures) in results.items():
        label = "POST /api/v1/registrations/, " + mode
        print(f"{label:34} {rate:8.1f} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {len(failures):7}")
    on, off = results["chain on"][0], results["chain off"][0]
    print(f"chain on / chain off: {on / off:.2f}x the throughput ({REQUESTS} requests, {CONCURRENCY} clients)")


if __name__ == "__main__":
    main()
