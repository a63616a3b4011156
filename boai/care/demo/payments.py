"""The demo payments (loaded only once the families' demo has made families, whatever they are): budgets
for 2025 and 2026 in Kunming (530100) and Qujing (530300) for each kind, and payments in every state —
in review at each level, approved and waiting to be paid, rejected, withdrawn, paid (in several months
and both prefectures, some months with three or more so the public ledger shows real rows beside folded
ones), and one paid by mistake, reversed and paid again correctly. Made through the services, at past
moments, as the clerks would: in Wuhua, wuhua_clerk applies, wuhua_staff (county), kunming_staff
(prefecture) and prov_admin (province) approve, and wuhua_clerk pays (never an approver).

A family is used only where every level of its chain has a reviewer's account: the demo accounts cover
Wuhua, and for Qujing's Qilin the demo accounts ``qujing_staff`` (the prefecture) and ``qilin_clerk``
(a second Qilin clerk) complete the chain."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.core.models import Region

from ..models import Budget, Family, Payment
from ..services import payments as services
from ..workflow import branch_region, prefecture_code

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
BUDGET_YUAN = {"condolence": 200_000, "hardship": 100_000, "relief_fund": 300_000}


def user(username: str) -> User | None:
    return User.objects.select_related("organization").filter(username=username).first()


def _branch_staff(region_code: str, exclude=()) -> list[User]:
    return list(
        User.objects.select_related("organization")
        .filter(
            organization__code=f"RC{region_code}",
            role__in=(Role.BRANCH_STAFF, Role.PROVINCE_ADMIN),
            is_active=True,
        )
        .exclude(pk__in=[u.pk for u in exclude])
        .order_by("date_joined", "id")
    )


def chain(family: Family) -> dict | None:
    """Who applies, who reviews at each level, who pays, for ``family``; None when a level has no account."""
    county = family.region_id
    levels = services.levels_for(family.region, services.configured_levels())
    reviewers = []
    for level in levels:
        preferred = {"county": "wuhua_staff", "prefecture": "kunming_staff", "province": "prov_admin"}[level]
        staff = _branch_staff(branch_region(level, county), exclude=reviewers)
        named = [u for u in staff if u.username == preferred]
        if not (named or staff):
            return None
        reviewers.append((named or staff)[0])
    clerks = _branch_staff(county, exclude=reviewers) or _branch_staff(prefecture_code(county), exclude=reviewers)
    if not clerks:
        return None
    clerk = next((u for u in clerks if u.username.endswith("_clerk")), clerks[0])
    return {"clerk": clerk, "reviewers": reviewers}


def _at(day, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _make(family, who, *, kind, yuan, applied_on, reviewed=0, reject=False, withdraw=False, paid=False):
    """A payment applied on ``applied_on``, approved by the first ``reviewed`` levels (one day apart), then
    rejected, withdrawn or paid as asked."""
    payment = services.payment_apply(
        actor=who["clerk"],
        family=family,
        kind=kind,
        amount_fen=yuan * 100,
        reason="家庭因捐献者离世收入减少，申请人道关怀。" if kind == "condolence" else "家庭生活困难，申请救助。",
        documents=[SimpleUploadedFile("申请表.pdf", PDF, content_type="application/pdf")],
        now=_at(applied_on, 9),
    )
    day = applied_on
    for reviewer in who["reviewers"][:reviewed]:
        day += timedelta(days=1)
        payment = services.payment_review(actor=reviewer, payment=payment, decision="approved", now=_at(day))
    if reject:
        day += timedelta(days=1)
        payment = services.payment_review(
            actor=who["reviewers"][reviewed],
            payment=payment,
            decision="rejected",
            reason="已享受同类救助，不符合条件。",
            now=_at(day),
        )
    if withdraw:
        payment = services.payment_withdraw(actor=who["clerk"], payment=payment, now=_at(day, 15))
    if paid:
        day += timedelta(days=3)
        payment = services.payment_pay(
            actor=who["clerk"],
            payment=payment,
            paid_on=day,
            method="bank",
            voucher=f"YNHZ-{day:%Y%m}-{payment.pk:04d}",
            now=_at(day, 16),
        )
    return payment


def _budgets(actor) -> None:
    for year in (2025, 2026):
        for region in ("530100", "530300"):
            if not Region.objects.filter(code=region).exists():
                continue
            for kind, yuan in BUDGET_YUAN.items():
                if not Budget.objects.filter(year=year, kind=kind, region_id=region).exists():
                    services.budget_set(actor=actor, year=year, kind=kind, region_code=region, amount_fen=yuan * 100)


def load() -> bool:
    admin = user("prov_admin")
    if admin is None or Payment.objects.exists() or not Family.objects.exists():
        return False
    _budgets(admin)
    staffed = [(f, who) for f in Family.objects.select_related("region").order_by("id") if (who := chain(f))]
    if not staffed:
        return True
    by_pref: dict[str, list] = {}
    for family, who in staffed:
        by_pref.setdefault(prefecture_code(family.region_id), []).append((family, who))
    kunming = by_pref.get("530100") or staffed
    qujing = by_pref.get("530300") or []
    today = timezone.localdate()

    def pick(pool, n):
        return pool[n % len(pool)]

    def months_ago(n, day=5):
        first = today.replace(day=1)
        for _i in range(n):
            first = (first - timedelta(days=1)).replace(day=1)
        return first.replace(day=day)

    kinds = ("condolence", "hardship", "relief_fund")
    n = 0
    # paid: three in each of two Kunming months (shown as rows), single ones (folded), last year's, Qujing's
    for months, count in ((2, 3), (4, 3), (6, 1), (9, 1), (13, 2)):
        for i in range(count):
            family, who = pick(kunming, n)
            _make(
                family,
                who,
                kind=kinds[n % 3],
                yuan=(5000, 8000, 10000)[n % 3],
                applied_on=months_ago(months, 3 + i),
                reviewed=len(who["reviewers"]),
                paid=True,
            )
            n += 1
    for months in (3, 5):
        if qujing:
            family, who = pick(qujing, n)
            _make(
                family,
                who,
                kind="condolence",
                yuan=6000,
                applied_on=months_ago(months),
                reviewed=len(who["reviewers"]),
                paid=True,
            )
            n += 1
    # paid by mistake (twice the amount), reversed, then paid again correctly
    family, who = pick(kunming, n)
    wrong = _make(
        family,
        who,
        kind="condolence",
        yuan=20000,
        applied_on=months_ago(1, 2),
        reviewed=len(who["reviewers"]),
        paid=True,
    )
    services.payment_reverse(
        actor=who["clerk"],
        payment=wrong,
        reason="金额填写错误（应为10,000元），冲正后重新支付。",
        now=_at(months_ago(1, 12)),
    )
    _make(
        family,
        who,
        kind="condolence",
        yuan=10000,
        applied_on=months_ago(1, 13),
        reviewed=len(who["reviewers"]),
        paid=True,
    )
    n += 1
    # open ones: in review at each level, approved and waiting to be paid, rejected, withdrawn
    recent = today - timedelta(days=10)
    for reviewed in (0, 1, 2):
        family, who = pick(kunming, n)
        if reviewed < len(who["reviewers"]):
            _make(family, who, kind=kinds[reviewed], yuan=3000 + 1000 * reviewed, applied_on=recent, reviewed=reviewed)
        n += 1
    family, who = pick(kunming, n)
    _make(family, who, kind="hardship", yuan=4000, applied_on=recent, reviewed=len(who["reviewers"]))
    family, who = pick(kunming, n + 1)
    _make(family, who, kind="relief_fund", yuan=50000, applied_on=recent - timedelta(days=20), reviewed=1, reject=True)
    family, who = pick(kunming, n + 2)
    _make(family, who, kind="condolence", yuan=2000, applied_on=recent + timedelta(days=2), withdraw=True)
    return True
