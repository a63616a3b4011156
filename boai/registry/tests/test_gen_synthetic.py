"""gen_synthetic's rows are real registrations to the app: found by its own look-up by ID number and
phone, decrypted to the values they were made from, counted in the tally (a recount finds no
difference). On PostgreSQL (COPY; an empty table loaded without its indexes, then rebuilt) and on
SQLite (bulk_create)."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from stdnum.cn import ric

from boai.core.fields import index_for
from boai.core.models import Region
from boai.lib.pinyin import initials
from boai.registry import selectors
from boai.registry.management.commands import gen_synthetic
from boai.registry.models import Registration
from boai.registry.tally import tally_rebuild

PERSONAL = ("name", "id_number", "birth_date", "phone", "address")


def counties():
    return list(Region.objects.filter(level="county", code__startswith="53").values_list("code", flat=True))


def made(first: int, n: int) -> dict:
    """The clear values of registrations ``first`` .. ``first + n - 1`` as a block made them (seed 2026)."""
    rng = random.Random(2026 * 1_000_003 + first)  # noqa: S311 - as copy_block seeds it
    return {serial: gen_synthetic.invented(serial, counties(), rng) for serial in range(first, first + n)}


def generate(n: int, **options) -> str:
    out = io.StringIO()
    call_command("gen_synthetic", registrations=n, stdout=out, **options)
    return out.getvalue()


def assert_found_and_decrypted(regs):
    """Found by the app's look-ups; the values that follow from the serial decrypt to what they were."""
    regions = counties()
    for reg in regs:
        serial = int(reg.number[2:])
        region = regions[serial % len(regions)]
        k = serial // len(regions)
        born = gen_synthetic.date(1940, 1, 1) + gen_synthetic.timedelta(days=k % gen_synthetic.DAYS)
        id_number = gen_synthetic.resident_id(region, born, (k // gen_synthetic.DAYS) % 1000)
        found = selectors.latest_registration(id_number)
        assert found is not None and found.pk == reg.pk
        assert (found.id_number, found.birth_date, found.region_id) == (id_number, born, region)
        assert found.address == f"{region}某路{serial % 500}号" and found.phone[2:] == f"{serial:09d}"
        assert Registration.objects.filter(selectors.search_condition(found.phone)).get().pk == reg.pk
        assert found.name_initials == initials(found.name) and found.name[0] in gen_synthetic.SURNAMES
        assert found.birth_year == born.year


def test_the_check_digit_is_stdnums():
    for serial in range(0, 5000, 7):
        number = gen_synthetic.resident_id("530102", gen_synthetic.date(1970, 1, 1), serial)
        assert number[-1] == ric.calc_check_digit(number), number


@pytest.mark.django_db
def test_a_copy_block_holds_what_the_fields_would_store():
    """The COPY text, decoded by the fields themselves, gives the invented values back; the blind
    indexes are those the app computes."""
    now = timezone.now()
    data, tally, _cpu = gen_synthetic.copy_block((500, 40, 2026, counties(), now))
    lines = data.decode().splitlines()
    assert len(lines) == 40 and sum(n for (_m, _r, d, _v), n in tally.items() if d == "total") == 40
    fields = gen_synthetic.copy_columns()
    want = made(500, 40)
    for serial, line in zip(range(500, 540), lines, strict=True):
        cells = dict(zip((f.attname for f in fields), line.split("\t"), strict=True))
        v = want[serial]
        for f in fields:
            if hasattr(f, "crypto_context") and f.attname in PERSONAL:
                assert f.from_db_value(cells[f.attname], None, connection) == v[f.attname]
        assert cells["id_number_index"] == index_for("id_number", v["id_number"])
        assert cells["phone_index"] == index_for("phone", v["phone"])
        assert cells["executor_phone"] == "" and cells["campaign"] == "" and cells["withdrawn_at"] == "\\N"
        assert cells["organs"] in ('["all"]', '["kidney"]') and cells["family_informed"] == "[]"
        assert cells["created_at"] == now.isoformat() and cells["number"] == v["number"]


@pytest.mark.django_db(transaction=True)
def test_a_small_run_is_found_decrypted_and_counted(transactional_base_data):
    """SQLite: bulk_create; PostgreSQL: COPY."""
    before = Registration.objects.count()
    generate(25, batch=10)
    regs = list(Registration.objects.filter(number__startswith="SY"))
    assert Registration.objects.count() == before + 25 == before + len(regs)
    assert_found_and_decrypted(regs[:5])
    assert tally_rebuild() == {}


def indexes() -> set:
    with connection.cursor() as cur:
        cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'registry_registration'")
        return {row[0] for row in cur.fetchall()}


def constraints() -> set:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'registry_registration'::regclass"
        )
        return set(cur.fetchall())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_empty_table_is_loaded_then_indexed_and_later_loads_keep_the_indexes(
    transactional_base_data,
):
    with connection.cursor() as cur:
        cur.execute("TRUNCATE registry_registration, registry_registrationtally CASCADE")
    kept, rules = indexes(), constraints()
    assert len(kept) > 10

    out = generate(3000, batch=400, commit_every=1000, workers=2)
    assert "indexes are dropped for the load and rebuilt" in out
    assert indexes() == kept and constraints() == rules  # every index and constraint is back
    assert Registration.objects.count() == 3000
    assert_found_and_decrypted(Registration.objects.order_by("?")[:8])
    assert tally_rebuild() == {}

    out = generate(1500, batch=400, commit_every=1000, workers=2)  # not empty: blocks, indexes kept
    assert "dropped" not in out
    assert Registration.objects.count() == 4500
    assert_found_and_decrypted(Registration.objects.order_by("-id")[:5])
    assert tally_rebuild() == {}
    with connection.cursor() as cur:  # the rebuilt unique index still refuses a second active person
        cur.execute("SELECT count(*) FROM registry_registration WHERE status = 'active'")
        active = cur.fetchone()[0]
    assert Registration.objects.filter(status="active").values("id_number_index").distinct().count() == active
