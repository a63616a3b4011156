from datetime import timedelta

from django.core.management.base import BaseCommand

from boai.core.services import attachment_sweep


class Command(BaseCommand):
    help = (
        "Delete stored scans and photos that no record refers to (left by a save that was refused or "
        "failed after the upload). Only files older than --hours go. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="keep files younger than this (default 24)")

    def handle(self, *args, **o):
        removed = attachment_sweep(older_than=timedelta(hours=max(o["hours"], 0)))
        self.stdout.write(f"{removed} unreferenced file(s) removed")
