"""The demo's partners and publicity events, Yunnan-like: the provincial departments and schools the
centre works with, and events of 2025 and 2026 across several prefectures (the Qingming remembrance,
5·8 World Red Cross Day, the volunteer service month, registration drives, the 10,000-metre charity
relay run, lectures at Kunming Medical University), and four events around the day the demo is
loaded (five days ago to seventeen days ahead) for the calendar and the home page. The events have
no campaign: the campaigns demo (loaded after this one) attaches some of them to its campaign. Loaded
once (the first partner marks it); the events around today are each added once, by title.
Written directly, each with its audit entry (most of the demo's dates lie in the past; the
services' rules are tested elsewhere)."""

import secrets
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.models import Region
from boai.lib.traditional_days import qingming

from ..models import EVENT_CODE_PREFIX, Event, EventKind, Mode, Partner

G, S, M, H, RC = (
    Partner.Kind.GOVERNMENT,
    Partner.Kind.SCHOOL,
    Partner.Kind.MEDIA,
    Partner.Kind.HOSPITAL,
    Partner.Kind.RED_CROSS,
)

PARTNERS = [
    ("云南省文明办", G),
    ("云南省卫生健康委员会", G),
    ("云南省教育厅", G),
    ("云南省民政厅", G),
    ("昆明医科大学", S),
    ("大理大学", S),
    ("云南日报", M),
    ("云南广播电视台", M),
    ("昆明医科大学第一附属医院", H),
    ("昆明市红十字会", RC),
]

K = EventKind
ON, OFF, BOTH = Mode.ONLINE, Mode.OFFLINE, Mode.BOTH

# title, kind, first day (None: that year's Qingming), last day (None: the same), year, region, place,
# organisers, partners, mode, audience, volunteers, with a report
EVENTS = [
    (
        "2025年清明节“缅怀·感恩·传承”器官捐献主题宣传",
        K.REMEMBRANCE, None, None, 2025, "530000", "昆明市金宝山艺术园林", "云南省红十字会",
        ["云南省文明办", "云南省民政厅"], BOTH, 2600, 60, True,
    ),
    (
        "大理州清明节生命礼赞宣传活动",
        K.REMEMBRANCE, None, None, 2025, "532901", "大理市人民公园", "大理州红十字会",
        ["大理大学"], OFF, 800, 25, False,
    ),
    (
        "5·8世界红十字日器官捐献宣传进社区",
        K.RED_CROSS_DAY, date(2025, 5, 8), None, 2025, "530102", "五华区翠湖公园", "五华区红十字会",
        ["云南省卫生健康委员会"], OFF, 1200, 40, True,
    ),
    (
        "曲靖市5·8人道公益宣传日",
        K.RED_CROSS_DAY, date(2025, 5, 8), None, 2025, "530302", "麒麟区南城门广场", "曲靖市红十字会",
        [], OFF, 650, 30, False,
    ),
    (
        "“云岭同心·边疆聚力·生命传递”登记宣传周",
        K.REGISTRATION_DRIVE, date(2025, 6, 9), date(2025, 6, 15), 2025, "530000", "全省各州市", "云南省红十字会",
        ["云南省卫生健康委员会", "云南日报"], BOTH, 15000, 320, True,
    ),
    (
        "红十字志愿服务月器官捐献知识宣讲",
        K.VOLUNTEER_MONTH, date(2025, 3, 5), date(2025, 3, 31), 2025, "530100", "昆明市各社区", "昆明市红十字会",
        ["昆明市红十字会"], OFF, 3400, 150, True,
    ),
    (
        "生命接力·万米公益接力跑",
        K.CHARITY_RUN, date(2025, 10, 18), None, 2025, "530000", "昆明滇池绿道", "云南省红十字会",
        ["云南省文明办", "云南广播电视台"], OFF, 2000, 120, True,
    ),
    (
        "向“无语良师”致敬——生命教育讲座",
        K.LECTURE, date(2025, 9, 16), None, 2025, "530114", "昆明医科大学呈贡校区", "云南省红十字会",
        ["昆明医科大学", "云南省教育厅"], OFF, 480, 12, True,
    ),
    (
        "普洱市器官捐献登记宣传进校园",
        K.REGISTRATION_DRIVE, date(2025, 11, 12), None, 2025, "530800", "普洱学院", "普洱市红十字会",
        ["云南省教育厅"], OFF, 560, 20, False,
    ),
    (
        "器官捐献者家属访谈节目录制",
        K.MEDIA, date(2025, 12, 3), None, 2025, "530000", "云南广播电视台", "云南省红十字会",
        ["云南广播电视台", "云南日报"], ON, None, 5, False,
    ),
    (
        "2026年清明节器官捐献者缅怀宣传",
        K.REMEMBRANCE, None, None, 2026, "530000", "昆明市金宝山艺术园林", "云南省红十字会",
        ["云南省文明办", "云南省民政厅"], BOTH, 2800, 70, True,
    ),
    (
        "红十字志愿服务月“生命传递”主题宣讲",
        K.VOLUNTEER_MONTH, date(2026, 3, 2), date(2026, 3, 31), 2026, "532500", "红河州各县市", "红河州红十字会",
        [], OFF, 1900, 85, False,
    ),
    (
        "2026年5·8世界红十字日主题宣传",
        K.RED_CROSS_DAY, date(2026, 5, 8), None, 2026, "530100", "昆明市南屏街广场", "昆明市红十字会",
        ["昆明市红十字会", "云南省卫生健康委员会"], BOTH, 1500, 50, True,
    ),
    (
        "大理大学器官捐献知识讲座",
        K.LECTURE, date(2026, 5, 20), None, 2026, "532901", "大理大学古城校区", "大理州红十字会",
        ["大理大学"], OFF, 350, 8, False,
    ),
]  # fmt: skip

