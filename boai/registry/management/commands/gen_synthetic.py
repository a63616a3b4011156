"""Invented registrations in bulk, encrypted and indexed exactly like real ones, for benchmarks and
load tests. Never in production.

On PostgreSQL the rows are built in worker processes (one per core: the encryption of the personal
fields is what costs; ``column_writers`` prepares each field's own encryption and blind index once, in
the same format) and written with ``COPY`` (``synchronous_commit`` off). Into an EMPTY table, one
transaction drops its secondary indexes and constraints, loads every row, rebuilds them (uniqueness and
the regions checked once, in bulk) and adds the tally: about four times less work for the server than
keeping 24 indexes up to date row by row (``--keep-indexes`` to compare). Into a table that already has
rows, each block is committed with its tally (``registry.tally``). Either way the figures equal a
recount. Elsewhere (SQLite) ``bulk_create``. The ID numbers are unique by construction: the county, a
birth date and a sequence number follow from the row's serial."""

import json
import multiprocessing
import os
import random
import secrets
import time
from collections import Counter, deque
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from boai.core.fields import NORMALISERS, BlindIndexField, EncryptedDateField, EncryptedTextField
from boai.core.models import Region
from boai.core.services import counter_next_block
from boai.lib import crypto
from boai.lib.pinyin import initials
from boai.registry.models import Registration, RegistrationTally
from boai.registry.tally import keys_of, tally_add

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强文斌海燕晓东俊丽"
ETHNIC = ["01", "01", "01", "07", "14", "18", "16", "20"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2016, 1, 1, 8, tzinfo=SHANGHAI)
CHANNELS = Registration.Channel.values
DAYS = 365 * 65  # birth dates from 1940 on


def resident_id(region: str, born: date, serial: int) -> str:
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    checksum = (1 - 2 * int(body, 13)) % 11  # stdnum's ric.calc_check_digit, without its call overhead
    return body + ("X" if checksum == 10 else str(checksum))


@cache
def _initials(name: str) -> str:
    """pypinyin's look-ups once per name: the names come from two short lists."""
    return initials(name)


def invented(serial: int, counties: list, rng: random.Random) -> dict:
    """The columns of registration number ``serial`` (clear values, before encryption)."""
    region = counties[serial % len(counties)]
    k = serial // len(counties)  # unique within the county: a birth date and a sequence number
    born = date(1940, 1, 1) + timedelta(days=k % DAYS)
    seq = (k // DAYS) % 1000
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if serial % 3 else "")
    at = START + timedelta(minutes=rng.randrange(60 * 24 * 365 * 10))
    return {
        "number": f"SY{serial:010d}",
        "name": name,
        "name_initials": _initials(name),
        "sex": "M" if seq % 2 else "F",
        "ethnic_group": rng.choice(ETHNIC),
        "id_type": "resident_id",
        "id_number": resident_id(region, born, seq),
        "birth_date": born,
        "phone": f"1{rng.choice('3589')}{serial:09d}"[-11:],
        "region_id": region,
        "address": f"{region}某路{serial % 500}号",
        "organs": ["all"] if serial % 4 else ["kidney"],
        "tissues": ["cornea"] if serial % 2 else [],
        "body": serial % 10 == 0,
        "executor_name": "和丽" if serial % 10 == 0 else "",
        "channel": rng.choice(CHANNELS),
        "status": "withdrawn" if serial % 17 == 0 else "active",
        "registered_at": at,
        "signed_on": at.date(),  # ``at`` is in Beijing time: its local date
        "verify_code": secrets.token_urlsafe(12),
    }


