"""The published figures at scale (PostgreSQL, after gen_synthetic): the registration figure and each
of its breakdowns (read from the registry's tally), every figure of the annual API, and the direct
recounts for comparison; p50/p95 over repeated calls, each against a plain ``SELECT COUNT(*)`` over
the registration table measured in the same run.

    DATABASE_URL=postgres://... python bench/run.py stats
    BENCH_STATS_ROWS (registrations wanted, 1000000; generated once and kept), BENCH_STATS_CASES (organ and
    body donation cases wanted, 10000; made once and kept), BENCH_STATS_TRIES (30), BENCH_STATS_SECONDS
    (time allowed per figure, 5).

Then the same over HTTP, as the province's staff ask it (Django's test client in this process: the
whole request and response, middleware, scoping and audit included, no network): the annual API, the
period API, and the dashboard's data endpoint for the province, for a prefecture's drill-down and for
another figure; and a registration written through the registry's service, which the next request's
figure must count."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a JSON line per request measured

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


def ensure_cases(want: int) -> None:
    """``want`` donation cases (four organ cases to one body case) over 2016-2025 and every county, made
    straight in the database like the statistics tests' data set: closed with organs recovered, found not
    suitable, or still open; received or refused bodies."""
    from datetime import datetime, timedelta

    from boai.accounts.models import User
    from boai.cases.models import BodyCase, OrganCase
    from boai.core.figures import SHANGHAI
    from boai.core.models import Organisation, Region
    from boai.lib.plugins import demo_load
    from boai.registry.management.commands.gen_synthetic import resident_id

    if not User.objects.filter(username="prov_admin").exists():
        print("-- loading the demo accounts and organisations (once; the tests' baseline, no demo cases)")
        demo_load(baseline_only=True)
    have = OrganCase.objects.count() + BodyCase.objects.count()
    if have >= want:
        return
    started = time.monotonic()
    counties = list(Region.objects.filter(level="county", code__startswith="53").values_list("code", flat=True))
    regions = Region.objects.in_bulk(counties)
    actor = User.objects.get(username="prov_admin")
    unit, station = Organisation.objects.get(code="OPO-KMU1"), Organisation.objects.get(code="RS-KMU")
    first = datetime(2016, 1, 1, 9, tzinfo=SHANGHAI)
    organ, body = [], []
    for i in range(have, want):
        region = counties[i % len(counties)]
        born = datetime(1950, 1, 1).date() + timedelta(days=(i * 37) % (365 * 50))
        person = {
            "name": "测试",
            "sex": "M" if i % 2 else "F",
            "id_type": "resident_id",
            "id_number": resident_id(region, born, i % 1000),
            "birth_date": born,
            "region": regions[region],
        }
        opened = first + timedelta(hours=(i * 7919) % (24 * 3650))
        if i % 5 == 4:
            received = opened + timedelta(days=1) if i % 3 else None
            body.append(
                BodyCase(
                    number=f"BB{i:08d}",
                    opened_at=opened,
                    opened_by=actor,
                    station=station,
                    basis=BodyCase.Basis.REGISTRATION,
                    place_of_death="家中",
                    notifier_name="测试家属",
                    notifier_relationship="spouse",
                    notifier_phone="13800002222",
                    state=BodyCase.State.RECEIVED if received else BodyCase.State.REFUSED,
                    received_at=received,
                    counted_at=received,
                    **person,
                )
            )
            continue
        recovered = opened + timedelta(days=2) if i % 4 else None
        still_open = not recovered and i % 8 == 0
        organ.append(
            OrganCase(
                number=f"BO{i:08d}",
                opened_at=opened,
                opened_by=actor,
                unit=unit,
                hospital=f"第{i % 40 + 1}人民医院",
                referred_at=opened,
                state=OrganCase.State.CLOSED
                if recovered
                else (OrganCase.State.REFERRED if still_open else OrganCase.State.NOT_SUITABLE),
                closed_at=None if still_open else (recovered or opened + timedelta(days=1)),
                counted_at=recovered,
                beneficiaries=(i % 6) if recovered else 0,
                **person,
            )
        )
    OrganCase.objects.bulk_create(organ, batch_size=1000)
    BodyCase.objects.bulk_create(body, batch_size=1000)
    print(f"-- made {len(organ):,} organ and {len(body):,} body donation cases in {time.monotonic() - started:.0f} s")


def http_section(year: int, base95: float) -> None:
    """The annual API, the period API and the dashboard's data endpoint as the province's staff ask them."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from boai.accounts.models import User

    setup_test_environment()  # the test client's host name, and mail kept in memory
    client = Client()
    client.force_login(User.objects.get(username="prov_admin"))
    data = reverse("stats:dashboard_data")
    asks = [
        ("annual API, province", f"/api/v1/stats/annual/?year={year}"),
        ("annual API, a prefecture (5301)", f"/api/v1/stats/annual/?year={year}&region=5301"),
        ("period API 2016-2025, province", "/api/v1/stats/period/?from=2016&to=2025"),
        ("dashboard data, province", f"{data}?year={year}"),
        ("dashboard data, drill-down to 5301", f"{data}?year={year}&region=5301"),
        ("dashboard data, map of organ donations", f"{data}?year={year}&figure=organ_donations"),
    ]
    print("over HTTP (in-process test client; the whole request: middleware, scoping, JSON):")
    for name, url in asks:

        def ask(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")

        p50, p95 = p50_p95(sampled(ask))
        print(f"{name:44} {p50:9.2f} {p95:9.2f} {p95 / base95:9.3f}x")
    _fresh_registration(client)


def _fresh_registration(client) -> None:
    """A registration signed today, through the registry's service: the next request's figure counts it."""
    import random
    from datetime import datetime

    from boai.core.demo import DEMO_ACTOR, resident_id
    from boai.core.figures import SHANGHAI
    from boai.registry import notices
    from boai.registry.models import Registration
    from boai.registry.services import PersonData, registration_create

    today = datetime.now(SHANGHAI).date()
    url = f"/api/v1/stats/annual/?year={today.year}&region=530102"
    before = client.get(url).json()["figures"]["registrations"]
    rng = random.Random()  # noqa: S311 - invented data
    born = today.replace(year=today.year - 40 - rng.randrange(30))
    data = PersonData(
        name="测试",
        id_type=Registration.IdType.RESIDENT_ID,
        id_number=resident_id("530102", born, "M", rng.randrange(5, 95)),
        phone="13800001111",
        region_code="530102",
        sex="M",
        birth_date=born,
        ethnic_group="01",
        address="五华区测试路1号",
        organs=["kidney"],
        tissues=[],
        body=False,
        executor_name="",
        executor_relationship="",
        family_informed=[],
        signed_on=today,
    )
    written = time.perf_counter()
    made = registration_create(actor=DEMO_ACTOR, data=data, channel="paper", consent_version=notices.CURRENT)
    after = client.get(url).json()["figures"]["registrations"]
    took = (time.perf_counter() - written) * 1000
    kind = "registered" if isinstance(made, Registration) else "held for review (same person already there)"
    print(
        f"a registration written now ({kind}): the annual API for 530102 went from {before:,} to {after:,}"
        f" in the next request, {took:.0f} ms after the write began"
    )


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
    ensure_cases(int(os.environ.get("BENCH_STATS_CASES", "10000")))
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
    http_section(year, base95)


def _count(code, year):
    from boai.core.figures import figure

    try:
        return figure(code).count(year, "53")
    except (KeyError, LookupError):
        return None


if __name__ == "__main__":
    run()
