"""Reads of the applications: the list (with "awaiting my decision"), one application with its levels
as a timeline, the menu's badge and the section on a coordinator's page. Scoped only through
``accounts.scoping``."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from boai.accounts.roles import actor_has_perm
from boai.accounts.scoping import sees, visible
from boai.core.errors import Conflict, DomainError, NotAllowed
from boai.core.models import Attachment
from boai.core.review_levels import Stage, branch_level, where
from boai.core.review_levels import stages as level_stages

from ..models import Application, Coordinator, ReviewLevel
from ..workflow import REVIEW, current_level

DOCUMENT_KIND = "application_document"
OPEN_TO = (Coordinator.State.APPLICANT, Coordinator.State.REJECTED)  # who may apply


def reviewer_level(user) -> str | None:
    """The level the user's Red Cross branch reviews at, if they may review at all."""
    return branch_level(user) if actor_has_perm(user, "coordinators.review") else None


def _awaiting_q(user) -> Q | None:
    return REVIEW.awaiting_q(user, reviewer_level(user))  # not what they submitted (not_own_submission)


def awaiting(user) -> QuerySet:
    """The applications whose current level is the user's branch's, in their area: theirs to decide."""
    q = _awaiting_q(user)
    if q is None:
        return Application.objects.none()
    return visible(user, Application, perm="coordinators.review").filter(q)


def awaiting_count(user) -> int:
    """The menu's badge: how many applications await the user's decision."""
    if not (user and user.is_authenticated):
        return 0
    return awaiting(user).count()


def application_list(*, user, state: str = "", level: str = "", mine: bool = False, coordinator=None) -> QuerySet:
    qs = visible(user, Application, perm="coordinators.view").select_related("coordinator", "coordinator__region")
    if state:
        qs = qs.filter(state=state)
    if level:
        qs = qs.filter(REVIEW.at_level(level))
    if coordinator is not None:
        qs = qs.filter(coordinator_id=coordinator)
    q = _awaiting_q(user)
    if mine:
        qs = qs.filter(q) if q is not None else qs.none()
    if q is None:
        return qs.order_by("-submitted_at", "-id")
    first = Case(When(q, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.annotate(awaits=first).order_by("awaits", "-submitted_at", "-id")


def marked(rows) -> list:
    """A page of the list (awaiting the user's decision first), each row marked ``awaits_me``."""
    rows = list(rows)
    for row in rows:
        row.awaits_me = getattr(row, "awaits", 1) == 0
        decorate(row)
    return rows


def decorate(application: Application) -> Application:
    """``where``: a sentence of where the application stands."""
    application.where = where(application)
    application.current = current_level(application) if application.state == Application.State.IN_REVIEW else None
    return application


def stages(application: Application) -> list[Stage]:
    """The application's levels in order, each with its decision or whether it is the one now reviewing."""
    return level_stages(application, lambda level: str(ReviewLevel(level).label))


def documents(application: Application) -> QuerySet:
    return Attachment.objects.filter(
        owner_type="coordinators.application", owner_id=str(application.pk), kind=DOCUMENT_KIND
    ).order_by("uploaded_at", "id")


def document(application: Application, attachment_id) -> Attachment | None:
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        return None
    return documents(application).filter(pk=attachment_id).first()


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/applications.html):
    every application and where it stands, the reasons of rejections, and whether one may be submitted."""
    applications = [decorate(a) for a in application_list(user=user, coordinator=coordinator.pk)]
    for application in applications:
        application.rejections = [r for r in application.reviews.all() if r.decision == "rejected"]
    return {
        "applications": applications,
        "can_apply": submit_refusal(actor=user, coordinator=coordinator) is None,
        "applicant": coordinator,
    }


def submit_refusal(*, actor, coordinator: Coordinator) -> DomainError | None:
    """Why ``actor`` may not submit an application for ``coordinator`` now (None: they may)."""
    if not actor_has_perm(actor, "coordinators.manage"):
        return NotAllowed()
    if not sees(actor, coordinator, perm="coordinators.manage"):
        return NotAllowed(_("This coordinator is outside your area."))
    if coordinator.state not in OPEN_TO:
        return Conflict(
            _(
                "Refused by rule coordinators.apply_state: only an applicant or someone rejected may apply "
                "(now “%(state)s”)."
            )
            % {"state": coordinator.get_state_display()},
            code="coordinators.apply_state",
        )
    if coordinator.applications.filter(state=Application.State.IN_REVIEW).exists():
        return Conflict(
            _("Refused by rule coordinators.one_open_application: an application of this person is still in review."),
            code="coordinators.one_open_application",
        )
    return None
