"""On PostgreSQL a trigger that refuses UPDATE on the unsealed entries: an entry is written once and
only ever leaves the queue (DELETE, by the sealer, in the transaction that chains it), so nobody can
change what is about to be sealed. As for audit_auditentry (migration 0002), TRUNCATE is revoked from
the application role in production (docs/deploy.md); the tests need it."""

from django.db import migrations

NO_UPDATE_SQL = """
CREATE OR REPLACE FUNCTION audit_pending_no_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditpending is insert-only until sealed: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_auditpending
    FOR EACH ROW EXECUTE FUNCTION audit_pending_no_update();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS audit_pending_no_update ON audit_auditpending;
DROP FUNCTION IF EXISTS audit_pending_no_update();
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_UPDATE_SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_pending_entries")]
    operations = [migrations.RunPython(triggers, drop_triggers)]
