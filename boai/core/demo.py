"""The demo data set's shared pieces and the core part of it: the OPO member units and the body
reception station. Each app loads its own part in ``<app>/demo.py`` (``load()``, called by
``load_demo`` in ``INSTALLED_APPS`` order)."""

from datetime import date
from zoneinfo import ZoneInfo

from boai.audit.services import Actor
from boai.lib.idnumbers import parse_resident_id

from .models import Organisation, Region
from .services import organisation_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_ACTOR = Actor(username="demo-loader", role="system")

UNITS = [
    ("OPO-KMU1", "昆明医科大学第一附属医院", Organisation.Type.OPO_UNIT, "530102"),
    ("OPO-YNPH", "云南省第一人民医院", Organisation.Type.OPO_UNIT, "530102"),
    ("RS-KMU", "昆明医科大学遗体接收站", Organisation.Type.RECEPTION_STATION, "530114"),
]


def resident_id(region: str, born: date, sex: str, seq: int) -> str:
    body = f"{region}{born:%Y%m%d}{seq:02d}{(1 if sex == 'M' else 2) + (seq % 4) * 2}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    number = body + check
    parse_resident_id(number)  # fail loudly if the demo data were ever wrong
    return number


def load() -> bool:
    """Two OPO member units and a reception station. Returns False when they are already there."""
    if Organisation.objects.filter(code=UNITS[0][0]).exists():
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
    return True
