"""Boai benchmarks: each figure is a ratio against a baseline measured in the same run, on the same
machine, so noisy small machines still give comparable numbers. Not a test: nothing here fails.

    make bench                                   # SQLite (embedded): every section that runs on it
    DATABASE_URL=postgres://... make bench       # PostgreSQL: every section, with a 10M-row registry
    python bench/run.py import                   # one section (audit, import, registry, certificates, http,
                                                 # outreach, stats, load)

Environment: BENCH_N (audit entries, 2000), BENCH_IMPORT_ROWS (100000), BENCH_REGISTRY_ROWS (10000000: generated
once and kept; gen_synthetic takes about 2 minutes a million rows on 2 idle cores, so ~20+ minutes for
10M; BENCH_REGISTRY_ROWS=1000000 for a quicker run),
BENCH_SYNC_N (offline entries synced, 200), BENCH_CAMPAIGN_ROWS (registrations of a campaign, 20000),
BENCH_STATS_ROWS (registrations for the published figures, 1000000: bench/stats_bench.py), BENCH_LOAD_*
(steps, limits and caps of the load test: bench/load_bench.py).

Figures:
- audit chain: writing N audit entries (chain lock + SM3) vs inserting N plain rows of the same shape;
  and the same with T threads writing at once (the chain head serialises writers: DESIGN.md); then with
  deferred sealing (BOAI_AUDIT_SEAL_DEFERRED: insert only), and the sealer chaining them afterwards.
- protected fields: SM4-GCM encrypt + decrypt + HMAC-SM3 index per value vs a plain str copy.
- load (bench/load_bench.py, bench/locustfile.py): locust, headless, against gunicorn on a loopback
  port: public registrations (API, Idempotency-Key each), staff searches and dashboard reads at rising
  concurrency (2, 4, 8 ... 128 users, 15 s a step) until the error rate passes 1% or p95 1,000 ms; it
  stops by itself, within 3 minutes and 20,000 requests. Per step: users, req/s, p50/p95/p99 per
  request type, errors; the concurrency reached; then every registration acknowledged with a 201 looked
  for in the database (by id, ID number and Idempotency-Key: none missing, none twice). In the same
  run: raw INSERTs/s of a registration's shape, a bare Django view doing one insert
  (bench/bare_wsgi.py) and the registration API alone over HTTP, and their ratios.
"""

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no JSON line per request measured
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


def audit_section():
    rows = []
    base = timed(baseline_inserts, repeat=1)
    chain = timed(chained_writes, repeat=1)
    rows.append(("audit entry, 1 writer", N / chain, N / base, chain / base))
    base_t = timed(threaded(plain_per_thread), repeat=1)
    chain_t = timed(threaded(chained_per_thread), repeat=1)
    rows.append((f"audit entry, {THREADS} writers", N / chain_t, N / base_t, chain_t / base_t))
    from django.conf import settings

    from boai.audit.services import audit_seal

    audit_seal()
    settings.BOAI_AUDIT_SEAL_DEFERRED = True  # audit_log inserts only; audit_seal chains (the sealer)
    try:
        deferred = timed(chained_writes, repeat=1)
        rows.append(("audit entry deferred, 1 writer", N / deferred, N / base, deferred / base))
        deferred_t = timed(threaded(chained_per_thread), repeat=1)
        rows.append((f"audit entry deferred, {THREADS} writers", N / deferred_t, N / base_t, deferred_t / base_t))
        pending = (N // THREADS) * THREADS + N
        seal = timed(audit_seal, repeat=1)
        per_entry = seal / pending / (base / N)
        rows.append((f"sealing them ({pending} entries, 1 sealer)", pending / seal, N / base, per_entry))
    finally:
        settings.BOAI_AUDIT_SEAL_DEFERRED = False
    enc = timed(protect_values)
    plain = timed(plain_values)
    rows.append(("protect one value (enc+dec+index)", N / enc, N / plain, enc / plain))
    print(f"\n-- audit chain and field protection, N={N}, threads={THREADS}")
    print(f"{'figure':38} {'per s':>10} {'baseline/s':>12} {'time ratio':>11}")
    for name, rate, base_rate, ratio in rows:
        print(f"{name:38} {rate:10.0f} {base_rate:12.0f} {ratio:10.1f}x")
    report = verify_chain()
    print(
        f"audit chain after the bench: {'intact' if report.ok else 'BROKEN: ' + report.reason}, "
        f"{AuditEntry.objects.count()} entries"
    )


def bench_users():
    from boai.accounts.models import User
    from boai.accounts.services import user_create
    from boai.core.models import Organisation, Region
    from boai.core.services import regions_load

    if not Region.objects.exists():
        regions_load()
    for username, role, org in (
        ("bench_clerk", "branch_staff", "RC530100"),
        ("bench_admin", "province_admin", "RC530000"),
    ):
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password="Bench-Pass-2026!",
                role=role,
                organization=Organisation.objects.get(code=org),
            )


