"""A faster bulk insert for large imports: the same field preparation as Model.save() (encryption,
blind indexes, auto timestamps, JSON), but prepared once per column instead of once per value: one
SM4 encrypter per encrypted column (``crypto.encrypter``), one keyed HMAC per blind index, plain
values of plain columns passed as they are. On PostgreSQL the rows go in with COPY, elsewhere with
one prepared INSERT run with executemany. Callers take the new ids beforehand (``new_ids``, PostgreSQL) or
look them up afterwards by a unique key."""

import collections
import inspect
import json
import operator
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.utils import timezone, translation

from boai.lib import crypto

from .fields import NORMALISERS, BlindIndexField, EncryptedTextField, YearOfField

# columns whose Python value of this exact type is already what the database takes
_PLAIN = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
}


def _preparer(field):
    """obj -> the value bound for ``field``, as ``field.get_db_prep_save(field.pre_save(obj, True))``."""
    if isinstance(field, BlindIndexField):
        normalise, index = NORMALISERS[field.kind], crypto.blind_indexer(purpose=field.kind)
        source, attname = field.source, field.attname

        def blind(obj):
            value = getattr(obj, source)
            normalised = normalise(value) if value else ""
            result = index(normalised) if normalised else None  # as fields.index_for
            setattr(obj, attname, result)  # as BlindIndexField.pre_save
            return result

        return blind
    if isinstance(field, EncryptedTextField) and type(field).pre_save is models.Field.pre_save:
        encrypt, plaintext, attname = crypto.encrypter(context=field.crypto_context), field.plaintext, field.attname

        def encrypted(obj):
            value = plaintext(getattr(obj, attname))
            return value if value is None or value == "" else encrypt(value)

        return encrypted
    if type(field) is YearOfField:
        source, attname = field.source, field.attname

        def year(obj):  # as YearOfField.pre_save; a year is an int, bound as it is
            day = getattr(obj, source)
            value = day.year if day else None
            setattr(obj, attname, value)
            return value

        return year
    generic = lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)  # noqa: E731
    if isinstance(field, (models.DateField, models.TimeField)) and (field.auto_now or field.auto_now_add):
        return _stamped(field)  # DateTimeField is a DateField
    if type(field) is models.ForeignKey and type(field.target_field) in (models.AutoField, models.BigAutoField):
        attname = field.attname

        def key(obj):  # a new row's own parent (one id per row): an int id is bound as it is
            value = getattr(obj, attname)
            return value if value is None or type(value) is int else generic(obj)

        return key
    if type(field) in (models.DateField, models.DateTimeField, models.TimeField, models.ForeignKey):
        return _memoised(field)  # their pre_save, without auto_now, is the attribute's value
    if type(field) is models.JSONField:
        if connection.vendor == "postgresql" and field.encoder is None:  # COPY takes JSON's text as it is:
            return _memoised(field, key=_json_key, prepare=_json_text)  # dumped once, not once per row
        return _memoised(field, key=_json_key)
    plain = _PLAIN.get(type(field))
    if plain is None or type(field).pre_save is not models.Field.pre_save:
        return generic
    attname = field.attname

    def simple(obj):
        value = getattr(obj, attname)
        if value is None or type(value) is plain or (plain is str and isinstance(value, str)):
            return value  # a choice (a str enum member) is bound as the str it is, as generic binds it
        return generic(obj)

    return simple


def _stamped(field):
    """auto_now / auto_now_add: one moment for the whole batch (as one bulk INSERT), set on each object."""
    stamp = []

    def stamped(obj):
        if not stamp:
            value = field.pre_save(obj, True)
            stamp.append((value, field.get_db_prep_save(value, connection)))
        setattr(obj, field.attname, stamp[0][0])
        return stamp[0][1]

    return stamped


def _json_key(value):
    """A list of strings (organs, tissues: a handful of choices, some of them str enum members, which
    JSON writes as their text) as the tuple of those texts, a boolean or null as a key; anything else:
    none."""
    if type(value) is list and all(isinstance(v, str) for v in value):
        return tuple(str.__str__(v) for v in value)
    if value is None or type(value) is bool:
        return (type(value), value)
    return None


def _json_text(value):
    return None if value is None else json.dumps(value)  # None is SQL NULL, as JSONField binds it


def _memoised(field, key=lambda value: (type(value), value), prepare=None):
    """Dates, moments, keys, lists of choices: the same value (one "now" for a whole list) prepared once,
    by ``prepare`` if given (what insert_rows binds on this database), else as the field does."""
    attname, prepared = field.attname, {}

    def memoised(obj):
        value = getattr(obj, attname)
        k = key(value)
        if k is None:
            return field.get_db_prep_save(value, connection)
        if k not in prepared:
            prepared[k] = field.get_db_prep_save(value, connection) if prepare is None else prepare(value)
        return prepared[k]

    return memoised


def instances(model, rows) -> list:
    """Unsaved ``model`` instances from dicts of attribute values (``region_id``, not ``region``), the
    fields a dict leaves out at their defaults: the same objects ``model(**row)`` makes, built by
    position as ``Model.from_db`` builds them, which takes half the time over a hundred thousand rows."""
    fields = model._meta.concrete_fields
    at = {f.attname: i for i, f in enumerate(fields)}
    fresh = {f.attname: f for f in fields if f.has_default() and callable(f.default)}  # a new list per row
    template = [None if f.attname in fresh else f.get_default() for f in fields]
    build = _builder(model)
    made = []
    for row in rows:
        values = template.copy()
        for attname, field in fresh.items():
            if attname not in row:
                values[at[attname]] = field.get_default()
        for attname, value in row.items():
            values[at[attname]] = value  # a name that is no field: KeyError, as model(**row) would refuse it
        made.append(build(values))
    return made


