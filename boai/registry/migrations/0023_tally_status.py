"""The tally's "status" dimension (the staff list's count reads it): counted once here from the
registrations, then kept by the code of this release. **Needs downtime** (docs/deploy.md): a registration
written or withdrawn by the previous release's code after this migration would not move these counts.
Without downtime: migrate, and once the new code serves everywhere, run ``manage.py rebuild_tally`` (it
recounts every dimension and says what it corrected). One GROUP BY over the table: ~10 s a million rows."""

from django.db import migrations
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth


def count_statuses(apps, schema_editor):
    Registration = apps.get_model("registry", "Registration")
    RegistrationTally = apps.get_model("registry", "RegistrationTally")
    RegistrationTally.objects.filter(dimension="status").delete()
    rows = (
        Registration.objects.order_by()
        .annotate(month=TruncMonth("signed_on"))
        .values("month", "region_id", "status")
        .annotate(
            listed=Count("id", filter=Q(erased_at__isnull=True)), erased=Count("id", filter=Q(erased_at__isnull=False))
        )
    )
    tally = {}
    for row in rows.iterator(chunk_size=5000):
        for value, n in ((row["status"], row["listed"]), ("erased", row["erased"])):
            if n:
                key = (row["month"], row["region_id"], value)
                tally[key] = tally.get(key, 0) + n
    RegistrationTally.objects.bulk_create(
        [
            RegistrationTally(month=month, region_id=region, dimension="status", value=value, count=n)
            for (month, region, value), n in sorted(tally.items())
        ],
        batch_size=5000,
    )


def forget_statuses(apps, schema_editor):
    apps.get_model("registry", "RegistrationTally").objects.filter(dimension="status").delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0022_list_order_index")]

    operations = [migrations.RunPython(count_statuses, forget_statuses)]
