"""Two or more writes at the same moment, for the PostgreSQL tests of row locks (every app's race tests)."""

import threading

from django.db import connection

from boai.core.errors import DomainError


def race(*calls) -> list[str]:
    """Run ``calls`` in threads released together; each outcome is "saved" or the refusal's code, sorted."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(fn):
        try:
            barrier.wait()
            fn()
            outcomes.append("saved")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)
