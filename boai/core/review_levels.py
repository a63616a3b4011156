"""Review level by level, shared by every request that the Red Cross branches decide one after the other
(a coordinator's application, a payment to a donor family).

A request copies, when it is made, the levels it will be reviewed at (``levels``: "county,prefecture,
province" or part of it) and keeps the index of the level now reviewing it (``level``). At each level
only the Red Cross branch of exactly that level whose area covers the request's county decides: it
approves (on to the next level, or approved at the last one) or rejects with a reason (which ends it).
Nobody decides what they submitted, and a request is withdrawn only before any level has decided it.

``LevelReview`` holds what differs between the requests: the field of the county, the field of the
submitter, the review model, the rule codes and the sentences (each app keeps its own msgids, so their
translations still match). It builds the rules, the steps' effects and guards, the ``record`` that
writes the review row, and the query of what awaits a reviewer's decision."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InvalidInput
from .models import Organisation, Region
from .workflow import Rule, Step

COUNTY, PREFECTURE, PROVINCE = "county", "prefecture", "province"
LEVELS = (COUNTY, PREFECTURE, PROVINCE)
LEVEL_LABELS = {
    COUNTY: gettext_lazy("the county branch"),
    PREFECTURE: gettext_lazy("the prefecture branch"),
    PROVINCE: gettext_lazy("the provincial branch"),
}
BRANCH_LEVEL = {  # the level a Red Cross branch reviews at, by its region's level
    Region.Level.COUNTY: COUNTY,
    Region.Level.PREFECTURE: PREFECTURE,
    Region.Level.PROVINCE: PROVINCE,
}


def branch_region(level: str, area_code: str) -> str:
    """The region code of the Red Cross branch that reviews at ``level`` a request of ``area_code``."""
    if level == COUNTY:
        return area_code
    if level == PREFECTURE:
        return area_code[:4] + "00"
    return area_code[:2] + "0000"


def current_level(obj) -> str | None:
    levels = obj.level_list()
    return levels[obj.level] if obj.level < len(levels) else None


def is_last_level(obj) -> bool:
    return obj.level >= len(obj.level_list()) - 1


def branch_level(user) -> str | None:
    """The level the user's Red Cross branch reviews at (None: the user is not of a branch). Whether the
    user may review at all is the caller's check (its permission)."""
    org = getattr(user, "organization", None)
    if org is None or org.type != Organisation.Type.RC_BRANCH:
        return None
    return BRANCH_LEVEL.get(org.region.level)


def _reason(move) -> str:
    return (move.data.get("reason") or "").strip()


@dataclass(frozen=True)
class Texts:
    """The sentences of one kind of request, written (and marked for translation) in its app."""

    no_level_left: str  # the reviewer rule's refusal when every level has decided
    reviewer_rule: str
    own_rule: str
    own_refusal: str
    withdraw_rule: str
    last_level: str  # the "passed" step's guard at the last level
    levels_remain: str  # the "approved" step's guard before the last level


