"""Load: public registrations, staff searches and dashboard reads at rising concurrency, until the
error rate or p95 passes a limit; then every registration acknowledged to a client is looked for in the
database, exactly once. And, measured in the same run for ratios: raw database inserts per second, a
bare Django view doing one insert (bench/bare_wsgi.py) and the registration API alone, both over HTTP.

    python bench/run.py load                                  # SQLite (var/bench/)
    DATABASE_URL=postgres://... python bench/run.py load

The application is served by gunicorn on a free loopback port (bench/served.py: 2 workers x 4 threads);
the load comes from locust, headless, in its own process (bench/locustfile.py): locust patches the
standard library with gevent and never runs in this one. The registrations are the API's, with a
token (bench_clerk as the API client) and an Idempotency-Key each; the searches are the API's search
(bench_clerk); the dashboard reads are /workspace/stats/data/ with a staff session of bench_admin, made
here as the login would leave it (the bench cannot type a one-time code). The registration bodies are
made here with valid ID numbers never used before in this database (bench_load_offset keeps the next),
so that none is refused as a duplicate.

Environment: BENCH_LOAD_STEPS (users per step, 2,4,8,16,32,64,128), BENCH_LOAD_STEP_SECONDS (15),
BENCH_LOAD_MAX_SECONDS (180: the whole locust run), BENCH_LOAD_MAX_REQUESTS (20000), BENCH_LOAD_P95_MS
(1000), BENCH_LOAD_MAX_ERRORS (0.01), BENCH_LOAD_WAIT (think time between a user's requests, s:
0.5-1.5), BENCH_LOAD_RAW (raw inserts, 1000), BENCH_LOAD_BURST (requests of each ratio burst, 300, after
40 to warm up), BENCH_LOAD_CLIENTS (clients of each burst, 8: gunicorn's 2 workers x 4 threads)."""

import json
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from served import (  # bench/ is on the path: run.py is started as a script
    PLAIN_INSERT,
    ROOT,
    free_port,
    plain_row,
    plain_table_create,
    post_all,
    registration_bodies,
    serve,
    stop,
)

STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "2,4,8,16,32,64,128").split(",")]
STEP_SECONDS = float(os.environ.get("BENCH_LOAD_STEP_SECONDS", "15"))
MAX_SECONDS = int(os.environ.get("BENCH_LOAD_MAX_SECONDS", "180"))
MAX_REQUESTS = int(os.environ.get("BENCH_LOAD_MAX_REQUESTS", "20000"))
P95_MS = float(os.environ.get("BENCH_LOAD_P95_MS", "1000"))
MAX_ERRORS = float(os.environ.get("BENCH_LOAD_MAX_ERRORS", "0.01"))
WAIT = [float(s) for s in os.environ.get("BENCH_LOAD_WAIT", "0.5-1.5").split("-")]
RAW = int(os.environ.get("BENCH_LOAD_RAW", "1000"))
BURST = int(os.environ.get("BENCH_LOAD_BURST", "300"))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "8"))
WARM = 40

NAME, REGION, PREFECTURE = "负载", "530103", "530100"  # a county inside bench_clerk's prefecture
REGISTER = "/api/v1/registrations/"


def reserve_bodies(n: int) -> tuple[int, list[dict]]:
    """``n`` registration bodies never sent to this database before, and the first one's offset (kept
    in a table of its own, so that a run that failed half-way does not hand out its ID numbers again)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_load_offset (next_offset bigint)")
        cur.execute("SELECT next_offset FROM bench_load_offset")
        row = cur.fetchone()
        first = row[0] if row else 0
        if row:
            cur.execute("UPDATE bench_load_offset SET next_offset = %s", [first + n])
        else:
            cur.execute("INSERT INTO bench_load_offset (next_offset) VALUES (%s)", [first + n])
    return first, registration_bodies(name=NAME, region=REGION, first=first, n=n, per_day=100, phone_prefix="138")


def release_bodies(first: int, reserved: int, used: int) -> None:
    """Hand back the bodies reserved but never sent (unless another run reserved after this one)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE bench_load_offset SET next_offset = %s WHERE next_offset = %s", [first + used, first + reserved]
        )


