"""Each entry names the key that chained it. Rows already written get 0 (the unkeyed SM3 of the first
releases) until 0004 re-chains them; new rows default to key 1. Adding a column with a default is a
catalogue change on PostgreSQL 11+: no row is updated, the append-only trigger is not involved."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_and_append_only")]
    operations = [
        migrations.AddField(
            model_name="auditentry", name="chain_version", field=models.PositiveSmallIntegerField(default=0)
        ),
        migrations.AlterField(
            model_name="auditentry", name="chain_version", field=models.PositiveSmallIntegerField(default=1)
        ),
    ]
