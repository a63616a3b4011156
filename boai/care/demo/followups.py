"""The demo's follow-ups: each demo family's plan (from its donation, so the work list has history),
and the contacts that fulfilled the follow-ups already past in 2025 and 2026: a phone call after the
donation, a home visit on Qingming and the Winter Solstice (meeting the family's members, sometimes
neighbours too); the latest past follow-up of each family is left overdue. Written through the
services (each with its audit entry); a family already planned is skipped."""

from django.db import transaction
from django.utils import timezone

from boai.accounts.models import User

from ..models import Channel, Family, FollowUp
from ..services.followups import contact_record, plan_follow_ups

FINDINGS = {
    Channel.PHONE: "电话回访，家属情绪平稳，感谢红十字会关心。",
    Channel.VISIT: "家访慰问，送上慰问品，家属身体尚好，孩子正常上学。",
}
NEEDS = {Channel.PHONE: "", Channel.VISIT: "希望了解子女助学政策。"}


def load() -> bool:
    admin = User.objects.filter(username="prov_admin").first()
    if admin is None:
        return False
    today = timezone.localdate()
    loaded = False
    for family in Family.objects.filter(contact_allowed=True).order_by("id"):
        if family.follow_ups.exists():
            continue
        with transaction.atomic():
            plan_follow_ups(family, actor=admin, since=family.donated_on)
            past = list(family.follow_ups.filter(state=FollowUp.State.PLANNED, due_on__lt=today).order_by("due_on"))
            members = list(family.members.filter(active=True))
            for n, fu in enumerate(past[:-1]):  # the latest stays overdue
                visit = fu.kind != FollowUp.Kind.AFTER_DONATION
                channel = Channel.VISIT if visit else Channel.PHONE
                contact_record(
                    actor=admin,
                    family=family,
                    follow_up=fu,
                    channel=channel,
                    occurred_on=fu.due_on,
                    staff="县红十字会社工、志愿者" if visit else "县红十字会社工",
                    members_met=members if visit else members[:1],
                    others_met=1 if visit and n % 3 == 0 else 0,
                    findings=FINDINGS[channel],
                    needs=NEEDS[channel],
                )
        loaded = True
    return loaded
