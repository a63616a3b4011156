"""Shared personas: the demo accounts, one per role, and what each should see."""

from boai.accounts.models import User

PASSWORD = "Demo-Boai-2026"

# username -> region prefix of the registrations the account must see (None: none at all)
EXPECTED_SCOPE = {
    "prov_admin": "53",
    "kunming_staff": "5301",
    "wuhua_staff": "530102",
    "qilin_staff": "530302",
    "coordinator": "53",
    "opo_staff": None,
    "station_staff": None,
    "auditor": "53",
    "sysadmin": None,
    "secadmin": None,
}


def user(username: str) -> User:
    return User.objects.select_related("organization").get(username=username)