def _run(*args) -> list[str]:
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True, env=os.environ)
    return out.stdout.strip().splitlines()[-1].split()


def import_section():
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    here = Path(__file__).resolve().parent
    workbook = Path(os.environ["BOAI_VAR_DIR"]) / f"import-{rows}.xlsx"
    if not workbook.exists():
        _run(str(here / "import_bench.py"), "make", str(rows), str(workbook))

    def forget_earlier_imports():  # so that every run imports the rows again; in SQL, to keep memory low
        with connection.cursor() as cur:
            rows = "SELECT id FROM registry_registration WHERE channel = 'import' AND name LIKE '测试%%'"
            cur.execute(f"DELETE FROM registry_duplicatecandidate WHERE other_id IN ({rows}) OR kept_id IN ({rows})")
            cur.execute(f"DELETE FROM registry_consentrecord WHERE registration_id IN ({rows})")
            cur.execute("DELETE FROM registry_registration WHERE channel = 'import' AND name LIKE '测试%%'")
            if connection.vendor == "postgresql":  # as autovacuum would, before the next run: without it the
                cur.execute("VACUUM (ANALYZE) registry_registration")  # dead rows' index entries double the checks

    runs = []
    for _attempt in range(2):  # best of two for each side: the machine is small and noisy
        forget_earlier_imports()
        base = _run(str(here / "import_bench.py"), "baseline", str(workbook))
        ours = _run(str(here / "import_bench.py"), "boai", str(workbook))
        runs.append((base, ours))
    base_s, base_mb, _n = min((b for b, _o in runs), key=lambda r: float(r[0]))
    boai_s, boai_mb, imported = min((o for _b, o in runs), key=lambda r: float(r[0]))
    print(f"\n-- import of {rows:,} valid rows from .xlsx ({imported} imported)")
    print(f"{'figure':38} {'seconds':>10} {'baseline':>10} {'ratio':>8} {'peak MB':>9}")
    print(
        f"{'dry run + import, one transaction':38} {float(boai_s):10.1f} {float(base_s):10.1f} "
        f"{float(boai_s) / float(base_s):7.2f}x {float(boai_mb):9.0f}   (baseline peak {float(base_mb):.0f} MB; "
        "targets: <= 1.0x, < 500 MB)"
    )


def registry_section():
    from django.core.management import call_command

    from boai.registry.models import Registration

    if connection.vendor != "postgresql":
        print("\n-- registry look-ups: skipped (run with DATABASE_URL=postgres://... for the 10M-row figures)")
        return
    want = int(os.environ.get("BENCH_REGISTRY_ROWS", "10000000"))
    have = Registration.objects.count()
    if have < want:
        print(f"\n-- generating {want - have:,} synthetic registrations (once; kept for later runs)")
        call_command("gen_synthetic", registrations=want - have, batch=10000)
        with connection.cursor() as cur:
            # as autovacuum would: the list's count is an index-only scan of the tally, which reads
            # the table too (1,700 rows at 10M) until its pages are marked all-visible
            for table in ("registry_registration", "registry_registrationtally"):
                cur.execute(f"VACUUM (ANALYZE) {table}")
    print("\n-- registry look-ups")
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parent / "registry_bench.py")], check=True, env=os.environ
    )