def _builder(model):
    """values (every concrete field, in order) -> a new unsaved instance. ``Model.__init__`` with
    every value given by position sets a fresh ModelState and each attribute, and sends pre_init and
    post_init: where nothing listens to those, no field's attribute does anything when set (a foreign
    key's id only forgets a cached parent a new object has not got), and the model keeps Django's
    __init__, the same object is built directly, in a third of the time."""
    attnames = [f.attname for f in model._meta.concrete_fields]
    plain = (
        model.__init__ is models.Model.__init__
        and model.__setattr__ is object.__setattr__
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and all(
            not hasattr(type(inspect.getattr_static(model, name, None)), "__set__")
            or type(inspect.getattr_static(model, name)) is ForeignKeyDeferredAttribute
            for name in attnames
        )
    )
    if not plain:
        return lambda values: model(*values)
    new, state = model.__new__, ModelState

    def build(values):
        obj = new(model)
        obj._state = state()
        obj.__dict__.update(zip(attnames, values, strict=True))
        return obj

    return build


def insertable_fields(model, *, with_ids: bool = False) -> list:
    """The columns ``insert_rows`` writes: all but a numbered id, unless the ids were taken (``new_ids``)."""
    return [f for f in model._meta.local_concrete_fields if with_ids or not (f.primary_key and f.auto_created)]


def new_ids(model, n: int) -> list | None:
    """``n`` ids for new rows of ``model``, in ascending order, taken from its id's sequence on
    PostgreSQL: an import knows each row's id before the row is written (and sends its consent records
    along) instead of looking the ids up afterwards. Values taken are never handed out again, even if
    the transaction rolls back (a gap, as any failed insert leaves). None on a database without
    sequences (SQLite): the database numbers the rows as they are inserted."""
    pk = model._meta.pk
    if connection.vendor != "postgresql" or not (pk.auto_created and isinstance(pk, models.AutoField)):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), pk.column, n],
        )
        return sorted(row[0] for row in cursor.fetchall())


def rows_for(model, objects, *, with_ids: bool = False) -> list:
    """The values ``insert_rows`` binds for each object (encrypted, indexed, stamped), in the order of
    ``insertable_fields``; ``with_ids``: each object's id too (set from ``new_ids``). Touches no
    database: an import prepares its next batch in a thread (``ahead``) while this one is being written."""
    preparers = [
        operator.attrgetter(f.attname) if f.primary_key and f.auto_created else _preparer(f)
        for f in insertable_fields(model, with_ids=with_ids)
    ]
    return [[prepare(obj) for prepare in preparers] for obj in objects]


def rows_alike(model, values: dict, attname: str, ids) -> list:
    """``rows_for`` of objects alike but for the foreign key ``attname`` (a consent record for each new
    registration): ``values`` prepared once, then one row for each id in ``ids``. Refused for a model
    with an encrypted or indexed column (each of its values is prepared apart: a nonce is never used
    twice, and an index follows its own value), a unique column, or a default made for each row (a
    token) that ``values`` leaves out: copied, these would be the same in every row."""
    fields = insertable_fields(model)
    if any(isinstance(f, (EncryptedTextField, BlindIndexField)) for f in fields):
        raise ValueError(f"{model.__name__} has encrypted or indexed columns: use rows_for")
    if any(
        f.attname != attname and (f.unique or (f.has_default() and callable(f.default) and f.attname not in values))
        for f in fields
    ):
        raise ValueError(f"{model.__name__} has a unique column or a default made for each row: use rows_for")
    at = [f.attname for f in fields].index(attname)
    if type(fields[at]) is not models.ForeignKey:
        raise ValueError(f"{attname} is not a foreign key")
    (template,) = rows_for(model, instances(model, [{**values, attname: None}]))
    rows = []
    for pk in ids:
        row = template.copy()
        row[at] = pk  # an id is bound as it is (as rows_for binds it)
        rows.append(row)
    return rows


def insert_rows(model, rows, *, with_ids: bool = False) -> None:
    """Write the rows of ``rows_for`` (made with the same ``with_ids``)."""
    if not rows:
        return
    fields = insertable_fields(model, with_ids=with_ids)
    qn = connection.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # identifiers from the model
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        cursor.executemany(sql, rows)


def ahead(prepare, items):
    """``prepare(item)`` for each item, in order, each one prepared in a thread while the caller works on
    the one before: an import's Python work (encryption, building rows) goes on while the database
    writes the previous batch, so the two use both cores. ``prepare`` must not touch the database: the
    thread has no share in the caller's transaction. It runs in the caller's active time zone and
    language. At most three batches exist at a time (the caller's, the next one ready, and the
    one after in the making); an error in ``prepare`` is raised here, when its result is due.

    A thread, not a process: the import runs in a Celery worker, whose processes may not start
    processes of their own ("daemonic processes are not allowed to have children"), and a second
    Django process would take the import past its memory budget."""
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def in_callers_context(item):  # Django keeps the active time zone and language per thread
        with timezone.override(zone), translation.override(language):
            return prepare(item)

    pool, waiting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="boai-ahead"), collections.deque()
    try:
        for item in items:
            waiting.append(pool.submit(in_callers_context, item))
            if len(waiting) > 1:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
    finally:  # the caller failed or stopped early: what is still waiting is dropped, not prepared
        pool.shutdown(wait=True, cancel_futures=True)
