"""Outreach figures, each a ratio against a baseline measured in the same run (imported by run.py, which
has set Django up on the bench database):

- offline sync: N entries synced through ``collected_sync`` in batches of 50 (key row, checks, the
  registry's own service, the signature stored, audit) vs the same N registrations made directly with
  ``registration_create`` (channel paper); and re-syncing the same batches (each answered from its
  stored key) vs the first sync.
- campaign breakdowns: the total and the three breakdowns (per Beijing day, per prefecture, per
  channel) of M registrations attributed to a campaign vs a plain count of the campaign's rows.

Every row the section makes is named with ``MARK`` and removed at its end (and at its start, after an
interrupted run); the audit entries stay, as in the audit section (the chain is append-only). The birth
dates (1900-1939) lie outside those of gen_synthetic (1940-2005) and import_bench (1950), so that no ID
number meets an active registration of the other sections."""

import os
import random
import secrets
import statistics
import time
import uuid
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from stdnum.cn import ric

MARK = "外展测试"
CAMPAIGN_CODE = "bench-outreach"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红"


def resident_id(region: str, born: date, serial: int, sex: str = "M") -> str:
    """A valid ID number: 2 serial digits then the sex digit (odd for men)."""
    body = f"{region}{born:%Y%m%d}{serial % 100:02d}{1 if sex == 'M' else 2}"
    return body + ric.calc_check_digit(body + "0")