# events around the day the demo is loaded, so that the calendar and the home page show something:
# title, kind, days from today (first, last), region, place, organisers, partners, mode, audience,
# volunteers, with a report (only the past one)
AROUND_TODAY = [
    (
        "昆明医科大学“生命的礼物”器官捐献主题讲座",
        K.LECTURE, -5, -5, "530114", "昆明医科大学呈贡校区", "云南省红十字会",
        ["昆明医科大学"], OFF, 420, 10, True,
    ),
    (
        "五华区社区器官捐献登记咨询日",
        K.REGISTRATION_DRIVE, 3, 3, "530102", "五华区翠湖公园", "五华区红十字会",
        ["昆明市红十字会"], OFF, None, 20, False,
    ),
    (
        "曲靖市红十字志愿者器官捐献知识宣讲",
        K.VOLUNTEER_MONTH, 10, 12, "530302", "麒麟区各社区", "曲靖市红十字会",
        [], OFF, None, 35, False,
    ),
    (
        "“生命传递”捐献者家属访谈直播",
        K.MEDIA, 17, 17, "530000", "云南广播电视台", "云南省红十字会",
        ["云南广播电视台"], ON, None, 4, False,
    ),
]  # fmt: skip

REPORT = (
    "活动设置咨询台和展板，志愿者讲解器官和遗体捐献的意义、登记方式和相关法规，现场发放宣传资料，"
    "并引导有意愿的市民扫码登记。"
)


def _create(
    admin,
    partners,
    *,
    title,
    kind,
    starts,
    ends,
    region,
    place,
    organisers,
    names,
    mode,
    audience,
    volunteers,
    report,
    now,
) -> Event:
    event = Event.objects.create(
        title=title,
        kind=kind,
        code=f"{EVENT_CODE_PREFIX}{secrets.token_hex(3)}",
        starts_on=starts,
        ends_on=ends or starts,
        place=place,
        region=Region.objects.get(code=region),
        organisers=organisers,
        mode=mode,
        audience=audience,
        volunteers=volunteers,
        report=REPORT if report else "",
        created_by=admin,
    )
    event.partners.set([partners[n] for n in names])
    audit_log(action="outreach.event.created", actor=admin, obj=event, changes={"demo": True}, now=now)
    return event


def _around_today(admin, partners, now) -> bool:
    """The events around today, each added once (by its title), dated from the day the demo is loaded."""
    today = timezone.localdate(now)
    added = False
    for title, kind, first, last, region, place, organisers, names, mode, audience, volunteers, report in AROUND_TODAY:
        if Event.objects.filter(title=title).exists():
            continue
        _create(
            admin, partners, title=title, kind=kind, starts=today + timedelta(days=first),
            ends=today + timedelta(days=last), region=region, place=place, organisers=organisers, names=names,
            mode=mode, audience=audience, volunteers=volunteers, report=report, now=now,
        )  # fmt: skip
        added = True
    return added


@transaction.atomic
def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None:
        return False
    now = timezone.now()
    if Partner.objects.filter(name=PARTNERS[0][0]).exists():
        # loaded before: only the events around today, when missing (a demo loaded before they existed)
        partners = {p.name: p for p in Partner.objects.filter(name__in=[n for n, _k in PARTNERS])}
        return _around_today(admin, partners, now)
    partners = {}
    for name, kind in PARTNERS:
        partner = Partner.objects.filter(name=name).first() or Partner.objects.create(name=name, kind=kind)
        audit_log(action="outreach.partner.created", actor=admin, obj=partner, changes={"demo": True}, now=now)
        partners[name] = partner
    for title, kind, starts, ends, year, region, place, organisers, names, mode, audience, volunteers, report in EVENTS:
        _create(
            admin, partners, title=title, kind=kind, starts=starts or qingming(year), ends=ends, region=region,
            place=place, organisers=organisers, names=names, mode=mode, audience=audience, volunteers=volunteers,
            report=report, now=now,
        )  # fmt: skip
    _around_today(admin, partners, now)
    return True
