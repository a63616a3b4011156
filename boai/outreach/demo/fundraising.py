"""The demo's online fundraising, by the provincial branch: 2025's 5·8 人道公益日 for donor families
(腾讯公益, target 200,000 yuan, 5–8 May, typed in day by day), 2025's 久久公益节 (7–9 September,
imported from the platform's export) and 2026's 5·8 人道公益日. Skipped when the first project is
already there. Written directly, each with its audit entry (the demo's dates lie in the past; the
services' rules are tested elsewhere)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User
from boai.audit.services import audit_log
from boai.core.models import Region

from ..models import FundraisingDay, FundraisingImport, FundraisingProject

FAMILY, PROMOTION = FundraisingProject.Purpose.FAMILY_CARE, FundraisingProject.Purpose.PROMOTION

# title, purpose, care kind, target (yuan), platform, first day, last day, imported file or "",
# days: (day, amount in fen, donors)
PROJECTS = [
    (
        "5·8人道公益日 · 器官捐献者家庭关怀",
        FAMILY,
        "relief_fund",
        200_000,
        "腾讯公益",
        date(2025, 5, 5),
        date(2025, 5, 8),
        "",
        [
            (date(2025, 5, 5), 1_865_000, 412),
            (date(2025, 5, 6), 2_431_050, 538),
            (date(2025, 5, 7), 3_187_620, 701),
            (date(2025, 5, 8), 9_654_280, 2105),
        ],
    ),
    (
        "久久公益节 · 生命接力",
        PROMOTION,
        "",
        300_000,
        "腾讯公益",
        date(2025, 9, 7),
        date(2025, 9, 9),
        "腾讯公益-久久公益节-每日筹款.xlsx",
        [
            (date(2025, 9, 7), 5_230_000, 1240),
            (date(2025, 9, 8), 6_187_040, 1533),
            (date(2025, 9, 9), 14_892_060, 3412),
        ],
    ),
    (
        "2026年5·8人道公益日 · 生命之光",
        FAMILY,
        "condolence",
        250_000,
        "支付宝公益",
        date(2026, 5, 5),
        date(2026, 5, 8),
        "",
        [
            (date(2026, 5, 5), 2_140_000, 460),
            (date(2026, 5, 6), 2_795_030, 602),
            (date(2026, 5, 7), 3_512_000, 790),
            (date(2026, 5, 8), 11_876_050, 2460),
        ],
    ),
]


@transaction.atomic
def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None or FundraisingProject.objects.filter(title=PROJECTS[0][0]).exists():
        return False
    now = timezone.now()
    province = Region.objects.get(code="530000")
    for title, purpose, kind, target, platform, starts_on, ends_on, filename, days in PROJECTS:
        project = FundraisingProject.objects.create(
            title=title,
            purpose=purpose,
            care_kind=kind,
            target_fen=target * 100,
            platform=platform,
            starts_on=starts_on,
            ends_on=ends_on,
            region=province,
            created_by=admin,
        )
        audit_log(
            action="outreach.project.created",
            actor=admin,
            obj=project,
            changes={"title": title, "target_fen": project.target_fen, "platform": platform},
            now=now,
        )
        source = None
        if filename:
            source = FundraisingImport.objects.create(
                project=project,
                filename=filename,
                sha256="0" * 64,
                uploaded_by=admin,
                uploaded_at=now,
                rows_total=len(days),
                rows_saved=len(days),
            )
            audit_log(
                action="outreach.results.imported",
                actor=admin,
                obj=source,
                changes={"project": project.pk, "file": filename, "rows_saved": len(days), "replaced": 0},
                now=now,
            )
        for day, amount_fen, donors in days:
            FundraisingDay.objects.create(
                project=project,
                day=day,
                amount_fen=amount_fen,
                donors=donors,
                source=source,
                recorded_by=admin,
                recorded_at=now,
            )
            if source is None:
                audit_log(
                    action="outreach.results.recorded",
                    actor=admin,
                    obj=project,
                    changes={"day": day.isoformat(), "amount_fen": [None, amount_fen], "donors": [None, donors]},
                    now=now,
                )
    return True
