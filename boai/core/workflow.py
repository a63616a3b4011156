"""The workflow engine: every state machine of Boai is declared with these classes and moved by
``transition_take``, the one place that locks the row, checks the version, the state, the actor's
permission and the workflow's rules, runs the step's effect, records the step and its audit entry
and runs the ``on_enter`` hooks of the new state, all in one transaction.

A rule has a stable code (``ethics.two_thirds``) that refusals name, a text shown before anyone
tries the step, and one or two checks: ``ready`` looks at the object alone (a step it fails is
shown blocked), ``check`` looks at what the step's form says. A check returns ``None`` when the rule
holds, or a short account of what broke it.

This module sits in ``core``: it imports no programme. The permission checker is registered by
``accounts`` (``set_permission_checker``), and programmes learn of each other's steps through
``on_enter`` hooks they subscribe to from their own ``apps.py``."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.audit.services import audit_log

from .errors import Conflict, DomainError, NotAllowed


@dataclass(frozen=True)
class Rule:
    """A rule of a workflow. ``source`` cites where it comes from (an act and its article, a national
    rule, a provincial measure); ``since`` and ``until`` bound the days it is in force (``until``
    excluded), so a step is checked by the rules in force on the day it happened, and a step of an
    old case by the rules of its time."""

    code: str
    text: str
    ready: Callable | None = None  # (obj) -> None | str
    check: Callable | None = None  # (obj, data, actor) -> None | str
    source: str = ""
    since: date | None = None
    until: date | None = None

    def in_force(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)

    def in_force_text(self) -> str:
        """When the rule is in force, for the docs."""
        if self.since and self.until:
            return f"{self.since.isoformat()} – {self.until.isoformat()} (excl.)"
        if self.since:
            return f"from {self.since.isoformat()}"
        if self.until:
            return f"until {self.until.isoformat()} (excl.)"
        return "always"


@dataclass(frozen=True)
class Step:
    """One arrow of a workflow (or several arrows into one state: ``sources``)."""

    to: str
    sources: tuple[str, ...]
    perm: str | tuple[str, ...] | None  # any of them; None: the caller checks who may (the docs say so)
    form: type | None = None  # the form whose cleaned data the step records
    rules: tuple[Rule, ...] = ()
    exit: bool = False  # leads out of the normal path (shown apart, asks for confirmation)
    name: str = ""  # the step's name in the audit action (``<prefix>.<name>``); the to-state if empty
    verb: str | None = None  # what the button says; the to-state's label if None
    label: str | None = None  # the audit log's readable name of the step, if not "<title>: <state>"
    effect: Callable | None = None  # (move) -> None: what the step changes besides the state
    guard: Callable | None = None  # (move) -> None, may raise a DomainError: a check of its own
    refusal: tuple[str, str] | None = None  # (message, code) when the state does not allow the step
    saves: tuple[str, ...] | None = None  # the fields the step saves besides state and version; None: all
    # A step that records something without moving the row: it keeps its state (its place on the path),
    # while ``to`` names the step for the audit action, the timeline and the ``on_enter`` hooks. A rule
    # of its own (``ready``) says whether it was taken already; the docs draw it as a loop.
    stays: bool = False

    @property
    def key(self) -> str:
        return self.name or self.to

    def perms(self) -> tuple[str, ...]:
        if self.perm is None:
            return ()
        return (self.perm,) if isinstance(self.perm, str) else tuple(self.perm)


@dataclass(frozen=True)
class Workflow:
    kind: str  # unique: the registry's key, the API's and the hooks' name of the workflow
    model: type
    start: str
    steps: tuple[Step, ...]
    finals: frozenset = field(default_factory=frozenset)
    audit_prefix: str = ""  # the audit action of a step is "<audit_prefix>.<step name>"
    state_field: str = "state"
    version_field: str | None = "version"
    title: str | None = None  # the workflow's name in the audit log and the docs
    start_perm: str | None = None
    start_form: type | None = None
    start_rules: tuple[Rule, ...] = ()
    start_verb: str = "create"  # the docs' name of what creates the row in its start state
    # Someone else changed the row since the user read it: the message and the code of the refusal.
    stale_message: str = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
    stale_code: str = "stale"
    wrong_state: Callable | None = None  # (obj, step, to) -> DomainError: refusal of a step out of order
    guard: Callable | None = None  # (move) -> None, may raise: checks every step makes before its rules
    effect: Callable | None = None  # (move) -> None: run after the step's own effect, on every step
    record: Callable | None = None  # (move) -> None: writes the step's row (timeline, event), after saving
    audit_changes: Callable | None = None  # (move) -> dict: the audit entry's changes; default the state pair
    verbs: dict = field(default_factory=dict)  # to-state -> button label
    matches: Callable | None = None  # (obj) -> bool: which rows of ``model`` move through this workflow
    # Several workflows of one model (an organ case's path depends on its donation category) share a
    # group: ``on_enter(group, state)`` hears every one of them.
    group: str = ""
    variant: str | None = None  # which of the group's workflows this is, for the docs (the audit log names the title)

    def step(self, to: str) -> Step | None:
        """The step named ``to`` (its name, or the state it leads to)."""
        return next((s for s in self.steps if s.key == to), None) or next((s for s in self.steps if s.to == to), None)

    def steps_from(self, state: str) -> list[Step]:
        return [s for s in self.steps if state in s.sources]

    def label(self, state: str) -> str:
        return str(self.model.State(state).label) if hasattr(self.model, "State") else str(state)

    def verb(self, to: str) -> str:
        """What the button that leads to ``to`` says."""
        step = self.step(to)
        if step is not None and step.verb is not None:
            return str(step.verb)
        if to in self.verbs:
            return str(self.verbs[to])
        if step is not None and step.label is not None:
            return str(step.label)
        return self.label(step.to if step else to)

    def name(self) -> str:
        return str(self.title) if self.title is not None else str(self.model._meta.verbose_name).capitalize()

    def action(self, step: Step | None) -> str:
        return f"{self.audit_prefix}.{step.key if step else 'opened'}"

    def hook_kinds(self) -> tuple[str, ...]:
        return (self.kind, self.group) if self.group and self.group != self.kind else (self.kind,)


@dataclass
class Move:
    """One step being taken: what effects, records and hooks are given."""

    workflow: Workflow
    step: Step | None  # None: the row is being created in its start state
    obj: object
    actor: object
    data: dict
    now: datetime
    from_state: str
    when: datetime  # when it happened (a step may be recorded after the fact); ``now`` by default
    changes: dict = field(default_factory=dict)  # the audit entry's changes; effects may add to them
    row: dict = field(default_factory=dict)  # what an effect leaves for the workflow's record
    object_repr: str = ""  # how the audit entry names the object, if not by ``str(obj)``
    by_system: bool = False  # taken by the system in a service that decided so (``as_system``)


class RuleBroken(Conflict):
    """A step refused by a rule of the workflow: the code is the rule's, the message names it."""

    def __init__(self, rule: Rule, detail: str | None):
        message = _("Refused by rule %(code)s: %(text)s") % {"code": rule.code, "text": rule.text}
        if detail:
            message = _("%(message)s (%(detail)s)") % {"message": message, "detail": detail}
        super().__init__(message, code=rule.code)
        self.rule, self.detail = rule, detail  # a page may say it plainly, without the rule's code


