"""The birth date is encrypted like the ID number (shown beside a masked ID number, or read from a
database dump, it completed the number: issue 12); its year stays in clear in ``birth_year`` for the
figures. Existing dates are copied into the encrypted column in batches; reversible."""

from django.db import migrations, models

import boai.core.fields

MODELS = ("registration",)


def _copy(apps, source: str, target: str, year: bool) -> None:
    for name in MODELS:
        model = apps.get_model("registry", name)
        batch = []
        for obj in model.objects.only("pk", source).order_by("pk").iterator(chunk_size=500):
            day = getattr(obj, source)
            setattr(obj, target, day)
            if year:
                obj.birth_year = day.year if day else None
            batch.append(obj)
            if len(batch) == 500:
                model.objects.bulk_update(batch, [target, "birth_year"] if year else [target])
                batch = []
        if batch:
            model.objects.bulk_update(batch, [target, "birth_year"] if year else [target])


def encrypt_birth_dates(apps, schema_editor):
    _copy(apps, "birth_date_clear", "birth_date", year=True)


def decrypt_birth_dates(apps, schema_editor):
    _copy(apps, "birth_date", "birth_date_clear", year=False)


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_refusal_revocation_national_registry")]

    operations = [
        migrations.RenameField("registration", "birth_date", "birth_date_clear"),
        migrations.AlterField(
            "registration", "birth_date_clear", models.DateField(null=True, verbose_name="birth date")
        ),
        migrations.AddField(
            "registration", "birth_date", boai.core.fields.EncryptedDateField(null=True, verbose_name="birth date")
        ),
        migrations.AddField(
            "registration",
            "birth_year",
            boai.core.fields.YearOfField(null=True, source="birth_date", verbose_name="birth year"),
        ),
        migrations.RunPython(encrypt_birth_dates, decrypt_birth_dates),
        migrations.RemoveField("registration", "birth_date_clear"),
        migrations.AlterField(
            "registration", "birth_date", boai.core.fields.EncryptedDateField(verbose_name="birth date")
        ),
        migrations.AlterField(
            "registration", "birth_year", boai.core.fields.YearOfField(source="birth_date", verbose_name="birth year")
        ),
    ]
