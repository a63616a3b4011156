"""Demo donor families made by hand for older cases (2019–2024), before Boai held the cases: in Wuhua,
elsewhere in Kunming prefecture and in Qilin, with their members. The demo's closed cases make their
own families through the case-closed hook (the cases' demo loads before care's). Made straight in the
database, as the services would leave them; idempotent (a reference already on record is skipped)."""

from datetime import date

from django.utils import timezone

from boai.accounts.models import User
from boai.core.models import Region

from ..models import Channel, Family, FamilyMember

# reference, kind, donor, donated on, county, address, situation, channel, wants outcome, contact allowed, members
FAMILIES = [
    (
        "YN-OD-2019-014",
        "organ",
        "李建国",
        date(2019, 4, 2),
        "530102",
        "昆明市五华区红云街道",
        "老两口同住，儿子在外地务工",
        Channel.VISIT,
        True,
        True,
        [("王秀兰", "spouse", "13908710021"), ("李明", "child", "13577100342")],
    ),
    (
        "YN-OD-2021-037",
        "organ",
        "张丽华",
        date(2021, 10, 18),
        "530102",
        "昆明市五华区普吉街道",
        "",
        Channel.PHONE,
        False,
        True,
        [("张伟", "sibling", "13887150066")],
    ),
    (
        "YN-BD-2022-008",
        "body",
        "杨正明",
        date(2022, 12, 22),
        "530111",
        "昆明市官渡区关上街道",
        "独居老人的家属，身体较弱",
        Channel.PHONE,
        False,
        True,
        [("杨红", "child", "13759920187")],
    ),
    (
        "YN-OD-2023-052",
        "organ",
        "赵永福",
        date(2023, 6, 9),
        "530302",
        "曲靖市麒麟区南宁街道",
        "家中有两名上学的孩子",
        Channel.VISIT,
        True,
        True,
        [("刘芳", "spouse", "13987430015"), ("赵小雨", "child", "")],
    ),
    (
        "YN-OD-2024-011",
        "organ",
        "陈志强",
        date(2024, 3, 27),
        "530302",
        "曲靖市麒麟区三宝街道",
        "",
        Channel.LETTER,
        False,
        False,
        [("陈桂英", "parent", "13508740230")],
    ),
]
STAFF = {"530102": "wuhua_staff", "530111": "kunming_staff", "530302": "qilin_staff"}


def load() -> bool:
    made = False
    for reference, kind, donor, day, county, address, situation, channel, outcome, contact, members in FAMILIES:
        if Family.objects.filter(reference=reference).exists() or not Region.objects.filter(code=county).exists():
            continue
        staff = User.objects.filter(username=STAFF[county]).first() or User.objects.get(username="prov_admin")
        family = Family.objects.create(
            reference=reference,
            donation_kind=kind,
            donor_name=donor,
            donated_on=day,
            region_id=county,
            address=address,
            living_situation=situation,
            responsible=staff,
            preferred_channel=channel,
            wants_outcome=outcome,
            contact_allowed=contact,
            no_contact_since=None if contact else timezone.now(),
            created_by=staff,
        )
        for i, (name, relationship, phone) in enumerate(members):
            FamilyMember.objects.create(
                family=family, name=name, relationship=relationship, phone=phone, is_main_contact=i == 0
            )
        made = True
    return made
