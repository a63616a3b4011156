from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from boai.accounts.demo import summary
from boai.lib.plugins import demo_load


class Command(BaseCommand):
    help = "Load the invented demo data set of every app (accounts, units, registrations, cases…). Not in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo data is never loaded in production")
        with transaction.atomic():
            created = demo_load()
        self.stdout.write(f"demo data loaded: {', '.join(created)}" if created else "demo data already present")
        self.stdout.write("")
        for line in summary():
            self.stdout.write(line)
