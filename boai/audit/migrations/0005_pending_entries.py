"""Entries written but not yet sealed into the chain (BOAI_AUDIT_SEAL_DEFERRED): a plain queue table,
not append-only (the sealer deletes what it has moved into audit_auditentry, in the same transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_rechain_with_key'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditPending',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(db_index=True)),
                ('actor_id', models.BigIntegerField(blank=True, null=True)),
                ('actor_username', models.CharField(blank=True, max_length=150)),
                ('actor_role', models.CharField(blank=True, max_length=32)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('request_id', models.CharField(blank=True, max_length=64)),
                ('action', models.CharField(max_length=100)),
                ('object_type', models.CharField(blank=True, max_length=100)),
                ('object_id', models.CharField(blank=True, max_length=64)),
                ('object_repr', models.CharField(blank=True, max_length=200)),
                ('changes', models.JSONField(blank=True, default=dict)),
                ('success', models.BooleanField(default=True)),
            ],
            options={
                'verbose_name': 'unsealed audit entry',
                'ordering': ['id'],
            },
        ),
    ]
