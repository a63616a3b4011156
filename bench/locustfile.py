"""Locust's side of the load bench: started by bench/load_bench.py as its own process (locust patches
the standard library with gevent, so it never runs inside a Django process), headless, against a
gunicorn on a loopback port. Everything it needs comes from the JSON file named by BENCH_LOAD_CONF:
the API token, a staff session, the registration bodies with their Idempotency-Keys, where to write
the acknowledgements and the report, and the steps and limits.

Each simulated user, after a think time, does one of (weights 6 : 3 : 1):
- register: POST /api/v1/registrations/ with the next unused body and its Idempotency-Key (the token's
  user is the API client); a 201 is an acknowledgement, written at once, one JSON line, to the acks file;
- search: POST /api/v1/registrations/search/ (staff searching by name, or by an exact ID number
  registered earlier in the run);
- dashboard: GET /workspace/stats/data/ with the staff session (the province, or a prefecture's
  drill-down).

The shape raises the users step by step; at the end of each step it judges that step (error rate and
p95 over all its requests) and stops when a limit is passed, after the last step, at the time cap or
at the request cap; locust's --run-time is a second, hard, time cap."""

import json
import math
import os
import random
import time

from locust import FastHttpUser, LoadTestShape, between, events, task

with open(os.environ["BENCH_LOAD_CONF"], encoding="utf-8") as conf_file:
    CONF = json.load(conf_file)
with open(CONF["bodies"], encoding="utf-8") as bodies_file:
    BODIES = [json.loads(line) for line in bodies_file]
