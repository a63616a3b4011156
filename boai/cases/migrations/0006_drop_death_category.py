# The death category became the donation category in 0004. Dropped in a migration of its own: on
# PostgreSQL a table whose rows the same transaction updated cannot be altered ("pending trigger events").

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_family_consent_per_relative"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="organcase",
            name="death_category",
        ),
    ]
