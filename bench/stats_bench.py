"""The published figures at scale (PostgreSQL, after gen_synthetic): the registration figure and each
of its breakdowns (read from the registry's tally), every figure of the annual API, and the direct
recounts for comparison; p50/p95 over repeated calls, each against a plain ``SELECT COUNT(*)`` over
the registration table measured in the same run.

    DATABASE_URL=postgres://... python bench/run.py stats
    BENCH_STATS_ROWS (registrations wanted, 1000000; generated once and kept), BENCH_STATS_TRIES (30),
    BENCH_STATS_SECONDS (time allowed per figure, 5)."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TRIES = int(os.environ.get("BENCH_STATS_TRIES", "30"))
SECONDS = float(os.environ.get("BENCH_STATS_SECONDS", "5"))


def sampled(fn) -> list[float]:
    """Run ``fn`` TRIES times, or fewer (at least 3) when it takes longer than SECONDS in all."""
    samples, started = [], time.perf_counter()
    while len(samples) < TRIES and (len(samples) < 3 or time.perf_counter() - started < SECONDS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def p50_p95(samples) -> tuple[float, float]:
    if len(samples) < 2:
        return samples[0] * 1000, samples[0] * 1000
    return statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[18] * 1000


def ensure_rows(want: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from boai.registry.models import Registration

    have = Registration.objects.count()
    if have < want:
        print(f"-- generating {want - have:,} synthetic registrations (once; kept for later runs)")
        started = time.monotonic()
        call_command("gen_synthetic", registrations=want - have, batch=10000)
        print(f"-- generated in {time.monotonic() - started:.0f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE registry_registration")
            cur.execute("ANALYZE registry_registrationtally")


def run() -> None:
    import django

    django.setup()
    from django.db import connection

    from boai.core.figures import figure
    from boai.registry import selectors
    from boai.registry.models import Registration
    from boai.stats.selectors.annual import PUBLISHED

    if connection.vendor != "postgresql":
        print("\n-- statistics: skipped (run with DATABASE_URL=postgres://... for the figures at scale)")
        return
    ensure_rows(int(os.environ.get("BENCH_STATS_ROWS", "1000000")))
    total = Registration.objects.count()
    year = 2020  # the synthetic registrations are signed 2016-2025

    def count_all():
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM registry_registration")
            cur.fetchone()

    base50, base95 = p50_p95(sampled(count_all))
    print(f"\n-- statistics on {total:,} registrations (PostgreSQL), year {year}")
    print(f"baseline SELECT COUNT(*) FROM registry_registration: p50 {base50:.1f} ms, p95 {base95:.1f} ms")
    print(f"{'figure':44} {'p50 ms':>9} {'p95 ms':>9} {'p95 ratio':>10}")

    def line(name, fn):
        p50, p95 = p50_p95(sampled(fn))
        print(f"{name:44} {p50:9.2f} {p95:9.2f} {p95 / base95:9.3f}x")

    for prefix in ("53", "5301", "530102"):
        line(f"registrations_in_year (region {prefix})", lambda p=prefix: selectors.registrations_in_year(year, p))
    for dimension in selectors.BREAKDOWNS:
        line(f"registrations_by {dimension}", lambda d=dimension: selectors.registrations_by(d, year, "53"))
    for name, code in PUBLISHED:
        try:
            declared = figure(code)
        except (KeyError, LookupError):
            print(f"{'annual ' + name:44} {'(figure not declared yet: ' + code + ')':>30}")
            continue
        line(f"annual {name}", lambda f=declared: f.count(year, "53"))
    line("annual API, all declared figures together", lambda: [_count(code, year) for _n, code in PUBLISHED])
    print("for comparison, the direct counts the tally replaces:")
    line("recount_registrations_in_year (region 53)", lambda: selectors.recount_registrations_in_year(year, "53"))
    for dimension in ("month", "county", "wish"):
        line(f"recount_registrations_by {dimension}", lambda d=dimension: selectors.recount_registrations_by(d, year))


def _count(code, year):
    from boai.core.figures import figure

    try:
        return figure(code).count(year, "53")
    except (KeyError, LookupError):
        return None


if __name__ == "__main__":
    run()