def _text(value) -> str:
    """A value in COPY's text format (no value here holds a tab, a newline or a backslash)."""
    if type(value) is str:
        return value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def copy_columns() -> list:
    return [f for f in Registration._meta.concrete_fields if not f.primary_key]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def column_writers() -> list:
    """For each COPY column, in order: (the key of the clear value, a function that makes its COPY text).
    The personal fields go through the same encryption and blind index as the fields' own
    ``get_prep_value`` / ``compute`` (``crypto.encrypter`` / ``blind_indexer``: the same format, prepared
    once per column); the JSON lists, a few distinct values, are formatted once each."""
    writers = []
    for f in copy_columns():
        if isinstance(f, BlindIndexField):
            index, normalise = crypto.blind_indexer(purpose=f.kind), NORMALISERS[f.kind]

            def write(value, index=index, normalise=normalise):
                normalised = normalise(value) if value else ""
                return index(normalised) if normalised else "\\N"

            writers.append((f.source, write))
        elif isinstance(f, EncryptedDateField):
            encrypt = crypto.encrypter(context=f.crypto_context)
            writers.append((f.attname, lambda value, encrypt=encrypt: encrypt(value.isoformat()) if value else "\\N"))
        elif isinstance(f, EncryptedTextField):
            encrypt = crypto.encrypter(context=f.crypto_context)
            writers.append((f.attname, lambda value, encrypt=encrypt: encrypt(value) if value else ""))
        elif f.get_internal_type() == "JSONField":
            memo = {}

            def write(value, memo=memo):
                key = tuple(value or ())
                if key not in memo:
                    memo[key] = _json(list(key))
                return memo[key]

            writers.append((f.attname, write))
        else:

            def write(value, default=None if f.null else ""):
                return _text(default if value is None else value)

            write.plain = True  # a str is its own COPY text
            writers.append((f.attname, write))
    return writers


def copy_block(job: tuple) -> tuple[bytes, Counter, float]:
    """Rows ``first`` .. ``first + n - 1`` as COPY text, their tally, and the CPU seconds spent (a worker)."""
    first, n, seed, counties, now, *counted = job
    counted = counted[0] if counted else True  # False: the server counts the rows after (tally_of_rows)
    started = time.process_time()
    rng = random.Random(seed * 1_000_003 + first)  # noqa: S311 - invented data
    # The columns invented() leaves out (and the timestamps) are the same on every row: written once,
    # in a template each row copies; the text columns go in as they are, the others through their writer.
    fixed = {"created_at": now, "updated_at": now, "version": 0}
    sample = invented(first, counties, random.Random(0)) | {"birth_year": 0}  # noqa: S311
    template, as_is, written = [], [], []
    for i, (key, write) in enumerate(column_writers()):
        template.append(write(fixed.get(key)))
        if key in sample:
            plain = type(sample[key]) is str and getattr(write, "plain", False)  # str -> as it is
            (as_is if plain else written).append((i, key) if plain else (i, key, write))
    lines, tally = [], Counter()
    for serial in range(first, first + n):
        v = invented(serial, counties, rng)
        v["birth_year"] = v["birth_date"].year
        row = template.copy()
        for i, key in as_is:
            row[i] = v[key]
        for i, key, write in written:
            row[i] = write(v[key])
        lines.append("\t".join(row))
        if counted:
            tally.update(
                keys_of(
                    v["signed_on"],
                    v["region_id"],
                    v["sex"],
                    v["birth_year"],
                    v["ethnic_group"],
                    v["channel"],
                    "",
                    v["organs"],
                    v["tissues"],
                    v["body"],
                    v["status"],
                    None,  # none is erased
                )
            )
    return ("\n".join(lines) + "\n").encode("utf-8"), tally, time.process_time() - started


# Each grouping set of tally_of_rows and the tally dimensions keys_of derives from its columns.
GROUPING_SETS = {
    "sex": ("sex", ("total", "sex")),
    "birth_year": ("birth_year", ("age_group",)),
    "ethnic_group": ("ethnic_group", ("ethnic_group",)),
    "channel": ("channel", ("channel",)),
    "campaign": ("campaign", ("campaign",)),
    "wish": ("organs, tissues, body", ("wish",)),
    "status": ("status, erased_at", ("status",)),
}