def _median(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def cleanup() -> None:
    """Remove what this section made (its registrations, their consents, duplicate pairs and stored
    signatures, its synced entries, its event and campaign)."""
    from boai.core.models import Attachment
    from boai.outreach.models import Campaign, CollectedEntry, Event
    from boai.registry.models import ConsentRecord, DuplicateCandidate, Registration

    regs = Registration.objects.filter(name__startswith=MARK)
    ids = [str(pk) for pk in regs.values_list("pk", flat=True)]
    CollectedEntry.objects.filter(event__title__startswith=MARK).delete()
    DuplicateCandidate.objects.filter(Q(kept__in=regs) | Q(other__in=regs)).delete()
    ConsentRecord.objects.filter(registration__in=regs).delete()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for attachment in Attachment.objects.filter(owner_type="registry.registration", owner_id__in=chunk):
            attachment.file.delete(save=False)
            attachment.delete()
    regs.delete()
    Event.objects.filter(title__startswith=MARK).delete()
    Campaign.objects.filter(code=CAMPAIGN_CODE).delete()


# --- 1. offline sync vs direct registration ------------------------------------------------------------


def _people(n: int, *, offset: int) -> list[dict]:
    """n people of Wuhua district (530102), born 1938-1939, each with a distinct valid ID number."""
    people = []
    for k in range(offset, offset + n):
        born = date(1938, 1, 1) + timedelta(days=k % 700)
        sex = "M" if k % 2 else "F"
        people.append(
            {
                "name": MARK + GIVEN[k % len(GIVEN)],
                "id_type": "resident_id",
                "id_number": resident_id("530102", born, k // 700 + 10, sex),
                "phone": f"138{k:08d}",
                "region": "530102",
                "address": "",
                "organs": ["all"],
                "tissues": [],
                "body": False,
                "executor_name": "",
                "executor_relationship": "",
                "executor_phone": "",
            }
        )
    return people


def sync_figures(n: int) -> list[tuple]:
    from boai.accounts.models import User
    from boai.core.models import Region
    from boai.outreach.models import EVENT_CODE_PREFIX, Event
    from boai.outreach.services.collect import MAX_BATCH, collected_sync
    from boai.outreach.tests.collect_helpers import SIGNATURE
    from boai.registry.data import PersonData
    from boai.registry.models import Registration
    from boai.registry.notices import CURRENT
    from boai.registry.services import registration_create

    clerk = User.objects.get(username="bench_clerk")  # branch staff of Kunming: Wuhua is in their area
    event = Event.objects.create(
        title=f"{MARK}活动",
        kind="registration_drive",
        code=f"{EVENT_CODE_PREFIX}{secrets.token_hex(3)}",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        place="测试广场",
        region=Region.objects.get(code="530102"),
        organisers="测试红十字会",
        created_by=clerk,
    )
    signed = (timezone.now() - timedelta(hours=1)).isoformat()
    entries = [
        {
            "key": str(uuid.uuid4()),
            "collected_at": signed,
            "consent_version": CURRENT,
            "attested": True,
            "signature": SIGNATURE,
            "person": person,
        }
        for person in _people(n, offset=0)
    ]
    batches = [entries[i : i + MAX_BATCH] for i in range(0, n, MAX_BATCH)]
    direct_people = _people(n, offset=n)

    def direct():
        for p in direct_people:
            data = PersonData(
                name=p["name"],
                id_type=p["id_type"],
                id_number=p["id_number"],
                phone=p["phone"],
                region_code=p["region"],
                organs=p["organs"],
            )
            registration_create(actor=clerk, data=data, channel=Registration.Channel.PAPER, consent_version=CURRENT)

    answers = []

    def sync():
        answers.clear()
        for batch in batches:
            answers.extend(collected_sync(event=event, actor=clerk, entries=batch))

    base = _median(direct, repeat=1)
    first = _median(sync, repeat=1)
    states = {s: sum(a["state"] == s for a in answers) for s in ("landed", "held", "returned")}
    again = _median(sync, repeat=1)
    same = sum(a["state"] == "landed" for a in answers)
    reasons = {a.get("reason", "") for a in answers if a["state"] == "returned"}
    if reasons:
        print(f"   (returned entries, first reason: {sorted(reasons)[0]})")
    return [
        (f"sync {n} entries, batches of {MAX_BATCH}", n / first, n / base, first / base, "direct registration (paper)"),
        (f"re-sync the same {n} (stored keys)", n / again, n / first, again / first, "the first sync"),
        states,
        same,
    ]


# --- 2. campaign breakdowns ----------------------------------------------------------------------------


def _attributed_rows(m: int, code: str) -> None:
    """m registrations attributed to ``code``, over the last 120 days and the 16 prefectures, inserted
    in bulk (encrypted and indexed like real ones, as gen_synthetic does)."""
    from django.db import transaction

    from boai.core.models import Region
    from boai.lib.pinyin import initials
    from boai.registry.models import Registration

    prefectures = Region.objects.filter(level="prefecture", code__startswith="53").order_by("code")
    counties = [
        list(Region.objects.filter(level="county", code__startswith=p.code[:4]).values_list("code", flat=True)[:4])
        for p in prefectures
    ]
    counties = [c for c in counties if c]
    rng = random.Random(15)  # noqa: S311 - invented data
    now = timezone.now()
    channels = Registration.Channel.values
    for start in range(0, m, 2000):
        regs = []
        for i in range(start, min(m, start + 2000)):
            region = rng.choice(counties[i % len(counties)])
            born = date(1900, 1, 1) + timedelta(days=i % 13000)  # 1900 to 1935: with the serial, unique
            name = MARK + GIVEN[i % len(GIVEN)]
            regs.append(
                Registration(
                    number=f"OB{i:010d}",
                    name=name,
                    name_initials=initials(name),
                    sex="M" if i % 2 else "F",
                    id_type="resident_id",
                    id_number=resident_id(region, born, i // 13000, "M" if i % 2 else "F"),
                    birth_date=born,
                    phone=f"139{i:08d}",
                    region_id=region,
                    organs=["all"],
                    channel=channels[i % len(channels)],
                    campaign=code,
                    registered_at=(at := now - timedelta(minutes=rng.randrange(60 * 24 * 120))),
                    signed_on=timezone.localdate(at),
                    verify_code=secrets.token_urlsafe(12),
                )
            )
        with transaction.atomic():
            Registration.objects.bulk_create(regs, batch_size=1000)


def campaign_figures(m: int) -> tuple:
    from boai.accounts.models import User
    from boai.core.models import Region
    from boai.outreach.models import Campaign
    from boai.outreach.selectors.campaigns import breakdowns
    from boai.registry.models import Registration

    admin = User.objects.get(username="bench_admin")  # province staff: every prefecture
    campaign = Campaign.objects.create(
        title=f"{MARK}登记季",
        code=CAMPAIGN_CODE,
        starts_on=timezone.localdate() - timedelta(days=120),
        ends_on=timezone.localdate() + timedelta(days=30),
        region=Region.objects.get(code="530000"),
        created_by=admin,
    )
    started = time.perf_counter()
    _attributed_rows(m, campaign.code)
    inserted = time.perf_counter() - started
    result = breakdowns(user=admin, campaign=campaign)  # once before timing: both sides read warm pages
    base = _median(lambda: Registration.objects.filter(campaign=campaign.code).count(), repeat=7)
    ours = _median(lambda: breakdowns(user=admin, campaign=campaign), repeat=7)
    prefectures = sum(1 for _r, n in result["prefectures"] if n)
    return ours, base, result["total"], len(result["days"]), prefectures, inserted


def run() -> None:
    from django.db import connection

    n = int(os.environ.get("BENCH_SYNC_N", "200"))
    m = int(os.environ.get("BENCH_CAMPAIGN_ROWS", "20000"))
    cleanup()
    try:
        *rows, states, same = sync_figures(n)
        print(f"\n-- outreach: offline sync, N={n} ({', '.join(f'{v} {k}' for k, v in states.items())} first time)")
        print(f"{'figure':38} {'per s':>10} {'baseline/s':>12} {'time ratio':>11}  baseline")
        for name, rate, base_rate, ratio, base_name in rows:
            print(f"{name:38} {rate:10.0f} {base_rate:12.0f} {ratio:10.2f}x  {base_name}")
        print(f"re-sync answered {same} of {n} as landed (the same registrations, none made twice)")
        cleanup()
        ours, base, total, days, prefectures, inserted = campaign_figures(m)
        print(f"\n-- outreach: campaign breakdowns, M={m:,} rows on {connection.vendor} (inserted in {inserted:.1f} s)")
        print(f"{'figure':38} {'ms':>10} {'baseline':>12} {'time ratio':>11}  baseline")
        print(
            f"{'total + per day/prefecture/channel':38} {ours * 1000:10.1f} {base * 1000:12.1f} "
            f"{ours / base:10.1f}x  count(campaign=code)"
        )
        print(f"counted {total:,} registrations over {days} days in {prefectures} prefectures")
    finally:
        cleanup()