# --- the registry of workflows, the hooks and the permission checker -----------------------------

_WORKFLOWS: dict[str, Workflow] = {}
_HOOKS: dict[tuple[str, str], list[Callable]] = {}


def register(workflow: Workflow) -> Workflow:
    """Make ``workflow`` known to the docs, the audit labels and the hooks (once per kind)."""
    known = _WORKFLOWS.get(workflow.kind)
    if known is not None and known is not workflow:
        raise ValueError(f"two workflows of kind {workflow.kind!r}")
    _WORKFLOWS[workflow.kind] = workflow
    return workflow


def workflows() -> list[Workflow]:
    """Every registered workflow of an installed app, in the order of INSTALLED_APPS (then of
    declaration). A workflow whose app a test's settings took away again is left out."""
    order = {config.label: n for n, config in enumerate(apps.get_app_configs())}
    listed = [w for w in _WORKFLOWS.values() if w.model._meta.app_label in order]
    return sorted(listed, key=lambda w: (order[w.model._meta.app_label], listed.index(w)))


def workflow(kind: str) -> Workflow:
    return _WORKFLOWS[kind]


def on_enter(kind: str, state: str, fn: Callable | None = None):
    """Run ``fn(move)`` when a workflow of ``kind`` enters ``state``, in the step's transaction
    (a hook that raises refuses the step). Usable as ``@on_enter("body", "received")``."""

    def subscribe(fn: Callable) -> Callable:
        hooks = _HOOKS.setdefault((kind, str(state)), [])
        if fn not in hooks:
            hooks.append(fn)
        return fn

    return subscribe(fn) if fn is not None else subscribe


