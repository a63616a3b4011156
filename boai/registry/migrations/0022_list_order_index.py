"""The list's order index (``registry_list_order_idx``). On PostgreSQL it is built CONCURRENTLY (outside a
transaction), so registrations keep being written while it builds: no downtime (docs/deploy.md). On 10M
rows the build takes minutes; if it fails, PostgreSQL leaves an INVALID index: drop it
(``DROP INDEX CONCURRENTLY registry_list_order_idx``) and migrate again."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(migrations.AddIndex):
    """``AddIndexConcurrently`` on PostgreSQL, a plain ``AddIndex`` elsewhere (SQLite: tests, demos)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            op = AddIndexConcurrently(self.model_name, self.index)
            return op.database_forwards(app_label, schema_editor, from_state, to_state)
        return super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            op = AddIndexConcurrently(self.model_name, self.index)
            return op.database_backwards(app_label, schema_editor, from_state, to_state)
        return super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("core", "0004_encrypted_files"),
        ("registry", "0021_import_heartbeat"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="registration",
            index=models.Index(
                condition=models.Q(("erased_at__isnull", True)),
                fields=["registered_at", "id", "status", "region"],
                name="registry_list_order_idx",
                opclasses=["", "", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
