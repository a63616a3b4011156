"""Demo registrations in several counties (``make run`` and the tests' baseline data)."""

import random
from datetime import date, datetime

from boai.core.demo import DEMO_ACTOR, SHANGHAI, resident_id
from boai.core.models import Region

from . import notices
from .models import Registration
from .services import PersonData, registration_create, registration_withdraw

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


def load() -> bool:
    if Registration.objects.exists():
        return False
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
