"""Statistics' demo data (``load_demo``): the population table — the resident population of Yunnan's
16 prefectures and of the province, 2021 to 2025 (close to the statistics bureau's year-end figures:
Kunming about 8.6 million, the province about 46.7 million). Not part of the tests' baseline."""

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

    if RegionPopulation.objects.exists() or not Region.objects.filter(code="530100").exists():
        return False
    RegionPopulation.objects.bulk_create(
        RegionPopulation(region_id=code, year=year, population=n, source=SOURCE)
        for (code, year), n in figures().items()
    )
    return True