ACKS = open(CONF["acks"], "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run, flushed per line
STEPS = [int(n) for n in CONF["steps"]]
SESSION_COOKIE = f"{CONF['session_cookie']}={CONF['session']}"

STATE = {"step": 0, "next_body": 0, "step_started": {}, "judged": [], "stopped": ""}
SAMPLES: dict[int, dict[str, dict]] = {}  # step -> request name -> {"times": [ms], "errors": {reason: n}, "ok": n}
REGISTERED: list[str] = []  # ID numbers acknowledged, for exact searches


def percentile(times: list[float], q: float) -> float:
    """Nearest rank: the smallest time that at least q of the requests took no longer than."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else 0.0


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception=None, **kwargs):
    bucket = SAMPLES.setdefault(STATE["step"], {}).setdefault(name, {"times": [], "errors": {}, "ok": 0})
    bucket["times"].append(response_time)
    if exception is None:
        bucket["ok"] += 1
    else:
        reason = str(exception)[:80]
        bucket["errors"][reason] = bucket["errors"].get(reason, 0) + 1


def step_summary(step: int, ended: float) -> dict:
    names = SAMPLES.get(step, {})
    seconds = max(ended - STATE["step_started"].get(step, ended), 1e-9)
    per_name = {}
    for name, bucket in sorted(names.items()):
        times = bucket["times"]
        per_name[name] = {
            "count": len(times),
            "ok": bucket["ok"],
            "errors": sum(bucket["errors"].values()),
            "reasons": bucket["errors"],
            "rate": len(times) / seconds,
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
        }
    every = [t for bucket in names.values() for t in bucket["times"]]
    errors = sum(sum(bucket["errors"].values()) for bucket in names.values())
    return {
        "step": step,
        "users": STEPS[min(step, len(STEPS) - 1)],
        "seconds": seconds,
        "requests": len(every),
        "rate": len(every) / seconds,
        "errors": errors,
        "error_rate": errors / len(every) if every else 0.0,
        "p95": percentile(every, 0.95),
        "per_name": per_name,
    }


def verdict(summary: dict) -> str:
    """Why the step passed a limit, or "" when it held."""
    if summary["requests"] and summary["error_rate"] > CONF["max_error_rate"]:
        return f"error rate {summary['error_rate']:.1%} > {CONF['max_error_rate']:.0%}"
    if summary["p95"] > CONF["p95_ms"]:
        return f"p95 {summary['p95']:,.0f} ms > {CONF['p95_ms']:,.0f} ms"
    return ""


def write_report() -> None:
    """The steps judged so far, as JSON for load_bench.py (rewritten after each step: a run cut short
    still leaves its steps)."""
    report = {"steps": STATE["judged"], "stopped": STATE["stopped"], "bodies_used": STATE["next_body"]}
    with open(CONF["report"], "w", encoding="utf-8") as report_file:
        json.dump(report, report_file)


def judge(step: int, *, cut_short: bool = False) -> str:
    """Close ``step``: its summary joins the report with its verdict ("" when it held)."""
    summary = step_summary(step, time.perf_counter())
    summary["verdict"] = verdict(summary)
    summary["cut_short"] = cut_short
    STATE["judged"].append(summary)
    write_report()
    return summary["verdict"]


class RisingSteps(LoadTestShape):
    def tick(self):
        elapsed = self.get_run_time()
        step = int(elapsed // CONF["step_seconds"])
        current = STATE["step"]
        if step != current and current in STATE["step_started"]:  # the step under way has ended
            STATE["step"] = step
            reason = judge(current)
            if reason:
                STATE["stopped"] = f"{reason} at {STEPS[current]} users"
                return None
        total = self.runner.stats.total.num_requests if self.runner else 0
        if step >= len(STEPS):
            STATE["stopped"] = f"every step held, up to {STEPS[-1]} users"
        elif elapsed > CONF["max_seconds"]:
            STATE["stopped"] = f"time cap ({CONF['max_seconds']} s)"
        elif total >= CONF["max_requests"]:
            STATE["stopped"] = f"request cap ({CONF['max_requests']:,} requests)"
        elif STATE["next_body"] >= len(BODIES):
            STATE["stopped"] = f"registration bodies used up ({len(BODIES):,})"
        if STATE["stopped"]:
            return None
        STATE["step"] = step
        STATE["step_started"].setdefault(step, time.perf_counter())
        return STEPS[step], STEPS[step]  # all of the step's users started within a second


@events.test_stop.add_listener
def on_stop(**kwargs):
    current = STATE["step"]
    if current in STATE["step_started"] and current not in [s["step"] for s in STATE["judged"]]:
        judge(current, cut_short=True)  # the step under way when a cap stopped the run
    STATE["stopped"] = STATE["stopped"] or "stopped by locust (--run-time)"
    write_report()
    ACKS.flush()


class RegistryUser(FastHttpUser):
    wait_time = between(*CONF["wait"])
    network_timeout = 30.0
    connection_timeout = 10.0
    api_headers = {"Authorization": f"Token {CONF['token']}"}

    @task(6)
    def register(self):
        if STATE["next_body"] >= len(BODIES):
            return
        item = BODIES[STATE["next_body"]]
        STATE["next_body"] += 1
        headers = {**self.api_headers, "Idempotency-Key": item["key"]}
        with self.client.post(
            "/api/v1/registrations/", json=item["body"], headers=headers, name="register", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}")
                return
            answer = response.json()
            ack = {"key": item["key"], "id": answer["id"], "number": answer["number"]}
            ACKS.write(json.dumps({**ack, "id_number": item["body"]["id_number"]}) + "\n")
            ACKS.flush()
            REGISTERED.append(item["body"]["id_number"])
            response.success()

    @task(3)
    def search(self):
        term = random.choice(REGISTERED) if REGISTERED and random.random() < 0.5 else CONF["search_name"]
        with self.client.post(
            "/api/v1/registrations/search/",
            json={"search": term},
            headers=self.api_headers,
            name="search",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif term != CONF["search_name"] and not response.json().get("results"):
                response.failure("a registered ID number was not found")
            else:
                response.success()

    @task(1)
    def dashboard(self):
        query = random.choice(["", f"?region={CONF['prefecture']}"])
        with self.client.get(
            f"/workspace/stats/data/{query}",
            headers={"Cookie": SESSION_COOKIE},
            name="dashboard",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
