"""The demo's memorial sites and events, Yunnan-like: three sites opened before 2025 (the Kunming memorial
park, the memorial room at Kunming Medical University, the Dali memorial wall), the four opened in 2025
(Qujing, Yuxi, Honghe, Dali University), one in 2026; the twelve events of 2025 (Qingming, the Winter
Solstice and other days: 5,840 participants) and four of 2026. The traditional days come from the
calendar library. Skipped when the first site is already there. Written directly, each with its audit
entry (the demo's dates lie in the past, the services' rules are tested elsewhere)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.models import Organisation, Region
from boai.lib.traditional_days import qingming, winter_solstice

from ..models import MemorialEvent, MemorialSite, Offer

P, W, R = MemorialSite.Kind.PARK, MemorialSite.Kind.WALL, MemorialSite.Kind.ROOM
ALL = [Offer.LIFE_EDUCATION, Offer.DONATION_KNOWLEDGE, Offer.REMEMBRANCE]

# key, name, kind, county, location, opened on, offers, organisation code or manager name, description
SITES = [
    (
        "km",
        "昆明市遗体和器官捐献者纪念园",
        P,
        "530112",
        "昆明市西山区金宝山艺术园林内",
        date(2019, 4, 3),
        ALL,
        "昆明市红十字会",
        "镌刻捐献者姓名的纪念碑和缅怀广场，每年清明、冬至举行缅怀活动。",
    ),
    (
        "kmu",
        "昆明医科大学生命教育纪念室",
        R,
        "530114",
        "昆明医科大学呈贡校区基础医学院",
        date(2016, 9, 10),
        [Offer.LIFE_EDUCATION, Offer.REMEMBRANCE],
        "RS-KMU",
        "向“无语良师”致敬的纪念室，医学生入学第一课在此举行。",
    ),
    (
        "dl",
        "大理州人体器官捐献者纪念墙",
        W,
        "532901",
        "大理市凤仪镇公墓纪念区",
        date(2021, 3, 30),
        [Offer.REMEMBRANCE, Offer.DONATION_KNOWLEDGE],
        "大理州红十字会",
        "",
    ),
    (
        "qj",
        "曲靖市人体器官捐献者纪念园",
        P,
        "530302",
        "曲靖市麒麟区寥廓山公园北侧",
        date(2025, 3, 28),
        ALL,
        "曲靖市红十字会",
        "2025年建成，设捐献者名录墙和生命教育长廊。",
    ),
    (
        "yx",
        "玉溪市生命礼赞纪念墙",
        W,
        "530402",
        "玉溪市红塔区聂耳公园",
        date(2025, 4, 2),
        [Offer.REMEMBRANCE, Offer.DONATION_KNOWLEDGE],
        "玉溪市红十字会",
        "",
    ),
    (
        "dlu",
        "大理大学生命教育馆",
        R,
        "532901",
        "大理大学古城校区基础医学院",
        date(2025, 9, 10),
        [Offer.LIFE_EDUCATION, Offer.DONATION_KNOWLEDGE],
        "大理大学",
        "遗体捐献者纪念与生命教育展厅，面向医学生和公众开放。",
    ),
    (
        "hh",
        "红河州遗体和器官捐献者缅怀园",
        P,
        "532503",
        "蒙自市长桥海公园",
        date(2025, 11, 20),
        ALL,
        "红河州红十字会",
        "",
    ),
    (
        "lj",
        "丽江市人体器官捐献者纪念亭",
        W,
        "530702",
        "丽江市古城区玉泉公园",
        date(2026, 3, 31),
        [Offer.REMEMBRANCE],
        "丽江市红十字会",
        "",
    ),
]

QM, WS, OT = MemorialEvent.Occasion.QINGMING, MemorialEvent.Occasion.WINTER_SOLSTICE, MemorialEvent.Occasion.OTHER

# title, occasion, date (None: the year's traditional day), year, site key, region, organisers, participants,
# invited, attended
EVENTS = [
    ("2025年清明节器官捐献者缅怀纪念活动", QM, None, 2025, "km", None, "云南省红十字会、昆明市红十字会", 1200, 80, 65),
    ("曲靖市纪念园落成暨清明缅怀活动", QM, None, 2025, "qj", None, "曲靖市红十字会", 600, 30, 24),
    ("大理州清明节捐献者缅怀活动", QM, None, 2025, "dl", None, "大理州红十字会", 450, 20, 15),
    ("玉溪市生命礼赞纪念墙揭幕仪式", QM, None, 2025, "yx", None, "玉溪市红十字会", 380, 18, 12),
    (
        "5·8世界红十字日人道传播暨缅怀活动",
        OT,
        date(2025, 5, 8),
        2025,
        None,
        "530100",
        "昆明市红十字会",
        350,
        None,
        None,
    ),
    ("世界器官捐献日主题宣传活动", OT, date(2025, 8, 13), 2025, None, "530102", "五华区红十字会", 300, None, None),
    ("向“无语良师”致敬——医学生入学第一课", OT, date(2025, 9, 15), 2025, "kmu", None, "昆明医科大学", 520, 12, 9),
    ("红河州缅怀园落成仪式", OT, date(2025, 11, 20), 2025, "hh", None, "红河州红十字会", 260, 15, 11),
    ("2025年冬至器官捐献者缅怀纪念活动", WS, None, 2025, "km", None, "昆明市红十字会", 800, 60, 48),
    ("曲靖市冬至缅怀活动", WS, None, 2025, "qj", None, "曲靖市红十字会", 400, 25, 19),
    ("大理州冬至缅怀活动", WS, None, 2025, "dl", None, "大理州红十字会", 300, 16, 12),
    ("红河州冬至缅怀活动", WS, None, 2025, "hh", None, "红河州红十字会", 280, 14, 10),
    ("2026年清明节器官捐献者缅怀纪念活动", QM, None, 2026, "km", None, "云南省红十字会、昆明市红十字会", 1300, 90, 72),
    ("曲靖市2026年清明缅怀活动", QM, None, 2026, "qj", None, "曲靖市红十字会", 650, 32, 26),
    ("丽江市纪念亭落成暨清明缅怀活动", QM, None, 2026, "lj", None, "丽江市红十字会", 500, 20, 16),
    ("5·8世界红十字日缅怀活动", OT, date(2026, 5, 8), 2026, None, "530100", "昆明市红十字会", 320, None, None),
]

REPORT = "活动向捐献者默哀、献花，宣读捐献者名录，家属代表发言，志愿者讲解器官捐献知识。"


@transaction.atomic
def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None or MemorialSite.objects.filter(name=SITES[0][1]).exists():
        return False
    now = timezone.now()
    sites = {}
    for key, name, kind, county, address, opened_on, offers, manager, description in SITES:
        organisation = Organisation.objects.filter(code=manager).first()
        site = MemorialSite.objects.create(
            name=name,
            kind=kind,
            region=Region.objects.get(code=county),
            address=address,
            opened_on=opened_on,
            offers=[str(o) for o in offers],
            description=description,
            organisation=organisation,
            manager="" if organisation else manager,
            created_by=admin,
        )
        audit_log(action="memorials.site.created", actor=admin, obj=site, changes={"demo": True}, now=now)
        sites[key] = site
    for title, occasion, day, year, site_key, region, organisers, participants, invited, attended in EVENTS:
        if day is None:
            day = qingming(year) if occasion == QM else winter_solstice(year)
        site = sites.get(site_key)
        event = MemorialEvent.objects.create(
            title=title,
            occasion=occasion,
            held_on=day,
            site=site,
            region=site.region if site else Region.objects.get(code=region),
            organisers=organisers,
            participants=participants,
            families_invited=invited,
            families_attended=attended,
            report=REPORT,
            created_by=admin,
        )
        audit_log(action="memorials.event.created", actor=admin, obj=event, changes={"demo": True}, now=now)
    return True
