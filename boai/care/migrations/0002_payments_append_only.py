"""On PostgreSQL, the payments ledger is append-only and what was applied for is fixed.

``care_ledgerentry``: UPDATE and DELETE are refused, save the one update that writes a new entry's
``row_hash`` (the hash covers the entry's id, so it is set just after the INSERT, in the same
transaction, from empty to its value, nothing else changing). ``care_payment``: what was applied for
(family, kind, amount, county, year, levels, applicant, time) never changes, and no payment is
deleted (the reason is encrypted and may be re-encrypted by a key rotation, so it is
not compared). TRUNCATE stays for the tests (production revokes it, see docs/deployment.md)."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION care_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.row_hash = '' AND NEW.row_hash <> ''
       AND (to_jsonb(OLD) - 'row_hash') = (to_jsonb(NEW) - 'row_hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'care_ledgerentry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER care_ledger_no_update BEFORE UPDATE OR DELETE ON care_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION care_ledger_append_only();

CREATE OR REPLACE FUNCTION care_payment_application_fixed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'care_payment rows are never deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.family_id, OLD.kind, OLD.amount_fen, OLD.region_id, OLD.year, OLD.levels,
        OLD.applied_by_id, OLD.applied_at)
       IS DISTINCT FROM
       (NEW.family_id, NEW.kind, NEW.amount_fen, NEW.region_id, NEW.year, NEW.levels,
        NEW.applied_by_id, NEW.applied_at) THEN
        RAISE EXCEPTION 'what a payment applied for never changes' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER care_payment_fixed BEFORE UPDATE OR DELETE ON care_payment
    FOR EACH ROW EXECUTE FUNCTION care_payment_application_fixed();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS care_ledger_no_update ON care_ledgerentry;
DROP FUNCTION IF EXISTS care_ledger_append_only();
DROP TRIGGER IF EXISTS care_payment_fixed ON care_payment;
DROP FUNCTION IF EXISTS care_payment_application_fixed();
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(triggers, drop_triggers)]
