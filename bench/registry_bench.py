"""Look-ups on a large registry (PostgreSQL, after gen_synthetic): exact ID look-up and a filtered
list page, p95 over many tries, each against a baseline measured in the same run and in turns with it:
a primary-key fetch of the same columns (and, as before, of the whole row); the health check page."""

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


def interleaved(fns, tries):
    """Each of ``fns`` timed ``tries`` times, taking turns, so that a burst of noise on the machine
    falls on all of them alike rather than on whichever ran during it."""
    samples = [[] for _ in fns]
    for _ in range(tries):
        for fn, into in zip(fns, samples, strict=True):
            start = time.perf_counter()
            fn()
            into.append(time.perf_counter() - start)
    return samples


def main(tries: int = 300) -> None:
    import django

    django.setup()
    from django.test import Client

    from boai.accounts.models import User
    from boai.registry.models import Registration
    from boai.registry.selectors import LIST_COLUMNS, registration_list, registration_rows

    total = Registration.objects.count()
    admin = User.objects.get(username="bench_admin")
    rng = random.Random(1)  # noqa: S311
    max_id = Registration.objects.order_by("-id").values_list("id", flat=True).first()
    sample_ids = [rng.randrange(1, max_id) for _ in range(tries)]
    people = list(Registration.objects.filter(pk__in=sample_ids).only("id", "id_number", "phone", "region"))
    # The look-up is what the staff list runs for a full ID number (its columns, the county joined); the
    # baseline fetches the same columns and county by primary key, and, as before, the whole row alone.
    same_shape = Registration.objects.select_related("region").only(*LIST_COLUMNS)
    pk_samples, row_samples, id_samples = interleaved(
        [
            lambda: same_shape.filter(pk=rng.choice(sample_ids)).first(),
            lambda: Registration.objects.filter(pk=rng.choice(sample_ids)).first(),
            lambda: list(registration_rows(user=admin, search=rng.choice(people).id_number)[:25]),
        ],
        tries,
    )

    # A prefecture's branch staff (bench_clerk: Kunming, RC530100, sees 5301%): its active registrations,
    # pages 1-20 and the last page, each with the total count the page shows.
    user = User.objects.get(username="bench_clerk")
    clerk = Client()
    clerk.force_login(user)
    url = "/workspace/registrations/?status=active&page="
    shown = registration_list(user=user, status="active").count()
    last = max(1, -(-shown // 25))
    body = clerk.get(f"{url}{last}").content.decode()
    count_shown = str(shown) in body or f"{shown:,}" in body
    health, pages, last_pages = interleaved(
        [
            lambda: clerk.get("/healthz"),
            lambda: clerk.get(f"{url}{rng.randrange(1, 21)}"),
            lambda: clerk.get(f"{url}{last}"),
        ],
        tries // 3,
    )
    print(f"registry of {total:,} registrations on {django.db.connection.vendor}")
    print(f"{'figure':38} {'p95 ms':>10} {'baseline':>10} {'ratio':>8}")
    print(
        f"{'exact ID look-up (blind index)':38} {p95(id_samples):10.2f} {p95(pk_samples):10.2f} "
        f"{p95(id_samples) / p95(pk_samples):7.1f}x   (baseline: primary-key fetch of the same columns; target < 1.5x)"
    )
    print(
        f"{'  the same, against a whole-row fetch':38} {p95(id_samples):10.2f} {p95(row_samples):10.2f} "
        f"{p95(id_samples) / p95(row_samples):7.1f}x   (baseline: primary-key fetch of the row, no county)"
    )
    for label, samples in (("list page 1-20 (prefecture, active)", pages), (f"list last page ({last:,})", last_pages)):
        print(
            f"{label:38} {p95(samples):10.2f} {p95(health):10.2f} "
            f"{p95(samples) / p95(health):7.1f}x   (baseline: /healthz page; target < 5x)"
        )
    print(f"the list shows its count ({shown:,} active registrations in 5301): {'yes' if count_shown else 'NO'}")


if __name__ == "__main__":
    main()
