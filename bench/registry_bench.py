"""Look-ups on a large registry (PostgreSQL, after gen_synthetic): exact ID look-up and a filtered
list page, p95 over many tries, each against a baseline measured in the same run (a primary-key
fetch; the health check page)."""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def p95(samples):
    return statistics.quantiles(samples, n=20)[18] * 1000


def timed(fn, tries):
    samples = []
    for _ in range(tries):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def main(tries: int = 300) -> None:
    import django

    django.setup()
    from django.test import Client

    from boai.accounts.models import User
    from boai.registry.models import Registration
    from boai.registry.selectors import registration_list

    total = Registration.objects.count()
    admin = User.objects.get(username="bench_admin")
    rng = random.Random(1)  # noqa: S311
    max_id = Registration.objects.order_by("-id").values_list("id", flat=True).first()
    sample_ids = [rng.randrange(1, max_id) for _ in range(tries)]
    people = list(Registration.objects.filter(pk__in=sample_ids).only("id", "id_number", "phone", "region"))
    pk_samples = timed(lambda: Registration.objects.filter(pk=rng.choice(sample_ids)).first(), tries)
    id_samples = timed(lambda: list(registration_list(user=admin, search=rng.choice(people).id_number)[:25]), tries)

    clerk = Client()
    clerk.force_login(User.objects.get(username="bench_clerk"))
    health = timed(lambda: clerk.get("/healthz"), tries // 3)
    pages = timed(lambda: clerk.get(f"/workspace/registrations/?status=active&page={rng.randrange(1, 20)}"), tries // 3)
    print(f"registry of {total:,} registrations on {django.db.connection.vendor}")
    print(f"{'figure':38} {'p95 ms':>10} {'baseline':>10} {'ratio':>8}")
    print(
        f"{'exact ID look-up (blind index)':38} {p95(id_samples):10.2f} {p95(pk_samples):10.2f} "
        f"{p95(id_samples) / p95(pk_samples):7.1f}x   (baseline: primary-key fetch; target < 5 ms)"
    )
    print(
        f"{'filtered list page (county, active)':38} {p95(pages):10.2f} {p95(health):10.2f} "
        f"{p95(pages) / p95(health):7.1f}x   (baseline: /healthz page; target < 100 ms)"
    )


if __name__ == "__main__":
    main()
