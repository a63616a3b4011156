"""The staff list's count read from an index (``selectors.registration_count``). A plain CREATE INDEX:
the tally is small (hundreds of thousands of rows at 10M registrations), so writers wait about a second
while it builds; no downtime (docs/deploy.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_encrypted_files"),
        ("registry", "0023_tally_status"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="registrationtally",
            index=models.Index(
                condition=models.Q(("dimension", "status")),
                fields=["region", "value"],
                include=("count",),
                name="registry_tally_status_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
        ),
    ]
