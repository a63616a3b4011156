"""The registration tally (``RegistrationTally``): the counted figure kept in step with the
registrations, in the writer's own transaction (the services and the workflow's erasure call it; the
services export its names). ``tally_keys`` is the one place that says which rows a
registration counts in (``tally_deltas`` for many at once); ``tally_apply`` adds deltas with an
UPSERT (keys sorted, so that two writers lock the rows in the same order and never deadlock);
``tally_rebuild`` recounts everything."""

from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from .models import Registration, RegistrationTally
from .selectors import age_group, wish_kinds

KEY_FIELDS = (
    "signed_on",
    "region_id",
    "sex",
    "birth_year",
    "ethnic_group",
    "channel",
    "campaign",
    "organs",
    "tissues",
    "body",
    "status",
    "erased_at",
)

Key = tuple[date, str, str, str]  # (month, county, dimension, value)


def listed_as(status, erased_at) -> str:
    """The "status" dimension's value: the status, or "erased" (the staff list never shows erased rows)."""
    return "erased" if erased_at else (status or "")


def keys_of(
    signed_on, region_id, sex, birth_year, ethnic_group, channel, campaign, organs, tissues, body, status, erased_at
) -> list[Key]:
    """The tally rows one registration counts in, from its columns (``KEY_FIELDS``, in that order).
    Dimension "status" is what the staff list counts from (``selectors.registration_count``)."""
    month = signed_on.replace(day=1)
    keys = [(month, region_id, "total", "")]
    keys.append((month, region_id, "sex", sex or ""))
    if birth_year is not None:
        keys.append((month, region_id, "age_group", age_group(signed_on.year - birth_year)))
    keys.append((month, region_id, "ethnic_group", ethnic_group or ""))
    keys.append((month, region_id, "channel", channel or ""))
    keys.append((month, region_id, "campaign", campaign or ""))
    keys += [(month, region_id, "wish", kind) for kind in wish_kinds(organs, tissues, body)]
    keys.append((month, region_id, "status", listed_as(status, erased_at)))
    return keys


def _counted(reg: Registration) -> tuple:
    """``keys_of``'s arguments for ``reg`` (saved or not), hashable: registrations alike in every counted
    respect give equal tuples."""
    field = Registration._meta.get_field  # an unsaved one may hold a date as text (a held entry's data)
    signed_on = field("signed_on").to_python(reg.signed_on) or timezone.localdate(reg.registered_at)
    birth_date = field("birth_date").to_python(reg.birth_date)
    birth_year = birth_date.year if birth_date else reg.birth_year
    organs, tissues = reg.organs, reg.tissues
    return (
        signed_on,
        reg.region_id,
        reg.sex,
        birth_year,
        reg.ethnic_group,
        reg.channel,
        reg.campaign,
        tuple(organs) if isinstance(organs, list) else organs,
        tuple(tissues) if isinstance(tissues, list) else tissues,
        reg.body,
        reg.status,
        reg.erased_at,
    )


def tally_keys(reg: Registration) -> list[Key]:
    """The tally rows ``reg`` (saved or not) counts in."""
    return keys_of(*_counted(reg))


def tally_deltas(registrations) -> Counter:
    """{key: n}: the tally rows new ``registrations`` count in. Touches no database (an import counts its
    next batch in a thread, ``bulk.ahead``); registrations alike in every counted respect (an import's
    rows mostly are) are counted together, so ``keys_of`` runs once per kind of registration, not per row."""
    alike = Counter(_counted(reg) for reg in registrations)
    deltas: Counter = Counter()
    for values, n in alike.items():
        for key in keys_of(*values):
            deltas[key] += n
    return deltas


def _upsert_sql() -> str:
    table = connection.ops.quote_name(RegistrationTally._meta.db_table)
    return (
        f"INSERT INTO {table} (month, region_id, dimension, value, count) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (dimension, month, region_id, value) DO UPDATE SET count = {table}.count + excluded.count"
    )


def tally_apply(deltas: Counter) -> None:
    """Add ``deltas`` ({key: +n or -n}) to the tally, in the caller's transaction."""
    rows = [(*key, n) for key, n in sorted(deltas.items()) if n]
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), rows)


def tally_add(registrations) -> None:
    """Count new registrations (created one by one or in bulk)."""
    tally_apply(tally_deltas(registrations))


def tally_change(before: list[Key], reg: Registration) -> None:
    """A registration whose counted fields may have changed: ``before`` = ``tally_keys`` taken before."""
    deltas: Counter = Counter(tally_keys(reg))
    deltas.subtract(Counter(before))
    tally_apply(deltas)


def tally_status_moved(move) -> None:
    """The registration workflow's ``record``: a step that changed the status (saved just before, same
    transaction) moves the registration's count in dimension "status" (an erasure moves it in its effect)."""
    reg = move.obj
    before, after = listed_as(move.from_state, reg.erased_at), listed_as(reg.status, reg.erased_at)
    if before != after:
        signed_on = Registration._meta.get_field("signed_on").to_python(reg.signed_on)
        month = signed_on.replace(day=1)
        tally_apply(Counter({(month, reg.region_id, "status", after): 1, (month, reg.region_id, "status", before): -1}))


def tally_recount(registration_model=Registration) -> Counter:
    """Every tally row counted afresh from the registrations."""
    counts: Counter = Counter()
    rows = registration_model.objects.order_by().values_list(*KEY_FIELDS)
    for row in rows.iterator(chunk_size=20000):
        if row[0] is not None:
            counts.update(keys_of(*row))
    return counts


def tally_rebuild(registration_model=Registration, tally_model=RegistrationTally) -> dict:
    """Recount the tally and replace it. Returns the rows that differed: {key: (was, is)}. On PostgreSQL
    registrations wait while it runs (a registration committed between the recount and the replacement
    would otherwise be lost from the tally)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(registration_model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")  # noqa: S608 - our own table name
        counts = tally_recount(registration_model)
        was = {
            (t.month, t.region_id, t.dimension, t.value): t.count
            for t in tally_model.objects.all().iterator(chunk_size=20000)
        }
        differences = {
            key: (was.get(key, 0), counts.get(key, 0))
            for key in set(was) | set(counts)
            if was.get(key, 0) != counts.get(key, 0)
        }
        tally_model.objects.all().delete()
        tally_model.objects.bulk_create(
            [
                tally_model(month=m, region_id=r, dimension=d, value=v, count=n)
                for (m, r, d, v), n in sorted(counts.items())
                if n
            ],
            batch_size=5000,
        )
    return differences
