"""Two or more writes at the same moment, for the PostgreSQL tests of row locks (every app's race tests)."""

import threading

from django.db import connection, transaction

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


def attempt(fn):
    """``fn()``'s result, or the repr of what it raised: for a test that compares what each writer got."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
        return repr(exc)


class Meanwhile:
    """A second write, in a thread and a transaction of its own, run while the first write waits at a
    chosen point: the first calls ``pause()`` there, which starts the second and returns once it has
    finished or waits for a lock (seen in pg_stat_activity); ``outcome()`` then waits for it to end and
    gives "saved" or the repr of its error. Two writers that would wait for each other in a circle end
    with PostgreSQL undoing one of them ("deadlock detected")."""

    def __init__(self, write):
        self.write, self.done, self.result, self.thread = write, threading.Event(), None, None

    def _run(self):
        try:
            self.result = attempt(lambda: self._saved())
        finally:
            self.done.set()
            connection.close()

    def _saved(self):
        with transaction.atomic():  # as a form or the API calls a service
            self.write()
        return "saved"

    def pause(self, seconds: float = 30) -> None:
        if self.thread is not None:
            return
        self.thread = threading.Thread(target=self._run)
        self.thread.start()
        for _ in range(int(seconds * 20)):
            if self.done.wait(0.05):
                return
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
                if cur.fetchone()[0]:
                    return
        raise AssertionError("the other writer neither finished nor waited")

    def outcome(self, seconds: float = 60):
        if self.thread is not None:
            self.thread.join(seconds)
        return self.result
