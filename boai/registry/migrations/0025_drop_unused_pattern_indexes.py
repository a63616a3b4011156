"""Drop the ``varchar_pattern_ops`` copies PostgreSQL's schema editor made beside the plain index of eight
registration columns (the ``_like`` indexes: Django makes one for every indexed or unique varchar, for
LIKE 'prefix%' under a non-C collation). No query searches these columns by prefix: registration
numbers, ID and phone indexes, verification codes, statuses, campaigns and national numbers are
matched whole, and pinyin initials with ``contains`` (LIKE '%X%', which no btree serves). Every write
kept all eight up to date: a registration, an edit, each row of an import.

Django's state does not know these indexes, so only the database changes. On PostgreSQL each is dropped
``CONCURRENTLY`` (outside a transaction): reads and writes go on, no downtime (docs/deploy.md). Going
back builds them again. Elsewhere (SQLite) there is nothing to drop. The region's ``_like`` index stays:
areas are searched by code prefix."""

from django.db import migrations

COLUMNS = [
    "number",
    "name_initials",
    "id_number_index",
    "phone_index",
    "campaign",
    "verify_code",
    "status",
    "national_number",
]


def _names(schema_editor, model):
    table = model._meta.db_table
    for column in COLUMNS:
        yield schema_editor._create_index_name(table, [column], suffix="_like"), table, column


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    qn = schema_editor.quote_name
    for name, _table, _column in _names(schema_editor, apps.get_model("registry", "Registration")):
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {qn(name)}")


def build(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    qn = schema_editor.quote_name
    for name, table, column in _names(schema_editor, apps.get_model("registry", "Registration")):
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {qn(name)} ON {qn(table)} ({qn(column)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("registry", "0024_tally_status_index"),
    ]

    operations = [migrations.RunPython(drop, build, elidable=False)]