def hooks_for(kind: str, state: str) -> list[Callable]:
    return list(_HOOKS.get((kind, str(state)), ()))


def _actor_has_perm(actor, perm: str) -> bool:
    has_perm = getattr(actor, "has_perm", None)
    return bool(has_perm and has_perm(perm))


_permission_checker: Callable = _actor_has_perm
_permission_holders: Callable = lambda perm: ()  # noqa: E731


def set_permission_checker(fn: Callable, *, holders: Callable | None = None) -> None:
    """``fn(actor, perm) -> bool``; ``holders(perm)``: the roles that hold it, for the docs.
    ``accounts`` registers the role map's at start-up."""
    global _permission_checker, _permission_holders
    _permission_checker = fn
    if holders is not None:
        _permission_holders = holders


def holders(perms) -> list[str]:
    """The roles that hold any of ``perms`` (a permission or several), sorted."""
    perms = (perms,) if isinstance(perms, str) else perms
    return sorted({role for perm in perms for role in _permission_holders(perm)})


def may(actor, step: Step) -> bool:
    perms = step.perms()
    return not perms or any(_permission_checker(actor, p) for p in perms)


# --- the checks -----------------------------------------------------------------------------------


def version_check(flow: Workflow, obj, version: int | None) -> None:
    """The one check that the row is still the one the user read: refused when someone saved it
    in between (``version`` None: the caller does not know; nothing to compare)."""
    if flow.version_field:
        stale_check(obj, version, message=flow.stale_message, code=flow.stale_code, field=flow.version_field)


def stale_check(obj, version: int | None, *, message, code: str, field: str = "version", required: bool = False):
    """The one comparison of the version a user read with the row's, for rows that move through a
    workflow (``version_check``) and for records edited outside one: refused with ``message`` when someone
    saved the row in between (``version`` None: nothing to compare, unless ``required``)."""
    if (version is None and required) or (version is not None and version != getattr(obj, field)):
        raise Conflict(str(message), code=code)


def _out_of_order(flow: Workflow, obj, step: Step | None, to: str) -> DomainError:
    if step is not None and step.refusal is not None:
        return Conflict(str(step.refusal[0]), code=step.refusal[1])
    if flow.wrong_state is not None:
        return flow.wrong_state(obj, step, to)
    state = getattr(obj, flow.state_field)
    return Conflict(
        _("Refused by rule state.order: “%(to)s” cannot follow “%(state)s”.")
        % {"to": flow.label(step.to if step else to), "state": flow.label(state)},
        code="state.order",
    )


def transition_guard(flow: Workflow, obj, *, to: str, actor, version: int | None, as_system: bool = False) -> Step:
    """The checks that come before the step's fields: the role, the version, the state.
    Raises NotAllowed or Conflict (stale, out of order); returns the workflow's step."""
    step = flow.step(to)
    if step is not None and not as_system and not may(actor, step):
        raise NotAllowed(_("Your role cannot take this step."))
    version_check(flow, obj, version)
    if step is None or getattr(obj, flow.state_field) not in step.sources:
        raise _out_of_order(flow, obj, step, to)
    return step


def rules_in_force(rules, when: datetime | date | None) -> list[Rule]:
    """The rules of ``rules`` in force on the day (Beijing time) of ``when``; all of them for None."""
    day = timezone.localdate(when) if isinstance(when, datetime) else when
    return [rule for rule in rules if rule.in_force(day)]


def rules_check(rules, obj, data: dict, actor, *, when: datetime | date | None = None) -> None:
    """Refuse with the first rule (in force on the day of ``when``) that ``obj`` or ``data`` breaks."""
    for rule in rules_in_force(rules, when):
        detail = rule.ready(obj) if rule.ready else None
        if detail is None and rule.check:
            detail = rule.check(obj, data, actor)
        if detail is not None:
            raise RuleBroken(rule, detail)


