"""The coordinators' workflows, declared once for the Platform's engine (``boai.core.workflow``).

An application (``Application``) is reviewed at the levels copied from the province's settings when it
was submitted, one after the other: each level's Red Cross branch approves (the application moves on
to the next level, or is approved at the last one) or rejects it with a reason (which ends it). The
applicant's coordinator record follows: rejected, or in training once approved."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import InvalidInput
from boai.core.models import Organisation
from boai.core.workflow import Rule, Step, Workflow, register

from .models import Application, ApplicationReview, Coordinator, ReviewLevel

State = Application.State

LEVEL_LABELS = {
    ReviewLevel.COUNTY: gettext_lazy("the county branch"),
    ReviewLevel.PREFECTURE: gettext_lazy("the prefecture branch"),
    ReviewLevel.PROVINCE: gettext_lazy("the provincial branch"),
}


def branch_region(level: str, area_code: str) -> str:
    """The region code of the Red Cross branch that reviews at ``level`` an applicant of ``area_code``."""
    if level == ReviewLevel.COUNTY:
        return area_code
    if level == ReviewLevel.PREFECTURE:
        return area_code[:4] + "00"
    return area_code[:2] + "0000"


def current_level(application: Application) -> str | None:
    levels = application.level_list()
    return levels[application.level] if application.level < len(levels) else None


def is_last_level(application: Application) -> bool:
    return application.level >= len(application.level_list()) - 1


def reviewer_refusal(application: Application, actor) -> str | None:
    """Why ``actor``'s branch may not decide ``application`` now (None: it may)."""
    level = current_level(application)
    if level is None:
        return _("the application has no level left to review")
    org = getattr(actor, "organization", None)
    needed = branch_region(level, application.coordinator.region_id)
    if org is None or org.type != Organisation.Type.RC_BRANCH or org.region_id != needed:
        return _("it awaits the decision of %(branch)s (%(code)s)") % {
            "branch": LEVEL_LABELS[level],
            "code": f"RC{needed}",
        }
    return None


REVIEWER_RULE = Rule(
    code="coordinators.review_level",
    text=gettext_lazy(
        "An application is decided only by the Red Cross branch of the level now reviewing it, "
        "whose area covers the applicant's area."
    ),
    check=lambda application, data, actor: reviewer_refusal(application, actor),
)
OWN_SUBMISSION_RULE = Rule(
    code="coordinators.not_own_submission",
    text=gettext_lazy("An application is not decided by the account that submitted it."),
    check=lambda application, data, actor: (
        _("you submitted it") if application.submitted_by_id == getattr(actor, "pk", None) else None
    ),
)
WITHDRAW_RULE = Rule(
    code="coordinators.withdraw_before_decision",
    text=gettext_lazy("An application is withdrawn only before any level has decided it."),
    ready=lambda application: _("a level has decided already") if application.reviews.exists() else None,
)


def _review_row(move, decision: str) -> None:
    application = move.obj
    level = current_level(application)
    move.row["review"] = {
        "level": level,
        "decision": decision,
        "reason": (move.data.get("reason") or "").strip()[:500],
    }
    move.changes = {"level": level, "decision": decision}
    if decision == ApplicationReview.Decision.REJECTED:
        move.changes["reason"] = move.row["review"]["reason"]


def _coordinator_to(move, state: str) -> None:
    """The applicant's record follows the application (its version moves too: a page that read it before
    is refused on its next save)."""
    coordinator = Coordinator.objects.select_for_update().get(pk=move.obj.coordinator_id)
    move.changes["coordinator_state"] = [coordinator.state, state]
    coordinator.state = state
    coordinator.version += 1
    coordinator.save(update_fields=["state", "version", "updated_at"])


def passed(move) -> None:
    """Approved at a level that is not the last: on to the next level."""
    _review_row(move, ApplicationReview.Decision.APPROVED)
    move.obj.level += 1
    move.changes["next_level"] = current_level(move.obj)


def approved(move) -> None:
    _review_row(move, ApplicationReview.Decision.APPROVED)
    move.obj.decided_at = move.now
    _coordinator_to(move, Coordinator.State.TRAINEE)


def rejected(move) -> None:
    if not (move.data.get("reason") or "").strip():  # after the reviewer's rule: who may decide comes first
        raise InvalidInput(_("Give the reason for the rejection."), field="reason")
    _review_row(move, ApplicationReview.Decision.REJECTED)
    move.obj.decided_at = move.now
    _coordinator_to(move, Coordinator.State.REJECTED)


def withdrawn(move) -> None:
    move.obj.decided_at = move.now
    move.changes = {"state": [move.from_state, State.WITHDRAWN]}


def record(move) -> None:
    review = move.row.get("review")
    if review is not None:
        ApplicationReview.objects.create(
            application=move.obj,
            reviewer=move.actor,
            organisation=move.actor.organization,
            decided_at=move.now or timezone.now(),
            **review,
        )


def _not_last(move) -> None:
    if is_last_level(move.obj):  # the service picks the step; this only keeps the engine honest
        raise InvalidInput(_("This is the last level: approving it approves the application."))


def _last(move) -> None:
    if not is_last_level(move.obj):
        raise InvalidInput(_("Levels remain: approving passes the application to the next level."))


APPLICATION = register(
    Workflow(
        kind="coordinator_application",
        title=gettext_lazy("Coordinator application"),
        model=Application,
        start=State.IN_REVIEW,
        start_perm="coordinators.manage",
        start_verb="submit",
        audit_prefix="coordinators.application",
        stale_message=gettext_lazy(
            "Someone else changed this application in the meantime (another decision?). Reload it and try again."
        ),
        stale_code="coordinators.application.stale",
        steps=(
            Step(
                State.IN_REVIEW,
                (State.IN_REVIEW,),
                "coordinators.review",
                name="passed",
                stays=True,
                verb=gettext_lazy("Approve"),
                label=gettext_lazy("Coordinator application approved at one level"),
                rules=(REVIEWER_RULE, OWN_SUBMISSION_RULE),
                guard=_not_last,
                effect=passed,
            ),
            Step(
                State.APPROVED,
                (State.IN_REVIEW,),
                "coordinators.review",
                verb=gettext_lazy("Approve"),
                rules=(REVIEWER_RULE, OWN_SUBMISSION_RULE),
                guard=_last,
                effect=approved,
            ),
            Step(
                State.REJECTED,
                (State.IN_REVIEW,),
                "coordinators.review",
                verb=gettext_lazy("Reject"),
                rules=(REVIEWER_RULE, OWN_SUBMISSION_RULE),
                effect=rejected,
                exit=True,
            ),
            Step(
                State.WITHDRAWN,
                (State.IN_REVIEW,),
                "coordinators.manage",
                verb=gettext_lazy("Withdraw"),
                rules=(WITHDRAW_RULE,),
                effect=withdrawn,
                exit=True,
            ),
        ),
        finals=frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN}),
        record=record,
    )
)