def tally_of_rows(first_number: str, last_number: str) -> Counter:
    """The tally of the registrations numbered ``first_number`` .. ``last_number``, counted by the server
    in one pass (one grouping set per dimension) and named by ``keys_of`` itself, fed each group's values."""
    table = connection.ops.quote_name(Registration._meta.db_table)
    sets = ", ".join(f"(month, region_id, {columns})" for columns, _dims in GROUPING_SETS.values())
    flags = ", ".join(f"GROUPING({columns.split(',')[0]})" for columns, _dims in GROUPING_SETS.values())
    tally = Counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT month, region_id, sex, birth_year, ethnic_group, channel, campaign, organs, tissues, body, "  # noqa: S608
            "status, erased_at, "
            f"count(*), {flags} FROM (SELECT date_trunc('month', signed_on)::date AS month, region_id, sex, "
            "birth_year, ethnic_group, channel, campaign, organs::text AS organs, tissues::text AS tissues, body, "
            "status, erased_at "
            f"FROM {table} WHERE number BETWEEN %s AND %s) r GROUP BY GROUPING SETS ({sets})",
            [first_number, last_number],
        )
        for (
            month,
            region,
            sex,
            year,
            ethnic,
            channel,
            campaign,
            organs,
            tissues,
            body,
            status,
            erased,
            n,
            *grouped,
        ) in cur:
            dims = next(d for (_c, d), g in zip(GROUPING_SETS.values(), grouped, strict=True) if g == 0)
            organs, tissues = json.loads(organs) if organs else [], json.loads(tissues) if tissues else []
            row = (month, region, sex, year, ethnic, channel, campaign, organs, tissues, body, status, erased)
            for key in keys_of(*row):
                if key[2] in dims:
                    tally[key] += n
    return tally


def tally_merge(tally: Counter) -> None:
    """Add a block's tally in one statement: COPY into a temporary table, then one UPSERT."""
    table = connection.ops.quote_name(RegistrationTally._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS synthetic_tally "
            "(month date, region_id text, dimension text, value text, count bigint) "
            "ON COMMIT DELETE ROWS"
        )
        with cur.cursor.copy("COPY synthetic_tally FROM STDIN") as copy:
            for (month, region, dimension, value), n in sorted(tally.items()):
                copy.write_row((month, region, dimension, value, n))
        cur.execute(
            f"INSERT INTO {table} (month, region_id, dimension, value, count) "  # noqa: S608
            "SELECT month, region_id, dimension, value, count FROM synthetic_tally ORDER BY 1, 2, 3, 4 "
            f"ON CONFLICT (dimension, month, region_id, value) DO UPDATE SET count = {table}.count + excluded.count"
        )


