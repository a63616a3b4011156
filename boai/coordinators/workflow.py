"""The coordinators' workflows, declared once for the Platform's engine (``boai.core.workflow``).

An application (``Application``) is reviewed at the levels copied from the province's settings when it
was submitted, one after the other: each level's Red Cross branch approves (the application moves on
to the next level, or is approved at the last one) or rejects it with a reason (which ends it). The
applicant's coordinator record follows: rejected, or in training once approved."""

from django.utils.translation import gettext_lazy

from boai.core.review_levels import (  # noqa: F401  (re-exported for the services and reads)
    LEVEL_LABELS,
    LevelReview,
    Texts,
    current_level,
    is_last_level,
)
from boai.core.workflow import Workflow, register

from .models import Application, ApplicationReview, Coordinator

State = Application.State

REVIEW = LevelReview(
    model=Application,
    area="coordinator__region",
    submitter="submitted_by",
    review_model=ApplicationReview,
    review_subject="application",
    codes={
        "reviewer": "coordinators.review_level",
        "own": "coordinators.not_own_submission",
        "withdraw": "coordinators.withdraw_before_decision",
    },
    texts=Texts(
        no_level_left=gettext_lazy("the application has no level left to review"),
        reviewer_rule=gettext_lazy(
            "An application is decided only by the Red Cross branch of the level now reviewing it, "
            "whose area covers the applicant's area."
        ),
        own_rule=gettext_lazy("An application is not decided by the account that submitted it."),
        own_refusal=gettext_lazy("you submitted it"),
        withdraw_rule=gettext_lazy("An application is withdrawn only before any level has decided it."),
        last_level=gettext_lazy("This is the last level: approving it approves the application."),
        levels_remain=gettext_lazy("Levels remain: approving passes the application to the next level."),
    ),
    branch_code=lambda code: f"RC{code}",
)


def _coordinator_to(move, state: str) -> None:
    """The applicant's record follows the application (its version moves too: a page that read it before
    is refused on its next save)."""
    coordinator = Coordinator.objects.select_for_update().get(pk=move.obj.coordinator_id)
    move.changes["coordinator_state"] = [coordinator.state, state]
    coordinator.state = state
    coordinator.version += 1
    coordinator.save(update_fields=["state", "version", "updated_at"])


def approved(move) -> None:
    REVIEW.approved(move)
    _coordinator_to(move, Coordinator.State.TRAINEE)


def rejected(move) -> None:
    REVIEW.rejected(move)
    _coordinator_to(move, Coordinator.State.REJECTED)


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
        steps=REVIEW.steps(
            review_perm="coordinators.review",
            withdraw_perm="coordinators.manage",
            labels={"passed": gettext_lazy("Coordinator application approved at one level")},
            approved=approved,
            rejected=rejected,
        ),
        finals=frozenset({State.APPROVED, State.REJECTED, State.WITHDRAWN}),
        record=REVIEW.record,
    )
)