def raw_inserts(bodies: list[dict]) -> float:
    """Plain INSERTs of a registration's shape per second, one writer, a transaction each (as run.py's
    baseline_inserts)."""
    from django.db import connection, transaction

    plain_table_create(connection)
    started = time.perf_counter()
    for body in bodies:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(PLAIN_INSERT, plain_row(body))
    return len(bodies) / (time.perf_counter() - started)


def staff_credentials() -> tuple[str, str, str, int]:
    """(API token of bench_clerk, session cookie name, a session of bench_admin, bench_clerk's id)."""
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from boai.accounts.middleware import LOGIN_AT
    from boai.accounts.models import User
    from boai.accounts.services import token_issue

    users = User.objects.filter(username__in=["bench_clerk", "bench_admin"])
    users.update(password_changed_at=timezone.now())  # a bench database outlives the password policy
    clerk, admin = User.objects.get(username="bench_clerk"), User.objects.get(username="bench_admin")
    client = Client()
    client.force_login(admin)  # what the two-factor login leaves behind: an authenticated session
    session = client.session
    session[LOGIN_AT] = time.time()
    session.save()
    cookie = settings.SESSION_COOKIE_NAME
    return token_issue(user=clerk), cookie, client.cookies[cookie].value, clerk.pk


def chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def exactly_once(acks: list[dict], clerk_id: int, sent: dict[str, str]) -> list[str]:
    """Each acknowledged registration in the database once: by the id answered, by its ID number's
    blind index and by its Idempotency-Key. ``sent``: the ID number sent with each key, acknowledged
    or not (a request cut off may have been stored all the same: allowed, and counted). Returns the
    lines to print."""
    from boai.core.fields import index_for
    from boai.core.models import IdempotencyRecord
    from boai.registry.models import Registration

    ids = [a["id"] for a in acks]
    stored = {}
    for part in chunks(ids):
        stored.update(Registration.objects.filter(pk__in=part).values_list("pk", "number"))
    missing_by_id = [a for a in acks if a["id"] not in stored]
    wrong_number = [a for a in acks if a["id"] in stored and stored[a["id"]] != a["number"]]
    acked_twice = [i for i, n in Counter(ids).items() if n > 1]
    indexes = [index_for("id_number", a["id_number"]) for a in acks]
    counted = Counter()
    for part in chunks(indexes):
        rows = Registration.objects.filter(id_number_index__in=part).values_list("id_number_index", flat=True)
        counted.update(rows)
    missing_by_person = [i for i in indexes if counted[i] == 0]
    twice_by_person = [i for i in indexes if counted[i] > 1]
    scope = f"registrations.create:{clerk_id}"
    records = {}
    for part in chunks(list(sent)):
        answers = IdempotencyRecord.objects.filter(scope=scope, key__in=part)
        rows = answers.values_list("key", "status_code", "response")
        records.update((key, (status, body)) for key, status, body in rows)
    key_mismatch = [a for a in acks if ((records.get(a["key"]) or (None, None))[1] or {}).get("id") != a["id"]]
    acked_keys = {a["key"] for a in acks}
    unacked = [index_for("id_number", number) for key, number in sent.items() if key not in acked_keys]
    unacked_stored = 0
    for part in chunks(unacked):
        unacked_stored += Registration.objects.filter(id_number_index__in=part).count()
    unanswered = sum(1 for key, (status, _body) in records.items() if key not in acked_keys and not status)
    ok = not (missing_by_id or wrong_number or acked_twice or missing_by_person or twice_by_person or key_mismatch)
    lines = [
        f"acknowledged registrations: {len(acks):,}; in the database exactly once: {'yes' if ok else 'NO'}",
        f"  by id: {len(missing_by_id)} missing, {len(wrong_number)} with another number, "
        f"{len(acked_twice)} acknowledged twice",
        f"  by ID number (blind index): {len(missing_by_person)} missing, {len(twice_by_person)} stored twice",
        f"  by Idempotency-Key: {len(key_mismatch)} whose stored answer is not the acknowledged one",
        f"  sent but not acknowledged (cut off at the end, or failed): {len(unacked):,}, of which stored: "
        f"{unacked_stored:,}; Idempotency-Keys still without an answer: {unanswered:,}",
    ]
    return lines


