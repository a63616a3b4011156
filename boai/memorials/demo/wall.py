"""Demo memorial wall: the first demo families (care's demo makes them; none, nothing here) consent,
some with the donor's name and some as an anonymous donor, one without the prefecture; each sends
messages, some published by staff and one still waiting. Written through the services."""

from datetime import timedelta

from django.utils import timezone

from boai.accounts.models import User
from boai.care.models import Family

from ..models import WallEntry, WallMessage
from ..services import wall as services

# (show the name, show the year, show the prefecture, messages: (text, signed, publish?))
PLAN = [
    (
        True,
        True,
        True,
        [("爸爸，您的爱留在了别人身上，我们为您骄傲。", "女儿", True), ("清明又到了，想您。", "女儿", None)],
    ),
    (False, True, True, [("感谢您给了陌生人新的生命。", "家人", True)]),
    (True, True, False, [("妈妈，您一直在我们心里。", "儿子", True)]),
    (False, False, True, []),
]


def _actor(family: Family) -> User:
    accounts = User.objects.select_related("organization")
    return family.created_by if family.created_by.has_perm("memorials.wall") else accounts.get(username="prov_admin")


def load() -> bool:
    if WallEntry.objects.exists():
        return False
    families = list(Family.objects.filter(members__active=True).distinct().order_by("id")[: len(PLAN)])
    if not families:
        return False
    now = timezone.now()
    for family, (show_name, show_year, show_prefecture, messages) in zip(families, PLAN, strict=False):
        actor = _actor(family)
        member = family.members.filter(active=True).first()
        today = timezone.localdate()
        consented_on = min(max(family.donated_on, today - timedelta(days=30)), today)
        entry, code = services.wall_consent_record(
            family=family,
            actor=actor,
            member=member,
            consented_on=consented_on,
            show_name=show_name,
            show_year=show_year,
            show_prefecture=show_prefecture,
        )
        for i, (text, signed, publish) in enumerate(messages):
            message = services.wall_message_submit(
                code=code, text=text, signed=signed, ip=None, now=now - timedelta(days=len(messages) - i)
            )
            if publish is not None:
                services.wall_message_decide(message=message, actor=actor, approve=publish)
    return WallMessage.objects.exists() or WallEntry.objects.exists()
