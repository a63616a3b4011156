from django.db import migrations, models


class Migration(migrations.Migration):
    """Every registration has its signing day (0017 filled the older ones): a row without one would
    escape the figures."""

    dependencies = [
        ("registry", "0018_registration_tally"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="signed_on",
            field=models.DateField(db_index=True, verbose_name="signed on"),
        ),
    ]
