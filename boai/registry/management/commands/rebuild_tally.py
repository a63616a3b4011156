"""Recount the registration tally (``registry.RegistrationTally``) from the registrations and say
which rows differed: none, unless a write went around the services."""

import time

from django.core.management.base import BaseCommand

from boai.registry.services import tally_rebuild


class Command(BaseCommand):
    help = "Rebuild the registration tally from the registrations and report the rows that differed."

    def handle(self, *args, **options):
        started = time.monotonic()
        differences = tally_rebuild()
        for (month, region, dimension, value), (was, now) in sorted(differences.items()):
            self.stdout.write(f"  {month:%Y-%m} {region} {dimension}={value!r}: {was} -> {now}")
        self.stdout.write(f"tally rebuilt in {time.monotonic() - started:.1f} s; {len(differences)} row(s) differed")
