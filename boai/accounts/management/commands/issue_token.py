from django.core.management.base import BaseCommand, CommandError

from boai.accounts.models import User
from boai.accounts.services import token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print it (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {o['username']!r}")
        self.stdout.write(token_issue(user=user))
