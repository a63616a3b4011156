from django.core.management.base import BaseCommand, CommandError

from boai.accounts.roles import Role
from boai.accounts.services import user_create
from boai.audit.services import Actor
from boai.core.errors import DomainError
from boai.core.models import Organisation


class Command(BaseCommand):
    help = "Create a staff account with one role in one organisation."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--org", required=True, help="organisation code, e.g. RC530000")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, **o):
        org = Organisation.objects.select_related("region").filter(code=o["org"]).first()
        if org is None:
            raise CommandError(f"unknown organisation code {o['org']!r} (run load_regions first?)")
        try:
            user = user_create(
                username=o["username"],
                password=o["password"],
                role=o["role"],
                organization=org,
                full_name=o["full_name"],
                actor=Actor(username="manage.py", role="system"),
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"created {user.username} ({user.role}) in {org.code}")
