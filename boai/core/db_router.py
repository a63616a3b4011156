"""Read replicas for the statistics. When ``BOAI_REPLICA_DATABASE_URL`` is set, settings add a
``replica`` database; the reads made inside ``replica_reads()`` go there. Only the statistics enter it
(the dashboard's and the annual figures' selectors): their numbers may lag the primary by the
replication delay, which a chart can afford and a registration desk cannot. Everything else, and every
write (also one made inside the context), goes to ``default``; so does a read inside a transaction on
``default``, which must see its own writes. Without a replica the context changes nothing."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("boai_reading_replica", default=False)


@contextmanager
def replica_reads():
    """Reads inside go to the replica when there is one (``with replica_reads():`` or ``@replica_reads()``)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reading_replica.get()
            and replica_configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block  # a transaction reads its own writes
        ):
            return REPLICA
        return None  # Django's choice: the instance's own database, else default

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of default: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows default by replication, never migrated itself