class LevelReview:
    """The level-by-level review of ``model``.

    ``area``: the lookup of the request's county region (``"region"``, ``"coordinator__region"``);
    ``submitter``: the foreign key of who submitted it; ``review_model`` with its foreign key
    ``review_subject`` to the request; ``codes``: the rule codes (``reviewer``, ``own``, ``withdraw``);
    ``branch_code``: how a refusal names the branch's code."""

    def __init__(
        self,
        *,
        model,
        area: str,
        submitter: str,
        review_model,
        review_subject: str,
        codes: dict,
        texts: Texts,
        branch_code: Callable[[str], str] = str,
    ):
        self.model = model
        self.area = area
        self.area_of = attrgetter(area.replace("__", ".") + "_id")
        self.submitter_field = submitter + "_id"
        self.review_model = review_model
        self.review_subject = review_subject
        self.texts = texts
        self.branch_code = branch_code
        self.reviewer_rule = Rule(
            code=codes["reviewer"], text=texts.reviewer_rule, check=lambda obj, data, actor: self.refusal(obj, actor)
        )
        self.own_rule = Rule(
            code=codes["own"],
            text=texts.own_rule,
            check=lambda obj, data, actor: (
                str(texts.own_refusal) if getattr(obj, self.submitter_field) == getattr(actor, "pk", None) else None
            ),
        )
        self.withdraw_rule = Rule(
            code=codes["withdraw"],
            text=texts.withdraw_rule,
            ready=lambda obj: _("a level has decided already") if obj.reviews.exists() else None,
        )

    # --- the rules -------------------------------------------------------------------------------------

    def refusal(self, obj, actor) -> str | None:
        """Why ``actor``'s branch may not decide ``obj`` now (None: it may)."""
        level = current_level(obj)
        if level is None:
            return str(self.texts.no_level_left)
        org = getattr(actor, "organization", None)
        needed = branch_region(level, self.area_of(obj))
        if org is None or org.type != Organisation.Type.RC_BRANCH or org.region_id != needed:
            return _("it awaits the decision of %(branch)s (%(code)s)") % {
                "branch": LEVEL_LABELS[level],
                "code": self.branch_code(needed),
            }
        return None

    # --- the effects, guards and record of the steps ---------------------------------------------------

    def _review_row(self, move, decision: str) -> None:
        level = current_level(move.obj)
        move.row["review"] = {"level": level, "decision": decision, "reason": _reason(move)[:500]}
        move.changes = {"level": level, "decision": decision}
        if decision == self.review_model.Decision.REJECTED:
            move.changes["reason"] = move.row["review"]["reason"]

    def passed(self, move) -> None:
        """Approved at a level that is not the last: on to the next level."""
        self._review_row(move, self.review_model.Decision.APPROVED)
        move.obj.level += 1
        move.changes["next_level"] = current_level(move.obj)

    def approved(self, move) -> None:
        self._review_row(move, self.review_model.Decision.APPROVED)
        move.obj.decided_at = move.now

    def rejected(self, move) -> None:
        if not _reason(move):  # after the reviewer's rule: who may decide comes first
            raise InvalidInput(_("Give the reason for the rejection."), field="reason")
        self._review_row(move, self.review_model.Decision.REJECTED)
        move.obj.decided_at = move.now

    def withdrawn(self, move) -> None:
        move.obj.decided_at = move.now
        move.changes = {"state": [move.from_state, self.model.State.WITHDRAWN]}

    def record(self, move) -> None:
        """The workflow's record: the review row a decision left (none for the other steps)."""
        review = move.row.get("review")
        if review is not None:
            self.review_model.objects.create(
                **{self.review_subject: move.obj},
                reviewer=move.actor,
                organisation=move.actor.organization,
                decided_at=move.now or timezone.now(),
                **review,
            )

    def not_last(self, move) -> None:
        if is_last_level(move.obj):  # the service picks the step; this only keeps the engine honest
            raise InvalidInput(str(self.texts.last_level))

    def last(self, move) -> None:
        if not is_last_level(move.obj):
            raise InvalidInput(str(self.texts.levels_remain))

    def steps(
        self,
        *,
        review_perm: str,
        withdraw_perm: str,
        labels: dict,
        approved_rules: tuple = (),
        approved: Callable | None = None,
        rejected: Callable | None = None,
    ) -> tuple[Step, ...]:
        """The four steps of the review: passed (approved at a level not the last), approved, rejected,
        withdrawn. ``labels``: the audit log's names of the steps, by step (``passed`` is required);
        ``approved``/``rejected``: effects that replace the plain ones (and call them)."""
        State = self.model.State
        deciders = (self.reviewer_rule, self.own_rule)
        return (
            Step(
                State.IN_REVIEW,
                (State.IN_REVIEW,),
                review_perm,
                name="passed",
                stays=True,
                verb=gettext_lazy("Approve"),
                label=labels["passed"],
                rules=deciders,
                guard=self.not_last,
                effect=self.passed,
            ),
            Step(
                State.APPROVED,
                (State.IN_REVIEW,),
                review_perm,
                verb=gettext_lazy("Approve"),
                label=labels.get("approved"),
                rules=deciders + tuple(approved_rules),
                guard=self.last,
                effect=approved or self.approved,
            ),
            Step(
                State.REJECTED,
                (State.IN_REVIEW,),
                review_perm,
                verb=gettext_lazy("Reject"),
                label=labels.get("rejected"),
                rules=deciders,
                effect=rejected or self.rejected,
                exit=True,
            ),
            Step(
                State.WITHDRAWN,
                (State.IN_REVIEW,),
                withdraw_perm,
                verb=gettext_lazy("Withdraw"),
                label=labels.get("withdrawn"),
                rules=(self.withdraw_rule,),
                effect=self.withdrawn,
                exit=True,
            ),
        )

    # --- reads ---------------------------------------------------------------------------------------

    def at_level(self, level: str) -> Q:
        """Requests in review whose current level is ``level`` (the level is an index into the levels
        copied when each was made, so each distinct list of levels is asked for its own index)."""
        State = self.model.State
        q = Q(pk__in=[])
        for levels in self.model.objects.filter(state=State.IN_REVIEW).values_list("levels", flat=True).distinct():
            names = [name for name in levels.split(",") if name]
            if level in names:
                q |= Q(levels=levels, level=names.index(level))
        return Q(state=State.IN_REVIEW) & q

    def awaiting_q(self, user, level: str | None) -> Q | None:
        """What awaits the decision of ``user``, whose branch reviews at ``level`` (None: nothing): in
        review at that level, in the branch's area, not submitted by the user."""
        if level is None:
            return None
        code = user.organization.region_id
        if level == COUNTY:
            area = Q(**{self.area + "_id": code})
        elif level == PREFECTURE:
            area = Q(**{self.area + "__code__startswith": code[:4]})
        else:
            area = Q(**{self.area + "__code__startswith": code[:2]})
        return self.at_level(level) & area & ~Q(**{self.submitter_field: user.pk})


# --- where a request stands ------------------------------------------------------------------------


def where(obj) -> str:
    """A sentence of where ``obj`` stands: the branch it awaits, or its state once ended."""
    level = current_level(obj)
    if obj.state == obj.State.IN_REVIEW and level:
        return _("Awaiting %(branch)s's review") % {"branch": LEVEL_LABELS[level]}
    return obj.get_state_display()


@dataclass
class Stage:
    level: str
    label: str
    status: str  # approved, rejected, current, pending, not_reached
    review: object = None


def stages(obj, label: Callable[[str], str]) -> list[Stage]:
    """``obj``'s levels in order, each with its decision or whether it is the one now reviewing;
    ``label`` names a level."""
    reviews = {r.level: r for r in obj.reviews.select_related("reviewer", "organisation")}
    ended = obj.state != obj.State.IN_REVIEW
    out = []
    for n, level in enumerate(obj.level_list()):
        review = reviews.get(level)
        if review is not None:
            status = review.decision
        elif not ended and n == obj.level:
            status = "current"
        elif ended:
            status = "not_reached"
        else:
            status = "pending"
        out.append(Stage(level=level, label=label(level), status=status, review=review))
    return out
