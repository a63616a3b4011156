"""A small invented data set for `make run` and the browser tests: one account per role, two OPO
member units, one body reception station and registrations in several counties."""

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.accounts.services import user_create
from boai.audit.services import Actor
from boai.core.models import Organisation, Region
from boai.core.services import organisation_create
from boai.lib.idnumbers import parse_resident_id

DEMO_PASSWORD = "Demo-Boai-2026"  # noqa: S105 - the published demo password (make run only)
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_ACTOR = Actor(username="demo-loader", role="system")

UNITS = [
    ("OPO-KMU1", "昆明医科大学第一附属医院", Organisation.Type.OPO_UNIT, "530102"),
    ("OPO-YNPH", "云南省第一人民医院", Organisation.Type.OPO_UNIT, "530102"),
    ("RS-KMU", "昆明医科大学遗体接收站", Organisation.Type.RECEPTION_STATION, "530114"),
]

ACCOUNTS = [
    ("prov_admin", "省级管理员 李明", Role.PROVINCE_ADMIN, "RC530000"),
    ("kunming_staff", "昆明市红会 王芳", Role.BRANCH_STAFF, "RC530100"),
    ("wuhua_staff", "五华区红会 张丽", Role.BRANCH_STAFF, "RC530102"),
    ("qilin_staff", "麒麟区红会 赵强", Role.BRANCH_STAFF, "RC530302"),
    ("coordinator", "协调员 杨洁", Role.COORDINATOR, "RC530000"),
    ("opo_staff", "OPO 刘医生", Role.OPO_STAFF, "OPO-KMU1"),
    ("station_staff", "接收站 陈老师", Role.STATION_STAFF, "RS-KMU"),
    ("auditor", "监事会 周审", Role.AUDITOR, "RC530000"),
    ("sysadmin", "系统管理员 吴工", Role.SYSTEM_ADMIN, "RC530000"),
    ("secadmin", "安全管理员 郑工", Role.SECURITY_ADMIN, "RC530000"),
]

ETHNIC = ["01", "01", "07", "14", "18", "01", "16"]  # Han, Yi, Bai, Dai, Hani: Yunnan's mix
# (county code, name, birth date, sex)
PEOPLE = [
    ("530102", "张建华", date(1968, 3, 14), "M"),
    ("530102", "李秀英", date(1975, 9, 2), "F"),
    ("530102", "王志强", date(1990, 12, 30), "M"),
    ("530103", "刘桂兰", date(1959, 6, 21), "F"),
    ("530103", "陈晓东", date(1984, 1, 8), "M"),
    ("530302", "杨丽华", date(1979, 4, 17), "F"),
    ("530302", "赵国庆", date(1966, 10, 1), "M"),
    ("532901", "段玉梅", date(1972, 8, 9), "F"),
    ("532901", "杨文斌", date(1988, 2, 26), "M"),
    ("532801", "岩温", date(1981, 7, 13), "M"),
    ("530502", "周美玲", date(1993, 11, 5), "F"),
    ("530402", "孙志明", date(1962, 5, 30), "M"),
]


def resident_id(region: str, born: date, sex: str, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:02d}{(1 if sex == 'M' else 2) + (seq % 4) * 2}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    number = body + check
    parse_resident_id(number)  # fail loudly if the demo data were ever wrong
    return number


@transaction.atomic
def load_demo() -> bool:
    """Create the demo data set once. Returns False when it is already there."""
    from boai.registry import notices
    from boai.registry.models import Registration
    from boai.registry.services import PersonData, registration_create, registration_withdraw

    if User.objects.filter(username="prov_admin").exists():
        return False
    for code, name, org_type, region in UNITS:
        organisation_create(
            code=code,
            name=name,
            type=org_type,
            region=Region.objects.get(code=region),
            parent=Organisation.objects.get(code="RC530000"),
            actor=DEMO_ACTOR,
        )
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
    rng = random.Random(2026)  # noqa: S311 - invented data, reproducible
    channels = list(Registration.Channel.values)
    for i, (county, name, born, sex) in enumerate(PEOPLE):
        when = datetime(2025, 1, 10, 9, 30, tzinfo=SHANGHAI).replace(month=1 + i % 12, day=1 + (i * 3) % 27)
        data = PersonData(
            name=name,
            id_type=Registration.IdType.RESIDENT_ID,
            id_number=resident_id(county, born, sex, 10 + i),
            phone=f"139{rng.randrange(10**8):08d}",
            region_code=county,
            ethnic_group=ETHNIC[i % len(ETHNIC)],
            address=f"{Region.objects.get(code=county).name}人民路{10 + i}号",
            organs=["all"] if i % 3 else ["kidney", "liver", "heart"][: 1 + i % 3],
            tissues=["cornea"] if i % 2 else [],
            body=i % 4 == 0,
            executor_name="家属" + name[0] if i % 4 == 0 else "",
            executor_relationship="配偶" if i % 4 == 0 else "",
            family_informed=[{"name": "家属" + name[0], "relationship": "配偶"}],
        )
        reg = registration_create(
            actor=DEMO_ACTOR, data=data, channel=channels[i % len(channels)], consent_version=notices.CURRENT, now=when
        )
        if i in (2, 7):
            registration_withdraw(
                registration=reg, actor=DEMO_ACTOR, reason="本人申请撤回", now=when.replace(year=2026)
            )
    return True