def run_locust(conf: dict, work: Path) -> dict:
    """locust, headless, in its own process; its report (steps judged), or an empty one if it failed."""
    conf_path = work / "load-conf.json"
    conf_path.write_text(json.dumps(conf), encoding="utf-8")
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{conf['port']}",
        "--run-time",
        f"{MAX_SECONDS + 10}s",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log = work / "locust.log"
    with open(log, "w", encoding="utf-8") as out:
        try:
            subprocess.run(
                command,
                env=dict(os.environ, BENCH_LOAD_CONF=str(conf_path)),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=MAX_SECONDS + 60,
                check=False,
            )
        except subprocess.TimeoutExpired:
            print(f"locust did not stop by itself within {MAX_SECONDS + 60} s: killed")
    try:
        return json.loads(Path(conf["report"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print(f"locust left no report; its output is in {log}")
        return {"steps": [], "stopped": "locust failed", "bodies_used": 0}


def print_steps(report: dict) -> tuple[int, float]:
    """The table of steps; returns the most users a step held and the best registrations/s of a step."""
    print(
        f"{'users':>5} {'s':>5} {'req/s':>7} {'request':10} {'n':>6} {'per s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'err':>5}"
    )
    held, best_registrations = 0, 0.0
    for step in report["steps"]:
        first = True
        for name, row in step["per_name"].items():
            head = f"{step['users']:5} {step['seconds']:5.0f} {step['rate']:7.1f}" if first else " " * 19
            print(
                f"{head} {name:10} {row['count']:6} {row['rate']:6.1f} {row['p50']:6.0f} {row['p95']:6.0f} "
                f"{row['p99']:6.0f} {row['errors']:5}"
            )
            first = False
        reasons = Counter()
        for row in step["per_name"].values():
            reasons.update(row["reasons"])
        note = step["verdict"] or ("held" if not step["cut_short"] else "cut short")
        detail = "; ".join(f"{reason} x{n}" for reason, n in reasons.most_common(3))
        print(
            f"{'':19} {'all':10} {step['requests']:6} {step['rate']:6.1f} {'':6} {step['p95']:6.0f} {'':6} "
            f"{step['errors']:5}  {step['error_rate']:.1%} errors: {note}{' (' + detail + ')' if detail else ''}"
        )
        if not step["verdict"] and not step["cut_short"]:
            held = max(held, step["users"])
        registrations = step["per_name"].get("register", {})
        best_registrations = max(best_registrations, registrations.get("ok", 0) / step["seconds"])
    return held, best_registrations


def run():
    from django.db import connection

    work = Path(os.environ["BOAI_VAR_DIR"]) / "load" / connection.vendor  # one run per database at a time
    work.mkdir(parents=True, exist_ok=True)
    token, cookie, session, clerk_id = staff_credentials()
    plain = registration_bodies(name=NAME, region=REGION, first=0, n=max(RAW, WARM + BURST), per_day=100)
    raw = raw_inserts(plain[:RAW])  # the raw and bare-view rows go to bench_registration, not the registry
    _first, reg_bodies = reserve_bodies(WARM + BURST)
    reg_keys = [str(uuid.uuid4()) for _ in reg_bodies]
    first, bodies = reserve_bodies(MAX_REQUESTS)
    connection.close()

    port = free_port()
    proc = serve("bench.bare_wsgi:application", port)
    try:
        post_all(port=port, path="/bench/insert", bodies=plain[:WARM], concurrency=CLIENTS)
        bare = post_all(port=port, path="/bench/insert", bodies=plain[WARM : WARM + BURST], concurrency=CLIENTS)
    finally:
        stop(proc)

    port = free_port()
    no_search_limit = {"BOAI_RATE_SEARCH": "1000000/m"}  # one staff user searching for everyone
    proc = serve("config.wsgi", port, env=no_search_limit)
    try:
        post_all(port=port, path=REGISTER, bodies=reg_bodies[:WARM], concurrency=CLIENTS, token=token, keys=reg_keys)
        api = post_all(
            port=port, path=REGISTER, bodies=reg_bodies[WARM:], concurrency=CLIENTS, token=token, keys=reg_keys[WARM:]
        )
        acks = [
            {
                "key": reg_keys[WARM + i],
                "id_number": reg_bodies[WARM + i]["id_number"],
                "id": a["id"],
                "number": a["number"],
            }
            for i, a in api["acks"]
        ]
        body_keys = [str(uuid.uuid4()) for _ in bodies]
        bodies_path, acks_path = work / "bodies.jsonl", work / "acks.jsonl"
        with open(bodies_path, "w", encoding="utf-8") as out:
            for key, body in zip(body_keys, bodies, strict=True):
                out.write(json.dumps({"key": key, "body": body}, ensure_ascii=False) + "\n")
        acks_path.write_text("", encoding="utf-8")
        conf = {
            "port": port,
            "token": token,
            "session_cookie": cookie,
            "session": session,
            "bodies": str(bodies_path),
            "acks": str(acks_path),
            "report": str(work / "report.json"),
            "steps": STEPS,
            "step_seconds": STEP_SECONDS,
            "max_seconds": MAX_SECONDS,
            "max_requests": MAX_REQUESTS,
            "p95_ms": P95_MS,
            "max_error_rate": MAX_ERRORS,
            "wait": WAIT,
            "search_name": NAME,
            "prefecture": PREFECTURE,
        }
        Path(conf["report"]).unlink(missing_ok=True)
        started = time.perf_counter()
        report = run_locust(conf, work)
        locust_seconds = time.perf_counter() - started
    finally:
        stop(proc)

    print(f"\n-- load: registrations, staff searches, dashboard reads (locust, {locust_seconds:.0f} s; times in ms)")
    held, best_registrations = print_steps(report)
    print(
        f"stopped: {report['stopped']}; concurrency reached: {held} users held the limits "
        f"(p95 <= {P95_MS:,.0f} ms, errors <= {MAX_ERRORS:.0%})"
    )

    release_bodies(first, len(bodies), report["bodies_used"])
    with open(work / "acks.jsonl", encoding="utf-8") as lines:
        acks += [json.loads(line) for line in lines if line.strip()]
    sent = dict(zip(reg_keys[WARM:], (b["id_number"] for b in reg_bodies[WARM:]), strict=True))
    used = report["bodies_used"]
    sent.update(zip(body_keys[:used], (b["id_number"] for b in bodies[:used]), strict=True))
    for line in exactly_once(acks, clerk_id, sent):
        print(line)

    print(f"\n-- inserts per second, same run ({CLIENTS} clients over HTTP, {BURST} requests each)")
    print(f"{'figure':44} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    print(f"{'raw INSERT, registration shape, 1 writer':44} {raw:8.1f}")
    for label, result in (("bare Django view, one insert", bare), ("POST /api/v1/registrations/ alone", api)):
        print(
            f"{label:44} {result['rate']:8.1f} {result['p50'] * 1000:8.1f} {result['p95'] * 1000:8.1f} "
            f"{len(result['failures']):7}"
        )
    print(f"{'registrations/s in the mixed load (best step)':44} {best_registrations:8.1f}   (users think)")
    print(
        f"HTTP registrations/s / raw inserts/s: {api['rate'] / raw:.3f}; "
        f"HTTP registrations/s / bare-view inserts/s: {api['rate'] / bare['rate']:.2f}"
    )
