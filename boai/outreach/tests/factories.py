"""Records for outreach's tests, made straight in the database: the services under test make them the
checked way; these only set the scene."""

import secrets
from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from boai.core.models import Region
from boai.core.tests.personas import user

from ..models import EVENT_CODE_PREFIX, Campaign, Event, FundraisingDay, FundraisingProject, MediaReport, Partner

_seq = count(1)


def make_partner(*, name: str | None = None, kind: str = "government") -> Partner:
    return Partner.objects.create(name=name or f"测试合作单位{next(_seq)}", kind=kind)


def make_campaign(
    *,
    region: str = "530000",
    code: str | None = None,
    title: str | None = None,
    starts_on: date = date(2025, 3, 1),
    ends_on: date | None = None,
    created_by: str = "prov_admin",
) -> Campaign:
    """A campaign run by ``region`` (the province 530000 by default), running until a year from today
    (its link still attributes) unless ``ends_on`` says otherwise."""
    n = next(_seq)
    return Campaign.objects.create(
        title=title or f"测试登记季{n}",
        code=code or f"test-{n}-{secrets.token_hex(2)}",
        starts_on=starts_on,
        ends_on=ends_on or timezone.localdate() + timedelta(days=365),
        region=Region.objects.get(code=region),
        created_by=user(created_by),
    )


def make_event(
    *,
    region: str = "530102",
    campaign: Campaign | None = None,
    title: str | None = None,
    kind: str = "registration_drive",
    starts_on: date = date(2025, 5, 8),
    ends_on: date | None = None,
    audience: int | None = 200,
    volunteers: int | None = 10,
    created_by: str = "wuhua_staff",
) -> Event:
    """A publicity event in ``region`` (a county or prefecture code)."""
    return Event.objects.create(
        title=title or f"测试宣传活动{next(_seq)}",
        kind=kind,
        campaign=campaign,
        code=f"{EVENT_CODE_PREFIX}{secrets.token_hex(3)}",
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        place="测试广场",
        region=Region.objects.get(code=region),
        organisers="测试红十字会",
        audience=audience,
        volunteers=volunteers,
        created_by=user(created_by),
    )


def make_media(
    *,
    region: str = "530102",
    event: Event | None = None,
    campaign: Campaign | None = None,
    published_on: date = date(2025, 5, 9),
    kind: str = "news",
    created_by: str = "wuhua_staff",
) -> MediaReport:
    return MediaReport.objects.create(
        outlet="测试日报",
        title=f"测试报道{next(_seq)}",
        url="https://example.org/news/1",
        published_on=published_on,
        kind=kind,
        reach=1000,
        event=event,
        campaign=campaign,
        region=Region.objects.get(code=region),
        created_by=user(created_by),
    )


def make_project(
    *,
    region: str = "530000",
    purpose: str = "family_care",
    care_kind: str = "relief_fund",
    starts_on: date = date(2025, 5, 8),
    ends_on: date = date(2025, 5, 10),
    target_fen: int = 10_000_000,
    days: tuple = (),
    created_by: str = "prov_admin",
) -> FundraisingProject:
    """A fundraising project; ``days``: (date, amount_fen, donors) results."""
    project = FundraisingProject.objects.create(
        title=f"测试公益项目{next(_seq)}",
        purpose=purpose,
        care_kind=care_kind,
        target_fen=target_fen,
        platform="腾讯公益",
        starts_on=starts_on,
        ends_on=ends_on,
        region=Region.objects.get(code=region),
        created_by=user(created_by),
    )
    for day, amount_fen, donors in days:
        FundraisingDay.objects.create(
            project=project,
            day=day,
            amount_fen=amount_fen,
            donors=donors,
            recorded_by=user(created_by),
            recorded_at=timezone.now(),
        )
    return project