class Command(BaseCommand):
    help = "Create N invented registrations (encrypted like real ones) in Yunnan's counties, fast."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, required=True)
        parser.add_argument("--batch", type=int, default=20_000, help="rows per block a worker builds")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--commit-every", type=int, default=500_000, help="rows per transaction (PostgreSQL)")
        parser.add_argument(
            "--keep-indexes",
            dest="rebuild_indexes",
            action="store_false",
            help="PostgreSQL, empty table: keep the indexes during the load (slower) rather than rebuild them after",
        )

    def handle(self, *args, **o):
        if settings.PRODUCTION:
            raise CommandError("synthetic data is never generated in production")
        counties = list(Region.objects.filter(level="county", code__startswith="53").values_list("code", flat=True))
        if not counties:
            raise CommandError("no regions: run load_regions first")
        total = o["registrations"]
        started, cpu, self.backend_cpu = time.monotonic(), 0.0, None
        with transaction.atomic():
            first = counter_next_block("registration:synthetic", max(total, 1))
        if connection.vendor == "postgresql":
            cpu = self._copy(first, total, counties, o)
            after = _backend_cpu(self.backend)
            if after is not None and self.backend_before is not None:
                self.backend_cpu = after - self.backend_before
        else:
            self._bulk(first, total, counties, o)
        took = time.monotonic() - started
        rate = total / took if took else 0
        self.stdout.write(
            f"done: {total:,} synthetic registrations in {took:.1f} s ({rate:,.0f}/s; "
            f"10,000,000 would take {10_000_000 / rate / 60 if rate else 0:.1f} min at this rate)"
        )
        if cpu:
            self.stdout.write(f"  row building and encryption: {cpu / total * 1e6:.0f} µs of CPU per row")
        if self.backend_cpu is not None:
            self.stdout.write(
                f"  the database (COPY, indexes, tally): {self.backend_cpu / total * 1e6:.0f} µs of CPU per row"
            )

    def _bulk(self, first, total, counties, o):
        rng = random.Random(o["seed"])  # noqa: S311 - invented data
        for start in range(0, total, o["batch"]):
            n = min(o["batch"], total - start)
            regs = [Registration(**invented(first + start + i, counties, rng)) for i in range(n)]
            with transaction.atomic():
                Registration.objects.bulk_create(regs, batch_size=1000)
                tally_add(regs)
            self.stdout.write(f"  {start + n:,}/{total:,} registrations")

    def _copy(self, first, total, counties, o) -> float:
        now = timezone.now()
        bulk = o["rebuild_indexes"] and not Registration.objects.exists()  # an empty table
        jobs = [
            (first + start, min(o["batch"], total - start), o["seed"], counties, now, not bulk)
            for start in range(0, total, o["batch"])
        ]
        table = connection.ops.quote_name(Registration._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in copy_columns())
        sql = f"COPY {table} ({columns}) FROM STDIN"
        per_block = max(o["commit_every"] // o["batch"], 1)
        cpu, made, started = 0.0, 0, time.monotonic()
        connection.close()  # forked workers must not share this connection (they never use the database)
        with multiprocessing.get_context("fork").Pool(max(o["workers"], 1)) as pool:
            results = _bounded(pool, jobs, 2 * max(o["workers"], 1) + 2)
            self._measure_backend()
            if bulk:
                # The table was empty: one transaction drops its secondary indexes and constraints, loads
                # every row, builds them again (which checks uniqueness and the regions once, in bulk) and
                # adds the tally (counted by the server from the loaded rows: tally_of_rows). A failure
                # anywhere rolls all of it back, the indexes included.
                self.stdout.write("  the table is empty: its indexes are dropped for the load and rebuilt after")
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute("SET LOCAL synchronous_commit = off")
                    cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
                    rebuild = drop_secondary_indexes(cur, Registration._meta.db_table)
                    for b in range(0, len(jobs), per_block):
                        with cur.cursor.copy(sql) as copy:
                            for job in jobs[b : b + per_block]:
                                data, _tally, spent = next(results)
                                copy.write(data)
                                cpu, made = cpu + spent, made + job[1]
                        self._progress(made, total, started)
                    loaded = time.monotonic()
                    for statement in rebuild:
                        cur.execute(statement)
                    self.stdout.write(f"  indexes and constraints rebuilt in {time.monotonic() - loaded:.1f} s")
                    tally_merge(tally_of_rows(f"SY{first:010d}", f"SY{first + total - 1:010d}"))
                return cpu
            for b in range(0, len(jobs), per_block):
                block = Counter()
                with transaction.atomic():  # a block of rows is committed with its tally
                    with connection.cursor() as cur:
                        cur.execute("SET LOCAL synchronous_commit = off")  # a crash loses the block, never half
                        with cur.cursor.copy(sql) as copy:
                            for job in jobs[b : b + per_block]:
                                data, tally, spent = next(results)
                                copy.write(data)
                                block.update(tally)
                                cpu, made = cpu + spent, made + job[1]
                    tally_merge(block)
                self._progress(made, total, started)
        return cpu

    def _measure_backend(self):
        """The server process's CPU time so far, when it runs on this machine (a measure under load)."""
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self.backend = cur.fetchone()[0]
        self.backend_before = _backend_cpu(self.backend)

    def _progress(self, made, total, started):
        rate = made / (time.monotonic() - started)
        self.stdout.write(f"  {made:,}/{total:,} registrations ({rate:,.0f}/s)")


def _backend_cpu(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` (Linux, same machine), or None."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _bounded(pool, jobs, ahead: int):
    """``pool.imap(copy_block, jobs)`` with at most ``ahead`` blocks built and not yet written (the
    memory stays bounded when the database is slower than the workers)."""
    pending = deque()
    for job in jobs:
        pending.append(pool.apply_async(copy_block, (job,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def drop_secondary_indexes(cur, table: str) -> list[str]:
    """Drop every index and constraint of ``table`` except its primary key, its CHECKs and what other
    tables' foreign keys rely on; return the statements that create them again."""
    cur.execute(
        "SELECT c.conname, pg_get_constraintdef(c.oid), c.conindid FROM pg_constraint c "
        "WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f') AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint r WHERE r.confrelid = c.conrelid AND r.conindid = c.conindid"
        "  AND c.contype = 'u') ORDER BY c.conname",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    indexes = cur.fetchall()
    quoted = connection.ops.quote_name(table)
    rebuild = []
    for name, definition, _index in constraints:
        cur.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        rebuild.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
    for name, definition in indexes:
        cur.execute(f"DROP INDEX {name}")
        rebuild.insert(0, definition)  # the plain indexes first, then the constraints (the FK uses them)
    return rebuild
