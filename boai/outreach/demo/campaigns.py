"""The demo's campaigns: the 2025 registration season "云岭同心·边疆聚力·生命传递" (``yunling-2025``, run
by the province, 1 March to 31 December 2025) and the 2026 one. The events helper's demo events of those
dates that belong to no campaign join them (there may be none). Then about 60 of the registry demo's
registrations made during a season are attributed to it (or to one of its events, for those taken at an
event); the registry's demo holds only a few, so the rest are registered through the registry's own
service as if through the 2025 link or its events (invented people in every prefecture, spread over the
season), so that the campaign pages' charts show days, prefectures and channels. Written directly, each
campaign with its audit entry (the demo's dates lie in the past; the services' rules are tested
elsewhere). Skipped when ``yunling-2025`` is already there."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.demo import DEMO_ACTOR, SHANGHAI, resident_id
from boai.core.models import Region
from boai.registry import notices
from boai.registry.models import Registration
from boai.registry.services import PersonData, registration_campaigns_set, registration_create

from ..models import Campaign, Event, Partner

SEASONS = [
    (
        "云岭同心·边疆聚力·生命传递",
        "yunling-2025",
        date(2025, 3, 1),
        date(2025, 12, 31),
        20000,
        "2025年全省人体器官捐献志愿登记季：省文明办、省卫生健康委、省教育厅、省民政厅与各州（市）红十字会共同开展，"
        "线上线下结合，进社区、进校园、进医院。",
    ),
    (
        "2026年“生命接力”志愿登记季",
        "shengming-2026",
        date(2026, 3, 1),
        date(2026, 12, 31),
        22000,
        "2026年全省人体器官捐献志愿登记季，延续“云岭同心”活动，重点走进边疆县和高校。",
    ),
]
ATTRIBUTED = 60  # registrations tagged with a season's code


def _bounds(start: date, end: date):
    return (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end, time.max, tzinfo=SHANGHAI),
    )


@transaction.atomic
def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None or Campaign.objects.filter(code=SEASONS[0][1]).exists():
        return False
    now = timezone.now()
    province = Region.objects.get(code="530000")
    partners = list(Partner.objects.filter(active=True).order_by("pk")[:4])
    left = ATTRIBUTED
    for title, code, starts_on, ends_on, target, description in SEASONS:
        campaign = Campaign.objects.create(
            title=title,
            code=code,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            region=province,
            target_registrations=target,
            created_by=admin,
        )
        campaign.partners.set(partners)
        audit_log(action="outreach.campaign.created", actor=admin, obj=campaign, changes={"demo": True}, now=now)
        events = list(
            Event.objects.filter(campaign__isnull=True, starts_on__gte=starts_on, starts_on__lte=ends_on).order_by(
                "starts_on", "pk"
            )[:8]
        )
        Event.objects.filter(pk__in=[e.pk for e in events]).update(campaign=campaign)
        # the season's registrations, oldest first; those taken at an event go to one of its events
        start, end = _bounds(starts_on, ends_on)
        regs = list(
            Registration.objects.filter(campaign="", registered_at__gte=start, registered_at__lte=end)
            .order_by("registered_at", "pk")
            .values_list("pk", "channel")[:left]
        )
        attributed = {}
        for i, (pk, channel) in enumerate(regs):
            attributed[pk] = code
            if events and channel in (Registration.Channel.EVENT, Registration.Channel.EVENT_OFFLINE):
                attributed[pk] = events[i % len(events)].code
        registration_campaigns_set(attributed)  # the registry's tally follows
        left -= len(regs)
        if code == SEASONS[0][1] and left > 0:
            _through_the_link(campaign, events, left)
            left = 0
    return True


SURNAMES = "李王张刘杨赵段岩普和罗陈周孙马"
GIVEN = ["丽华", "国强", "文斌", "玉梅", "志明", "晓东", "美玲", "建华", "春燕", "永福", "海燕", "金花"]
ETHNIC = ["01", "01", "07", "14", "18", "01", "16", "05"]


def _through_the_link(campaign: Campaign, events: list, count: int) -> None:
    """``count`` registrations through the season's link (online) or its events (at an event, on
    paper), one county of each prefecture in turn, on days spread over the season."""
    counties = [
        Region.objects.filter(parent=prefecture, level=Region.Level.COUNTY).order_by("code").first()
        for prefecture in Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith="53").order_by("code")
    ]
    counties = [c for c in counties if c is not None]
    span = (campaign.ends_on - campaign.starts_on).days
    for i in range(count):
        county = counties[(i * 7) % len(counties)]
        born = date(1965 + i % 30, 1 + i % 12, 1 + (i * 5) % 28)
        sex = "F" if i % 2 else "M"
        day = campaign.starts_on + timedelta(days=(i * 37) % span)
        when = datetime.combine(day, time(8 + i % 12, (i * 13) % 60), tzinfo=SHANGHAI)
        channel, code = Registration.Channel.ONLINE, campaign.code
        if events and i % 4 == 3:
            channel, code = Registration.Channel.EVENT, events[i % len(events)].code
        elif i % 5 == 4:
            channel = Registration.Channel.PAPER
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 5) % len(GIVEN)]
        data = PersonData(
            name=name,
            id_type=Registration.IdType.RESIDENT_ID,
            id_number=resident_id(county.code, born, sex, 70 + i % 29),
            phone=f"137{(20260000 + i * 7919) % 10**8:08d}",
            region_code=county.code,
            ethnic_group=ETHNIC[i % len(ETHNIC)],
            address=f"{county.name}团结路{i + 1}号",
            organs=["all"],
            tissues=["cornea"] if i % 3 == 0 else [],
            family_informed=[{"name": "家属" + name[0], "relationship": "配偶"}],
            campaign=code,
        )
        registration_create(actor=DEMO_ACTOR, data=data, channel=channel, consent_version=notices.CURRENT, now=when)
