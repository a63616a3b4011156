"""Demo accounts, one per role (``make run`` and the tests' personas)."""

from boai.core.demo import DEMO_ACTOR
from boai.core.models import Organisation

from .models import User
from .roles import Role
from .services import user_create

DEMO_PASSWORD = "Demo-Boai-2026"  # noqa: S105 - the published demo password (make run only)

# (username, the person's name, role, organisation): pages name them by name and unit, "五华区红十字会 张丽"
ACCOUNTS = [
    ("prov_admin", "李明", Role.PROVINCE_ADMIN, "RC530000"),
    ("kunming_staff", "王芳", Role.BRANCH_STAFF, "RC530100"),
    ("wuhua_staff", "张丽", Role.BRANCH_STAFF, "RC530102"),
    ("qilin_staff", "赵强", Role.BRANCH_STAFF, "RC530302"),
    ("coordinator", "杨洁", Role.COORDINATOR, "RC530000"),
    ("opo_staff", "刘医生", Role.OPO_STAFF, "OPO-KMU1"),
    ("station_staff", "陈老师", Role.STATION_STAFF, "RS-KMU"),
    ("auditor", "周审", Role.AUDITOR, "RC530000"),
    ("sysadmin", "吴工", Role.SYSTEM_ADMIN, "RC530000"),
    ("secadmin", "郑工", Role.SECURITY_ADMIN, "RC530000"),
    # a second Wuhua clerk: who submits an application is never who decides it (coordinators.not_own_submission)
    ("wuhua_clerk", "黄敏", Role.BRANCH_STAFF, "RC530102"),
    # Qujing's prefecture branch and a second Qilin clerk: a Qilin family's payment is applied for, decided
    # at the county, the prefecture and the province, and paid, each by another person (family care's demo)
    ("qujing_staff", "钱红", Role.BRANCH_STAFF, "RC530300"),
    ("qilin_clerk", "孙静", Role.BRANCH_STAFF, "RC530302"),
]


def load() -> bool:
    if User.objects.filter(username="prov_admin").exists():
        return False
    for username, full_name, role, org_code in ACCOUNTS:
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            full_name=full_name,
            is_demo=True,
            organization=Organisation.objects.get(code=org_code),
            actor=DEMO_ACTOR,
        )
    return True


def summary() -> list[str]:
    """What ``load_demo`` prints: the accounts to log in with."""
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {username:<14} {role:<15} {org:<9} {name}" for username, name, role, org in ACCOUNTS]
    return lines
