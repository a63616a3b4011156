"""The demo's media reports, Yunnan-like: eleven over 2025–2026 in 云南日报, 云南广播电视台, 新华网, 人民网,
学习强国 and Kunming's papers, among them the video series on a donor "生命的礼物" taken up by national
media, and a public service advertisement. Reports of an occasion are linked to the demo's event of
that kind and year (or the registration season's campaign) when one exists; without them they stand
alone. The links are the outlets' home pages. Skipped when the first report is already there. Written
directly, each with its audit entry (the services' rules are tested elsewhere)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.models import Region

from ..models import Campaign, Event, EventKind, MediaReport

N, V, PSA, TALK = MediaReport.Kind.NEWS, MediaReport.Kind.VIDEO, MediaReport.Kind.PSA, MediaReport.Kind.INTERVIEW
YNDAILY = "https://www.yndaily.com/"
YNTV = "https://www.yntv.cn/"
XINHUA = "https://www.news.cn/"
PEOPLE = "http://www.people.com.cn/"
XUEXI = "https://www.xuexi.cn/"

# outlet, title, published on, kind, national, reach, link, region, event kind (linked when found),
# campaign (linked to the season when found)
REPORTS = [
    (
        "云南日报",
        "“云岭同心·边疆聚力·生命传递”人体器官捐献志愿登记季启动",
        date(2025, 3, 18),
        N,
        False,
        86000,
        YNDAILY,
        "530000",
        None,
        True,
    ),
    (
        "云南广播电视台",
        "清明时节，昆明各界缅怀器官和遗体捐献者",
        date(2025, 4, 4),
        N,
        False,
        120000,
        YNTV,
        "530000",
        EventKind.REMEMBRANCE,
        False,
    ),
    (
        "新华网",
        "云南：5·8世界红十字日聚焦“生命接力”",
        date(2025, 5, 8),
        N,
        True,
        350000,
        XINHUA,
        "530000",
        EventKind.RED_CROSS_DAY,
        False,
    ),
    (
        "云南广播电视台",
        "系列微视频《生命的礼物》：一位捐献者和他点亮的五个家庭",
        date(2025, 6, 12),
        V,
        False,
        460000,
        YNTV,
        "530000",
        None,
        True,
    ),
    (
        "学习强国",
        "《生命的礼物》：云南器官捐献者的故事",
        date(2025, 6, 20),
        V,
        True,
        1200000,
        XUEXI,
        "530000",
        None,
        True,
    ),
    (
        "人民网",
        "微视频《生命的礼物》讲述云南捐献者故事 传递人间大爱",
        date(2025, 6, 23),
        N,
        True,
        None,
        PEOPLE,
        "530000",
        None,
        True,
    ),
    (
        "云南广播电视台",
        "器官捐献公益广告《生命接力》",
        date(2025, 8, 13),
        PSA,
        False,
        2000000,
        YNTV,
        "530000",
        None,
        False,
    ),
    (
        "春城晚报",
        "万米接力公益跑 千名跑者为生命助力",
        date(2025, 10, 19),
        N,
        False,
        45000,
        "",
        "530100",
        EventKind.CHARITY_RUN,
        False,
    ),
    (
        "人民网",
        "云南2025年人体器官捐献志愿登记1.76万人 位居全国前列",
        date(2026, 1, 15),
        N,
        True,
        None,
        PEOPLE,
        "530000",
        None,
        False,
    ),
    (
        "昆明日报",
        "走进校园：医学生听器官捐献协调员讲“生命课”",
        date(2026, 3, 26),
        TALK,
        False,
        18000,
        "",
        "530100",
        EventKind.LECTURE,
        False,
    ),
    (
        "云南日报",
        "5·8人道公益日：全省红十字系统开展器官捐献宣传",
        date(2026, 5, 8),
        N,
        False,
        None,
        YNDAILY,
        "530000",
        EventKind.RED_CROSS_DAY,
        False,
    ),
]


def _event(kind, year: int):
    if kind is None:
        return None
    return Event.objects.filter(kind=kind, starts_on__year=year).order_by("starts_on", "id").first()


def _season():
    season = Campaign.objects.filter(title__contains="云岭同心").order_by("-starts_on").first()
    return season or Campaign.objects.filter(starts_on__year=2025).order_by("starts_on", "id").first()


@transaction.atomic
def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None or MediaReport.objects.filter(title=REPORTS[0][1]).exists():
        return False
    now = timezone.now()
    season = _season()
    for outlet, title, day, kind, national, reach, url, region, event_kind, in_season in REPORTS:
        event = _event(event_kind, day.year)
        report = MediaReport.objects.create(
            outlet=outlet,
            title=title,
            url=url,
            published_on=day,
            kind=kind,
            national=national,
            reach=reach,
            event=event,
            campaign=(event.campaign if event else None) or (season if in_season else None),
            region=Region.objects.get(code=region),
            created_by=admin,
        )
        audit_log(action="outreach.media.created", actor=admin, obj=report, changes={"demo": True}, now=now)
    return True
