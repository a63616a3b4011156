"""Qualification reads: the work list (expired and expiring first), every qualification with filters,
one with its history, the menu badge, the home page's lines and the coordinator page's section. Scoped
through ``accounts.scoping`` with ``coordinators.view``."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.scoping import sees, visible
from boai.core.models import Attachment
from boai.lib.home import HomeItem

from ..models import Coordinator, Qualification, QualificationEvent, ReviewSettings

PERM = "coordinators.view"

# who may be given a qualification: a trainee, or someone revoked or gone who qualifies again
MAY_QUALIFY = (Coordinator.State.TRAINEE, Coordinator.State.REVOKED, Coordinator.State.LEFT)


def warning_days() -> int:
    """The configured window (``ReviewSettings.expiry_warning_days``), the row made when missing."""
    row = ReviewSettings.objects.order_by("pk").first()
    if row is None:
        row, _created = ReviewSettings.objects.get_or_create(pk=1)
    return row.expiry_warning_days


def _base(user) -> QuerySet[Qualification]:
    return visible(user, Qualification, perm=PERM).select_related("coordinator", "coordinator__region")


def due_q(today: date, days: int) -> Q:
    """Active qualifications that expired, or expire within ``days`` (their coordinator still counted
    qualified: an expired one still marked active is exactly what must be dealt with)."""
    return Q(state=Qualification.State.ACTIVE, valid_until__isnull=False, valid_until__lte=today + timedelta(days=days))


def work_list(user, *, today: date | None = None) -> QuerySet[Qualification]:
    """Expired first, then expiring soonest."""
    today = today or timezone.localdate()
    return _base(user).filter(due_q(today, warning_days())).order_by("valid_until", "coordinator__name", "pk")


def expiring_count(user) -> int:
    """The menu's badge: the qualifications of the user's area on the work list."""
    if not (user and user.is_authenticated):
        return 0
    return work_list(user).count()


def qualification_list(
    user, *, state: str = "", expiring_within: int | None = None, search: str = "", region: str = ""
) -> QuerySet[Qualification]:
    qs = _base(user)
    if state:
        qs = qs.filter(state=state)
    if expiring_within is not None:
        today = timezone.localdate()
        qs = qs.filter(valid_until__isnull=False, valid_until__lte=today + timedelta(days=expiring_within))
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(coordinator__name__icontains=search))
    if region:
        qs = qs.filter(coordinator__region__code__startswith=region)
    return qs.order_by("coordinator__name", "-issued_on", "pk")


def expiry_label(q: Qualification, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if q.valid_until is None:
        return _("No expiry")
    left = (q.valid_until - today).days
    if left < 0:
        return _("Expired on %(date)s") % {"date": q.valid_until.isoformat()}
    return _("Expires on %(date)s (in %(days)d days)") % {"date": q.valid_until.isoformat(), "days": left}


STEP_LABELS = {
    "granted": lambda: _("Qualification recorded"),
    "suspended": lambda: _("Suspended"),
    "reinstated": lambda: _("Reinstated"),
    "renewed": lambda: _("Renewed"),
    "revoked": lambda: _("Revoked"),
}


def history(q: Qualification) -> list[dict]:
    events = list(QualificationEvent.objects.filter(qualification=q).select_related("actor").order_by("at", "pk"))
    docs = {}
    for a in Attachment.objects.filter(
        owner_type="coordinators.qualificationevent", owner_id__in=[str(e.pk) for e in events]
    ):
        docs.setdefault(int(a.owner_id), []).append(a)
    return [
        {
            "event": e,
            "label": STEP_LABELS.get(e.step, lambda e=e: e.step)(),
            "documents": docs.get(e.pk, []),
        }
        for e in events
    ]


def certificate_scans(q: Qualification):
    return Attachment.objects.filter(owner_type="coordinators.qualification", owner_id=str(q.pk))


def document_for(q: Qualification, attachment_id: int) -> Attachment | None:
    """A scan of ``q`` (its certificate, or the document of one of its steps), or None."""
    events = [str(pk) for pk in q.events.values_list("pk", flat=True)]
    return (
        Attachment.objects.filter(pk=attachment_id)
        .filter(
            Q(owner_type="coordinators.qualification", owner_id=str(q.pk))
            | Q(owner_type="coordinators.qualificationevent", owner_id__in=events)
        )
        .first()
    )


def coordinators_to_qualify(user) -> QuerySet[Coordinator]:
    return visible(user, Coordinator, perm="coordinators.qualify").filter(state__in=MAY_QUALIFY)


def home_items(user):
    """The home page's lines: each qualification of the user's area expiring within the window, and
    those expired but still marked active."""
    today = timezone.localdate()
    for q in work_list(user, today=today)[:20]:
        yield HomeItem(
            label=f"{q.coordinator.name} {q.number}",
            url=reverse("coordinators:qualification", args=[q.pk]),
            note=expiry_label(q, today),
        )


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/qualifications.html)."""
    if not sees(user, coordinator, perm=PERM):
        return {}
    quals = list(Qualification.objects.filter(coordinator=coordinator).order_by("-issued_on", "-pk"))
    today = timezone.localdate()
    return {
        "qualification_coordinator": coordinator,
        "qualifications": [{"q": q, "expiry": expiry_label(q, today)} for q in quals],
        "can_qualify": user.has_perm("coordinators.qualify") and coordinator.state in ("trainee", "revoked", "left"),
    }
