"""Statistics' demo data (``load_demo``): the population table — the resident population of Yunnan's
16 prefectures and of the province, 2021 to 2025 (close to the statistics bureau's year-end figures:
Kunming about 8.6 million, the province about 46.7 million), and about 300 registrations of the last 18
months up to today across the 16 prefectures, so that the dashboard of the current year shows
something. The registrations go through the registry's service, so the tally is right. Not part of the
tests' baseline."""

import random
from datetime import date, datetime, timedelta

from django.db import transaction

BASELINE = False

YEARS = range(2021, 2026)
SOURCE = "云南省统计年鉴（演示数据）"

# prefecture code -> year-end resident population of 2023, in people
PREFECTURES_2023 = {
    "530100": 8_600_000,  # Kunming
    "530300": 5_700_000,  # Qujing
    "530400": 2_240_000,  # Yuxi
    "530500": 2_430_000,  # Baoshan
    "530600": 4_900_000,  # Zhaotong
    "530700": 1_250_000,  # Lijiang
    "530800": 2_360_000,  # Pu'er
    "530900": 2_220_000,  # Lincang
    "532300": 2_360_000,  # Chuxiong
    "532500": 4_400_000,  # Honghe
    "532600": 3_400_000,  # Wenshan
    "532800": 1_310_000,  # Xishuangbanna
    "532900": 3_330_000,  # Dali
    "533100": 1_320_000,  # Dehong
    "533300": 550_000,  # Nujiang
    "533400": 390_000,  # Diqing
}
GROWTH = {"530100": 0.008}  # a year: Kunming grows, the rest shrink slowly
OTHERS = -0.003


def figures() -> dict[tuple[str, int], int]:
    """{(region code, year): population}, the province the sum of its prefectures."""
    out = {}
    for year in YEARS:
        total = 0
        for code, base in PREFECTURES_2023.items():
            value = round(base * (1 + GROWTH.get(code, OTHERS) * (year - 2023)), -3)
            out[(code, year)] = int(value)
            total += int(value)
        out[("530000", year)] = total
    return out


@transaction.atomic
def load() -> bool:
    from boai.core.models import Region

    from ..models import RegionPopulation

    if not Region.objects.filter(code="530100").exists():
        return False
    loaded = False
    if not RegionPopulation.objects.exists():
        RegionPopulation.objects.bulk_create(
            RegionPopulation(region_id=code, year=year, population=n, source=SOURCE)
            for (code, year), n in figures().items()
        )
        loaded = True
    return _registrations() or loaded


# --- registrations of the last 18 months ----------------------------------------------------------------

REGISTRATIONS = 300
MONTHS = 18
# prefecture code -> weight (Kunming most, then the populous prefectures)
WEIGHTS = {
    "530100": 30, "530300": 10, "530400": 6, "530500": 5, "530600": 7, "530700": 4, "530800": 4,
    "530900": 3, "532300": 5, "532500": 8, "532600": 5, "532800": 3, "532900": 7, "533100": 3,
    "533300": 1, "533400": 1,
}  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董段普和岩"
GIVEN = ["建国", "秀兰", "志刚", "丽华", "文斌", "玉梅", "海燕", "国华", "晓东", "桂芳", "明", "静", "云", "兰",
         "春梅", "家豪", "思远", "雨欣", "子涵", "浩然", "金凤", "永平", "正清", "美玲"]  # fmt: skip
# Han most; Yi, Bai, Hani, Dai, Zhuang, Miao, Hui, Naxi: Yunnan's mix
ETHNIC = ["01"] * 12 + ["07"] * 3 + ["14"] * 2 + ["16"] * 2 + ["18"] * 2 + ["08", "06", "03", "27"]
STREETS = ["人民路", "北京路", "环城路", "建设路", "滇池路", "文化路"]


def _signed_days(today: date, rng: random.Random) -> list[date]:
    """REGISTRATIONS days in the last MONTHS months up to today, sorted."""
    first = today - timedelta(days=MONTHS * 30)
    span = (today - first).days
    return sorted(first + timedelta(days=rng.randrange(span + 1)) for _ in range(REGISTRATIONS))


def _registrations() -> bool:
    """About 300 registrations through ``registry.services.registration_create`` (the demo actor, the
    entry time as ``now``); skipped when they are already there."""
    from boai.core.demo import DEMO_ACTOR, SHANGHAI, resident_id
    from boai.core.fields import index_for
    from boai.core.models import Region
    from boai.registry import notices
    from boai.registry.models import Registration
    from boai.registry.services import PersonData, registration_create

    rng = random.Random(16)  # noqa: S311 - invented data, reproducible
    today = datetime.now(SHANGHAI).date()
    days = _signed_days(today, rng)
    counties = {
        p: list(Region.objects.filter(level=Region.Level.COUNTY, code__startswith=p[:4]).values_list("code", "name"))
        for p in WEIGHTS
    }
    counties = {p: c for p, c in counties.items() if c}
    if not counties:
        return False
    prefectures, weights = list(counties), [WEIGHTS[p] for p in counties]
    channels = [c for c in Registration.Channel.values if c != Registration.Channel.EVENT_OFFLINE]
    plans, used = [], set()
    for i, signed in enumerate(days):
        county, county_name = rng.choice(counties[rng.choices(prefectures, weights)[0]])
        sex = "M" if rng.random() < 0.52 else "F"
        age = rng.choice([rng.randint(18, 29), rng.randint(30, 44), rng.randint(45, 59), rng.randint(60, 85)])
        born = date(signed.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        number = resident_id(county, born, sex, 20 + i % 70)
        if number in used:
            continue
        used.add(number)
        plans.append((signed, county, county_name, sex, born, number))
    if Registration.objects.filter(id_number_index=index_for("id_number", plans[0][5])).exists():
        return False  # loaded before
    for signed, county, county_name, sex, born, number in plans:
        roll = rng.random()
        organs = ["all"] if roll < 0.5 else rng.sample(["kidney", "liver", "heart", "lung"], rng.randint(1, 3))
        if roll > 0.9:
            organs = []
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        body = rng.random() < 0.12
        data = PersonData(
            name=name,
            id_type=Registration.IdType.RESIDENT_ID,
            id_number=number,
            phone=f"138{rng.randrange(10**8):08d}",
            region_code=county,
            sex=sex,
            birth_date=born,
            ethnic_group=rng.choice(ETHNIC),
            address=f"{county_name}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            organs=organs,
            tissues=["cornea"] if rng.random() < 0.35 or not organs else [],
            body=body,
            executor_name="家属" + name[0] if body else "",
            executor_relationship="配偶" if body else "",
            family_informed=[{"name": "家属" + name[0], "relationship": "配偶"}] if rng.random() < 0.7 else [],
            signed_on=signed,
        )
        entered = datetime(signed.year, signed.month, signed.day, 9, 0, tzinfo=SHANGHAI) + timedelta(
            minutes=rng.randrange(9 * 60)
        )
        now = datetime.now(SHANGHAI)
        registration_create(
            actor=DEMO_ACTOR,
            data=data,
            channel=rng.choices(channels, [50 if c == "online" else 15 for c in channels])[0],
            consent_version=notices.CURRENT,
            now=min(entered, now),
        )
    return True
