"""Boai benchmarks: each figure is a ratio against a baseline measured in the same run, on the same
machine, so noisy small machines still give comparable numbers. Not a test: nothing here fails.

    make bench                          # SQLite (embedded)
    DATABASE_URL=postgres://... make bench

Figures:
- audit chain: writing N audit entries (chain lock + SM3) vs inserting N plain rows of the same shape;
  and the same with T threads writing at once (the chain head serialises writers: DESIGN.md).
- protected fields: SM4-GCM encrypt + decrypt + HMAC-SM3 index per value vs a plain str copy.
"""

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("BOAI_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402

from boai.audit.models import AuditEntry  # noqa: E402
from boai.audit.selectors import verify_chain  # noqa: E402
from boai.audit.services import SYSTEM, audit_log  # noqa: E402
from boai.core.fields import index_for  # noqa: E402
from boai.lib import crypto  # noqa: E402

N = int(os.environ.get("BENCH_N", "2000"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def timed(fn, repeat=3):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def baseline_inserts():
    with connection.cursor() as cur:
        key = "bigserial primary key" if connection.vendor == "postgresql" else "integer primary key"
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS bench_plain (id {key}, action varchar(100), changes text, hash varchar(64))"
        )
        cur.execute("DELETE FROM bench_plain")
    for _ in range(N):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO bench_plain (action, changes, hash) VALUES (%s, %s, %s)",
                ["bench.plain", '{"n": 1}', "0" * 64],
            )


def chained_writes():
    for _ in range(N):
        with transaction.atomic():
            audit_log(action="bench.chained", actor=SYSTEM, changes={"n": 1})


def threaded(fn_per_thread):
    def run():
        errors = []

        def worker():
            try:
                fn_per_thread()
            except Exception as exc:  # noqa: BLE001 - reported after the join
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise RuntimeError(f"{len(errors)} bench thread(s) failed: {errors[0]!r}")

    return run


def plain_per_thread():
    for _ in range(N // THREADS):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO bench_plain (action, changes, hash) VALUES (%s, %s, %s)",
                ["bench.plain", '{"n": 1}', "0" * 64],
            )


def chained_per_thread():
    for _ in range(N // THREADS):
        with transaction.atomic():
            audit_log(action="bench.chained", actor=SYSTEM, changes={"n": 1})


def protect_values():
    for i in range(N):
        value = f"53010219800101{i:04d}"
        token = crypto.encrypt(value, context="bench.x")
        crypto.decrypt(token, context="bench.x")
        index_for("id_number", value)


def plain_values():
    for i in range(N):
        value = f"53010219800101{i:04d}"
        str(value).encode().decode()


def main():
    call_command("migrate", verbosity=0)
    print(f"Boai bench on {connection.vendor}, N={N}, threads={THREADS}")
    rows = []
    base = timed(baseline_inserts, repeat=1)
    chain = timed(chained_writes, repeat=1)
    rows.append(("audit entry, 1 writer", N / chain, N / base, chain / base))
    base_t = timed(threaded(plain_per_thread), repeat=1)
    chain_t = timed(threaded(chained_per_thread), repeat=1)
    rows.append((f"audit entry, {THREADS} writers", N / chain_t, N / base_t, chain_t / base_t))
    enc = timed(protect_values)
    plain = timed(plain_values)
    rows.append(("protect one value (enc+dec+index)", N / enc, N / plain, enc / plain))
    print(f"{'figure':38} {'per s':>10} {'baseline/s':>12} {'time ratio':>11}")
    for name, rate, base_rate, ratio in rows:
        print(f"{name:38} {rate:10.0f} {base_rate:12.0f} {ratio:10.1f}x")
    report = verify_chain()
    print(
        f"audit chain after the bench: {'intact' if report.ok else 'BROKEN: ' + report.reason}, "
        f"{AuditEntry.objects.count()} entries"
    )


if __name__ == "__main__":
    main()
