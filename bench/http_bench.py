"""Registrations per second over HTTP (gunicorn, 2 workers x 4 threads, the real API with a token),
with the audit chain on (sealed inline, the default), on with deferred sealing (BOAI_AUDIT_SEAL_DEFERRED,
a sealer thread standing in for Celery beat) and off (bench/nochain_wsgi.py), against the same database;
the three served at once and loaded in turn, BENCH_HTTP_SLICE requests at a time (a noisy machine).
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
SLICE = int(os.environ.get("BENCH_HTTP_SLICE", "50"))  # requests a mode gets before the next mode's turn


def load(token: str, offset: int, n: int = REQUESTS, port: int = PORT):
    bodies = registration_bodies(name="压测", region="530102", first=offset, n=n)
    result = post_all(port=port, path="/api/v1/registrations/", bodies=bodies, concurrency=CONCURRENCY, token=token)
    return result["rate"], result["p50"], result["p95"], result["failures"]


class Sealer:
    """Celery beat's `audit.seal` stand-in while the deferred mode is measured: seals every 2 s, here
    on the same small machine, so its cost is in the figure."""

    def __init__(self, every: float = 2.0):
        import threading

        self.every, self.stopping = every, threading.Event()
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self):
        from boai.audit.services import audit_seal

        try:
            while not self.stopping.wait(self.every):
                audit_seal()
        finally:
            connection.close()

    def stop(self):
        from boai.audit.services import audit_seal

        self.stopping.set()
        self.thread.join()
        return len(audit_seal())  # what was left at the end of the load


def main():
    import statistics

    from boai.audit.models import AuditPending
    from boai.audit.selectors import verify_chain
    from boai.registry.models import Registration

    key = "bigserial primary key" if connection.vendor == "postgresql" else "integer primary key"
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS bench_plain (id {key}, action varchar(100), changes text, hash text)")
    base = Registration.objects.filter(name="压测").count()  # earlier runs' people stay registered: new ones
    token = token_issue(user=User.objects.get(username="bench_clerk"))
    connection.close()
    modes = (
        ("chain on", "config.wsgi", {"BOAI_AUDIT_SEAL_DEFERRED": "0"}),
        ("chain on, sealer", "config.wsgi", {"BOAI_AUDIT_SEAL_DEFERRED": "1"}),
        ("chain off", "bench.nochain_wsgi:application", {}),
    )
    # All three served at once (idle between their slices), and the load sent in slices of SLICE
    # requests, each mode in turn, the first mode changing every round: a noisy neighbour of a few
    # seconds hits all three alike instead of one whole run.
    procs = [serve(app, PORT + i, env=env) for i, (_mode, app, env) in enumerate(modes)]
    sealer = Sealer()
    offset, warm = base, 40
    slices = {mode: [] for mode, _app, _env in modes}
    try:
        for i in range(len(modes)):
            load(token, offset, warm, port=PORT + i)  # warm up the workers: not counted
            offset += warm
        for round_ in range(max(1, REQUESTS // SLICE)):
            order = list(range(len(modes)))
            order = order[round_ % len(modes) :] + order[: round_ % len(modes)]
            for i in order:
                slices[modes[i][0]].append(load(token, offset, SLICE, port=PORT + i))
                offset += SLICE
    finally:
        left = sealer.stop()
        for proc in procs:
            stop(proc)
    print(f"{'figure':44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    rate = {}
    for mode, runs in slices.items():
        seconds = sum(SLICE / r[0] for r in runs)
        rate[mode] = SLICE * len(runs) / seconds
        p50, p95 = statistics.median(r[1] for r in runs), statistics.median(r[2] for r in runs)
        errors = sum(len(r[3]) for r in runs)
        label = f"POST /api/v1/registrations/, {mode}"
        print(f"{label:44} {rate[mode]:8.1f} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {errors:7}")
    for mode in ("chain on", "chain on, sealer"):
        each = [r[0] / o[0] for r, o in zip(slices[mode], slices["chain off"], strict=True)]
        print(
            f"{mode} / chain off: {rate[mode] / rate['chain off']:.2f}x the throughput "
            f"(median of {len(each)} slices {statistics.median(each):.2f}x, quartiles "
            f"{' '.join(f'{q:.2f}' for q in statistics.quantiles(each, n=4))}; {SLICE * len(each)} requests, "
            f"{CONCURRENCY} clients)"
        )
    report = verify_chain()
    print(
        f"sealer (every 2 s): {left} entries left unsealed at the end, sealed then; "
        f"{AuditPending.objects.count()} unsealed now; chain {'intact' if report.ok else 'BROKEN: ' + report.reason}"
    )


if __name__ == "__main__":
    main()
