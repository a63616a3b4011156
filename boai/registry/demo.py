"""Demo registrations in several counties (``make run`` and the tests' baseline data)."""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from boai.accounts.models import User
from boai.core.demo import DEMO_ACTOR, SHANGHAI, resident_id
from boai.core.models import Region
from boai.core.services import PROVINCE_CODE

from . import notices
from .models import NationalRegistration, Registration
from .services import (
    PersonData,
    refusal_record,
    registration_create,
    registration_mark_deceased,
    registration_withdraw,
)

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
    # the channels a demo entry can come by (offline at an event needs a signature drawn on a phone)
    channels = [c for c in Registration.Channel.values if c != Registration.Channel.EVENT_OFFLINE]
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
    _changed_minds()
    _deceased_registrant()
    _national_rows()
    return True


# The people of issue 11's demonstrations, with known ID numbers (in 2024, outside Wuhua and Dali, so
# that the counts and the picks of the tests on the registrations above stay as they were).
REVOKED_REFUSAL_ID = resident_id("530112", date(1970, 7, 7), "M", 61)  # 西山区: refused, then registered
DECEASED_REGISTRANT_ID = resident_id("530111", date(1974, 4, 4), "M", 62)  # 官渡区: own wish carries a case
DECEASED_HOURS_AGO = 2  # the case demo determines this death (the second brain-death finding) so long before
NATIONAL_ONLY_ID = resident_id("530111", date(1982, 2, 12), "F", 63)  # registered nationally only


def _person(name, id_number, county, born, sex, **wish) -> PersonData:
    return PersonData(
        name=name,
        id_type=Registration.IdType.RESIDENT_ID,
        id_number=id_number,
        phone=f"1390871{id_number[-5:-1]}",
        region_code=county,
        sex=sex,
        birth_date=born,
        address=f"{Region.objects.get(code=county).name}滇池路{id_number[-3:-1]}号",
        family_informed=[{"name": "家属" + name[0], "relationship": "配偶"}],
        **wish,
    )


def _changed_minds() -> None:
    """A refusal made in life (2023), revoked by the person's later registration (2024): both stay on
    record, the refusal marked revoked by the registration."""
    stated = datetime(2023, 6, 2, 10, 0, tzinfo=SHANGHAI)
    refusal_record(
        actor=User.objects.get(username="prov_admin"),  # the province's clerk (a refusal names who recorded it)
        name="钱立新",
        id_type=Registration.IdType.RESIDENT_ID,
        id_number=REVOKED_REFUSAL_ID,
        region_code="530112",
        stated_on=stated.date(),
        note="本人签署生前拒绝捐献声明",
        now=stated,
    )
    registration_create(
        actor=DEMO_ACTOR,
        data=_person("钱立新", REVOKED_REFUSAL_ID, "530112", date(1970, 7, 7), "M", organs=["kidney", "liver"]),
        channel=Registration.Channel.PAPER,
        consent_version=notices.CURRENT,
        now=datetime(2024, 3, 10, 15, 0, tzinfo=SHANGHAI),
    )


def _deceased_registrant() -> None:
    """Registered in 2024 (all organs and the corneas); the branch was told of the death and marked the
    registration deceased: the wish stays the person's written intent, for a case of the lead's demo."""
    reg = registration_create(
        actor=DEMO_ACTOR,
        data=_person(
            "罗永平", DECEASED_REGISTRANT_ID, "530111", date(1974, 4, 4), "M", organs=["all"], tissues=["cornea"]
        ),
        channel=Registration.Channel.EVENT,
        consent_version=notices.CURRENT,
        now=datetime(2024, 5, 20, 9, 0, tzinfo=SHANGHAI),
    )
    died_on = timezone.localdate(timezone.now() - timedelta(hours=DECEASED_HOURS_AGO))  # the same day as the case
    registration_mark_deceased(registration=reg, actor=DEMO_ACTOR, died_on=died_on)


def _national_rows() -> None:
    """Rows of the national registry's export: one person also registered here, one registered only
    nationally (a case would find "registered nationally"), one who withdrew nationally."""
    local = Registration.objects.get(name="周美玲")
    rows = [
        ("CN2022053001", local.name, local.id_number, ["all"], [], False, date(2022, 9, 1), "active"),
        (
            "CN2023053002",
            "白雪芬",
            NATIONAL_ONLY_ID,
            ["kidney", "liver"],
            ["cornea"],
            True,
            date(2023, 11, 8),
            "active",
        ),
        (
            "CN2021053003",
            "和正清",
            resident_id("530112", date(1958, 12, 1), "M", 64),
            ["all"],
            [],
            False,
            date(2021, 4, 4),
            "withdrawn",
        ),
    ]
    imported = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)
    for number, name, id_number, organs, tissues, body, registered_on, status in rows:
        NationalRegistration.objects.create(
            national_number=number,
            name=name,
            id_type=Registration.IdType.RESIDENT_ID,
            id_number=id_number,
            region_id=PROVINCE_CODE,
            organs=organs,
            tissues=tissues,
            body=body,
            registered_on=registered_on,
            status=status,
            source_file="全国登记系统导出-云南-2026年1月.xlsx",
            imported_at=imported,
        )