def certificates_section():
    """Blank stock and reconciliation at a province's scale, against plain SQL on the same rows."""
    from datetime import date

    from boai.accounts.models import User
    from boai.accounts.services import user_create
    from boai.certificates import selectors, services
    from boai.certificates.models import Certificate, CertificateBatch, CertificateEvent, StockTransfer
    from boai.core.models import Organisation, Region
    from boai.core.services import organisation_create

    n = int(os.environ.get("BENCH_CERTIFICATES", "20000"))
    unit = Organisation.objects.filter(code="BENCH-OPO").first() or organisation_create(
        code="BENCH-OPO",
        name="Bench OPO",
        type="opo_unit",
        region=Region.objects.get(code="530102"),
        parent=Organisation.objects.get(code="RC530000"),
        actor=SYSTEM,
    )
    if not User.objects.filter(username="bench_opo").exists():
        user_create(username="bench_opo", password="Bench-Pass-2026!", role="opo_staff", organization=unit)
    admin, opo = User.objects.get(username="bench_admin"), User.objects.get(username="bench_opo")

    def clear():
        CertificateEvent.objects.all().delete()
        Certificate.objects.all().delete()
        StockTransfer.objects.all().delete()
        CertificateBatch.objects.all().delete()

    def receive_and_hand_out():
        clear()
        services.batch_receive(actor=admin, serial_from=1, serial_to=n, received_on=date(2026, 1, 1), supplier="bench")
        transfer = services.stock_hand_out(actor=admin, unit=unit, serial_from=1, serial_to=n // 2)
        services.transfer_confirm(actor=opo, transfer=transfer)

    def plain_rows():
        with connection.cursor() as cur:
            key = "bigserial primary key" if connection.vendor == "postgresql" else "integer primary key"
            cur.execute(f"CREATE TABLE IF NOT EXISTS bench_serials (id {key}, serial integer, state varchar(16))")
            cur.execute("DELETE FROM bench_serials")
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(
                "INSERT INTO bench_serials (serial, state) VALUES (%s, %s)", [(i, "in_stock") for i in range(n)]
            )
            for state in ("handed", "received"):  # the same three moves, as plain updates
                cur.execute("UPDATE bench_serials SET state = %s WHERE serial < %s", [state, n // 2])

    def plain_count():
        with connection.cursor() as cur:
            cur.execute("SELECT state, count(*) FROM bench_serials GROUP BY state")
            cur.fetchall()

    moves, base_moves = timed(receive_and_hand_out, repeat=1), timed(plain_rows, repeat=1)
    recon, base_recon = timed(lambda: selectors.reconcile()), timed(plain_count)
    assert selectors.reconcile().balanced
    print(f"\n-- certificates ({n:,} blank serials)")
    print(f"{'figure':44} {'seconds':>9} {'baseline':>9} {'ratio':>8}")
    for label, boai_s, base_s in (
        ("batch + hand out half + confirm (events, audit)", moves, base_moves),
        ("reconcile (replay every event) vs GROUP BY", recon, base_recon),
    ):
        print(f"{label:44} {boai_s:9.3f} {base_s:9.3f} {boai_s / base_s:7.1f}x")


def http_section():
    if connection.vendor != "postgresql":
        print("\n-- HTTP registrations/s, chain on and off: skipped (run with DATABASE_URL=postgres://...)")
        return
    print("\n-- HTTP registrations/s, audit chain on and off")
    subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "http_bench.py")], check=True, env=os.environ)


def outreach_section():
    """Offline sync vs direct registration; a campaign's breakdowns vs a plain count (outreach_bench)."""
    from outreach_bench import run  # bench/ is on the path: run.py is started as a script

    run()


def stats_section():
    """The published figures at scale (bench/stats_bench.py): each against COUNT(*) in the same run."""
    from stats_bench import run  # bench/ is on the path: run.py is started as a script

    run()


def load_section():
    """Rising load until a limit, acknowledged registrations checked, insert ratios (bench/load_bench.py)."""
    from load_bench import run  # bench/ is on the path: run.py is started as a script

    run()


def main():
    call_command("migrate", verbosity=0)
    bench_users()
    sections = sys.argv[1:] or ["audit", "import", "registry", "certificates", "http", "outreach", "stats", "load"]
    print(f"Boai bench on {connection.vendor}: {', '.join(sections)}")
    for name in sections:
        sections_by_name = {
            "audit": audit_section,
            "import": import_section,
            "registry": registry_section,
            "certificates": certificates_section,
            "http": http_section,
            "outreach": outreach_section,
            "stats": stats_section,
            "load": load_section,
        }
        sections_by_name[name]()


if __name__ == "__main__":
    main()