def workflow_for(obj) -> Workflow | None:
    """The registered workflow ``obj`` moves through (of a model with several, the one it ``matches``)."""
    return next(
        (w for w in workflows() if isinstance(obj, w.model) and (w.matches is None or w.matches(obj))),
        None,
    )


# --- taking a step ----------------------------------------------------------------------------------


def transition_take(
    obj,
    *,
    to: str,
    actor,
    version: int | None,
    now: datetime | None = None,
    data: dict | None = None,
    flow: Workflow | None = None,
    when: datetime | None = None,
    as_system: bool = False,
    rules_when: datetime | None = None,
):
    """Take the step named ``to`` of ``obj``'s workflow and return the locked, changed object.

    ``rules_when``: the moment whose rules apply, if not the step's own time ``when`` (a programme
    may refuse to let a step typed with an old date choose the old rules).

    ``as_system``: the system takes the step itself in a service that already decided so (no
    permission check; the version, the state and the rules still hold)."""
    flow = flow or workflow_for(obj)
    if flow is None:
        raise LookupError(f"no workflow is registered for {type(obj).__name__}")
    now = now or timezone.now()
    data = data or {}
    with transaction.atomic():
        obj = flow.model.objects.select_for_update().get(pk=obj.pk)  # two people on one row: one waits
        step = transition_guard(flow, obj, to=to, actor=actor, version=version, as_system=as_system)
        move = Move(
            workflow=flow,
            step=step,
            obj=obj,
            actor=actor,
            data=data,
            now=now,
            from_state=getattr(obj, flow.state_field),
            when=when or now,
            by_system=as_system,
        )
        if flow.guard is not None:
            flow.guard(move)
        if step.guard is not None:
            step.guard(move)
        rules_check(step.rules, obj, data, actor, when=rules_when or move.when)
        if flow.audit_changes is not None:
            move.changes = flow.audit_changes(move)
        else:
            move.changes = {flow.state_field: [move.from_state, step.to]}
        if step.effect is not None:
            step.effect(move)
        if flow.effect is not None:
            flow.effect(move)
        setattr(obj, flow.state_field, move.from_state if step.stays else step.to)
        fields = [flow.state_field]
        if flow.version_field:
            setattr(obj, flow.version_field, getattr(obj, flow.version_field) + 1)
            fields.append(flow.version_field)
        if step.saves is None:
            obj.save()
        else:
            obj.save(update_fields=[*fields, *step.saves])
        if flow.record is not None:
            flow.record(move)
        audit_log(
            action=flow.action(step), actor=actor, obj=obj, changes=move.changes, now=now, object_repr=move.object_repr
        )
        for kind in flow.hook_kinds():
            for hook in hooks_for(kind, step.to):
                hook(move)
    return obj


# --- what the audit log and the docs read ------------------------------------------------------------


def workflow_action_label(action: str) -> str | None:
    """The audit log's readable name of ``<audit prefix>.<step>`` (or ``.opened``) of any registered
    workflow, or None when no workflow names it."""
    prefix, _dot, name = action.rpartition(".")
    for flow in workflows():
        if flow.audit_prefix != prefix:
            continue
        if name == "opened" and flow.start_perm:
            return _("%(kind)s opened") % {"kind": flow.name()}
        step = next((s for s in flow.steps if s.key == name), None)
        if step is not None and step.label is not None:
            return str(step.label)
        if step is not None or (hasattr(flow.model, "State") and name in flow.model.State.values):
            return f"{flow.name()}: {flow.label(step.to if step else name)}"
    return None


def mermaid(flow: Workflow) -> str:
    """The workflow as a Mermaid state diagram (docs/workflows.md is generated from this)."""
    start = f"    [*] --> {flow.start}" + (f": {flow.start_perm}" if flow.start_perm else "")
    lines = ["stateDiagram-v2", start]
    for step in flow.steps:
        for source in step.sources:
            rules = ", ".join(r.code for r in step.rules)
            note = " | ".join(step.perms()) or "(checked by the caller)"
            if step.name and step.name != step.to:
                note = f"{step.name}: {note}"
            note += f" [{rules}]" if rules else ""
            if step.stays:  # a loop: the step is taken here and the row stays where it was
                note = f"{step.key}: {note}" if not (step.name and step.name != step.to) else note
            lines.append(f"    {source} --> {source if step.stays else step.to}: {note}")
    for final in sorted(flow.finals):
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines)
