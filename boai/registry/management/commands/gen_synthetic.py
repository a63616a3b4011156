"""Invented registrations in bulk, encrypted and indexed exactly like real ones, for benchmarks and
load tests. Never in production."""

import random
import secrets
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from boai.core.models import Region
from boai.core.services import counter_next_block
from boai.lib.pinyin import initials
from boai.registry.models import Registration

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强文斌海燕晓东俊丽"


def resident_id(region: str, born: date, serial: int) -> str:
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


class Command(BaseCommand):
    help = "Create N invented registrations (encrypted like real ones) in Yunnan's counties, fast."

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, required=True)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **o):
        if settings.PRODUCTION:
            raise CommandError("synthetic data is never generated in production")
        counties = list(Region.objects.filter(level="county", code__startswith="53").values_list("code", flat=True))
        if not counties:
            raise CommandError("no regions: run load_regions first")
        rng = random.Random(o["seed"])  # noqa: S311 - invented data
        total, batch = o["registrations"], o["batch"]
        started = time.monotonic()
        tz = ZoneInfo("Asia/Shanghai")
        start_day = datetime(2016, 1, 1, 8, tzinfo=tz)
        made = 0
        used = set()
        while made < total:
            n = min(batch, total - made)
            with transaction.atomic():
                first = counter_next_block("registration:synthetic", n)
                regs = []
                for i in range(n):
                    serial = first + i
                    region = counties[serial % len(counties)]
                    while True:  # ID numbers must be unique: draw again on a collision
                        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
                        key = (region, born, serial % 1000)
                        if key not in used:
                            used.add(key)
                            break
                    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if serial % 3 else "")
                    sex = "M" if (serial % 1000) % 2 else "F"
                    regs.append(
                        Registration(
                            number=f"SY{serial:010d}",
                            name=name,
                            name_initials=initials(name),
                            sex=sex,
                            ethnic_group=rng.choice(["01", "01", "01", "07", "14", "18", "16", "20"]),
                            id_type="resident_id",
                            id_number=resident_id(region, born, serial),
                            birth_date=born,
                            phone=f"1{rng.choice('3589')}{serial:09d}"[-11:],
                            region_id=region,
                            address=f"{region}某路{serial % 500}号",
                            organs=["all"] if serial % 4 else ["kidney"],
                            tissues=["cornea"] if serial % 2 else [],
                            body=serial % 10 == 0,
                            channel=rng.choice(Registration.Channel.values),
                            status="withdrawn" if serial % 17 == 0 else "active",
                            registered_at=(at := start_day + timedelta(minutes=rng.randrange(60 * 24 * 365 * 10))),
                            signed_on=timezone.localdate(at),
                            verify_code=secrets.token_urlsafe(12),
                        )
                    )
                Registration.objects.bulk_create(regs, batch_size=1000)
            made += n
            rate = made / (time.monotonic() - started)
            self.stdout.write(f"  {made:,}/{total:,} registrations ({rate:,.0f}/s)")
        self.stdout.write(f"done: {total:,} synthetic registrations in {time.monotonic() - started:.0f} s")
