from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from boai.core.demo import ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the invented demo data set (one account per role, units, registrations). Not in production."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo data is never loaded in production")
        from boai.cases.demo import load_demo_cases
        from boai.certificates.demo import load_demo_certificates

        created = load_demo()
        load_demo_cases()
        load_demo_certificates()
        self.stdout.write("demo data loaded" if created else "demo data already present: nothing changed")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for username, full_name, role, org in ACCOUNTS:
            self.stdout.write(f"  {username:<14} {role:<15} {org:<9} {full_name}")
