"""Case reads: the scoped lists, the steps a user may take now (and why others are blocked), and the
timeline of a case with its documents."""

from dataclasses import dataclass, field

from django import forms as django_forms
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from boai.accounts.models import User
from boai.accounts.roles import PERMISSIONS, Role, role_has_perm
from boai.accounts.scoping import visible
from boai.core.fields import index_for
from boai.core.figures import SHANGHAI, year_bounds
from boai.core.models import Attachment
from boai.core.workflow import rules_in_force

from .forms import NoteStep, PersonForm, SignerRow, UsernamesField
from .models import BodyCase, CaseStep, OrganCase, Signer, TransplantStaff
from .workflow import ORGAN_FLOWS, WORKFLOWS, Step, Workflow, workflow_for


def case_list(*, user, kind: str, state: str = "", search: str = "", open_only: bool = False) -> QuerySet:
    flow = WORKFLOWS[kind]
    qs = visible(user, flow.model, perm="cases.view").select_related("region", "unit" if kind == "organ" else "station")
    if state:
        qs = qs.filter(state=state)
    if open_only:
        qs = qs.exclude(state__in=flow.finals)
    search = (search or "").strip()
    if search:
        condition = Q(number__iexact=search) | Q(name__startswith=search)
        index = index_for("id_number", search)
        if index:
            condition |= Q(id_number_index=index)
        qs = qs.filter(condition)
    return qs


@dataclass
class StepChoice:
    """A step as the case page offers it: allowed, or blocked with the reasons."""

    step: Step
    label: str
    rules: list = field(default_factory=list)  # (code, text) of every rule that applies
    blocked: list = field(default_factory=list)  # why it cannot be taken now, in words

    @property
    def allowed(self) -> bool:
        return not self.blocked


def steps_for(*, case, user) -> list[StepChoice]:
    """The steps that may follow the case's state, each allowed or blocked (role, or a rule that the
    case alone already breaks), in the workflow's order: the normal path first, then the exits."""

    flow = workflow_for(case)
    out = []
    # the way forward first; a step that keeps the state (a changed category, the honour) after it
    for step in sorted(flow.steps_from(case.state), key=lambda s: s.to == case.state or s.stays):
        rules = rules_in_force(step.rules, timezone.localdate())
        if step.stays and any(rule.ready(case) is not None for rule in rules if rule.ready):
            continue  # a step taken in place that is done (the honour): not offered again
        choice = StepChoice(step=step, label=flow.verb(step.key), rules=[(r.code, str(r.text)) for r in rules])
        if not role_has_perm(user.role, step.perm):
            roles = str(_(", ")).join(str(Role(r).label) for r in sorted(PERMISSIONS[step.perm]))
            choice.blocked.append(_("This step is taken by: %(roles)s.") % {"roles": roles})
        for rule in rules:
            detail = rule.ready(case) if rule.ready else None
            if detail is not None:
                choice.blocked.append(f"{rule.text} ({detail})")
        out.append(choice)
    return out


@dataclass
class TimelineItem:
    step: CaseStep
    label: str
    facts: list  # (label, value)
    attachments: list


QUIET_WHEN_FALSE = {"withdrawal_seen"}  # a confirmation that only matters when given


def _display(field, value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(field, django_forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, UsernamesField) and isinstance(value, list):  # staff accounts: shown by their names
        names = dict(User.objects.filter(username__in=value).values_list("username", "full_name"))
        return "、".join(names.get(v) or v for v in value)
    if isinstance(field, django_forms.ModelChoiceField):
        obj = field.queryset.model.objects.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(field, django_forms.ChoiceField):
        labels = {}
        for value_, label in field.choices:  # choices may come in groups (counties by prefecture)
            labels.update(dict(label) if isinstance(label, list | tuple) else {value_: label})
        values = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(v, v)) for v in values)
    if isinstance(field, django_forms.DateTimeField):
        parsed = parse_datetime(value)
        return date_format(parsed, "Y-m-d H:i") if parsed else str(value)
    if isinstance(field, django_forms.DateField):
        parsed = parse_date(value)
        return date_format(parsed, "Y-m-d") if parsed else str(value)
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and hasattr(field, "row_form"):
            row_fields = field.row_form.base_fields
            rows = []
            for row in value:
                parts = [_display(row_fields[k], v) for k, v in row.items() if k in row_fields]
                rows.append(" · ".join(p for p in parts if p))
            return "；".join(rows)
        return "、".join(str(v) for v in value)
    return str(value)


def _form_of(flow: Workflow, step: CaseStep):
    """The form a timeline row was recorded with (a row of a step this category does not have, from
    before its category changed, falls back to the category that has it)."""
    if not step.from_state:
        return flow.start_form
    key = step.step or step.to_state
    found = flow.step(key) or next((f.step(key) for f in ORGAN_FLOWS.values() if f.step(key)), None)
    return found.form if found is not None else NoteStep


def step_facts(flow: Workflow, step: CaseStep) -> list[tuple[str, str]]:
    """What a step recorded, labelled as its form labels it (the person is shown apart, not again here)."""
    form_class = _form_of(flow, step)
    fields = form_class().fields
    facts = []
    order = [name for _title, names in getattr(form_class, "fieldsets", ()) for name in names] or list(fields)
    for key in order:
        if key not in step.data:
            continue
        value = step.data[key]
        if key in QUIET_WHEN_FALSE and not value:
            continue
        if key in fields and key not in PersonForm.base_fields and key != "occurred_at":
            shown = _display(fields[key], value)
            if shown:
                facts.append((str(fields[key].label), shown))
    return facts


def _attachment_label(form_class, kind: str, signers: dict) -> str:
    """A scan's label: its form field's, or a proxy's letter of authority with the relative's name."""
    if kind in form_class.base_fields:
        return form_class.base_fields[kind].label
    if kind in signers:
        return f"{SignerRow.base_fields['letter'].label}（{signers[kind]}）"
    return kind


def timeline(case) -> list[TimelineItem]:
    flow = workflow_for(case)
    steps = list(case.steps.select_related("actor").order_by("recorded_at", "id"))
    files = Attachment.objects.filter(owner_type="cases.casestep", owner_id__in=[str(s.pk) for s in steps])
    by_step = {}
    for attachment in files:
        by_step.setdefault(attachment.owner_id, []).append(attachment)
    signers = {f"letter-{pk}": name for pk, name in Signer.objects.filter(step__in=steps).values_list("pk", "name")}
    items = []
    for s in steps:
        form_class = _form_of(flow, s)
        files = [(a, _attachment_label(form_class, a.kind, signers)) for a in by_step.get(str(s.pk), [])]
        items.append(TimelineItem(step=s, label=flow.label(s.to_state), facts=step_facts(flow, s), attachments=files))
    return items


def case_attachment(case, attachment_id) -> Attachment | None:
    step_ids = [str(pk) for pk in case.steps.values_list("pk", flat=True)]
    return Attachment.objects.filter(pk=attachment_id, owner_type="cases.casestep", owner_id__in=step_ids).first()


def _counted_in(model, year: int, region_prefix: str):
    start, end = year_bounds(year)
    return model.objects.filter(counted_at__gte=start, counted_at__lt=end, region__code__startswith=region_prefix)


def organ_donations_in_year(year: int, region_prefix: str = "53") -> int:
    """The ``cases.organ_donations`` figure (``cases/figures.py``)."""
    return _counted_in(OrganCase, year, region_prefix).count()


def beneficiaries_in_year(year: int, region_prefix: str = "53") -> int:
    """The ``cases.beneficiaries`` figure (``cases/figures.py``)."""
    return _counted_in(OrganCase, year, region_prefix).aggregate(n=Sum("beneficiaries"))["n"] or 0


def body_donations_in_year(year: int, region_prefix: str = "53") -> int:
    """The ``cases.body_donations`` figure (``cases/figures.py``)."""
    return _counted_in(BodyCase, year, region_prefix).count()


def unit_staff_list(*, user) -> QuerySet:
    """The procurement and transplant staff on the lists the user may see, the active ones first."""
    return visible(user, TransplantStaff, perm="cases.view").select_related("unit").order_by("-active", "team", "name")


def open_case_count(*, user, kind: str) -> int:
    """The cases of ``kind`` in the user's scope that are not yet ended."""
    return case_list(user=user, kind=kind, open_only=True).count()


def cases_on(*, user, limit: int = 10) -> list[OrganCase]:
    """The open organ cases the user has taken a step in or witnessed (a coordinator's own cases)."""
    mine = Q(steps__actor=user) | Q(witnesses__coordinator=user)
    qs = case_list(user=user, kind="organ", open_only=True).filter(mine).distinct()
    return list(qs.order_by("-opened_at")[:limit])


# --- breakdowns of the donation figures (the statistics dashboard) ---
# Each counts exactly the cases ``organ_donations_in_year`` / ``body_donations_in_year`` count, split
# one way. Cases are few (hundreds a year), so they are split here rather than in SQL.


def donations_by_month(kind: str, year: int, region_prefix: str = "53") -> dict[str, int]:
    """The year's organ ("organ") or body ("body") donations by month of the counting, in Beijing
    time: {"01".."12": count}, months without a donation left out."""
    model = {"organ": OrganCase, "body": BodyCase}[kind]
    out: dict[str, int] = {}
    for counted_at in _counted_in(model, year, region_prefix).values_list("counted_at", flat=True):
        key = f"{counted_at.astimezone(SHANGHAI).month:02d}"
        out[key] = out.get(key, 0) + 1
    return out


def organ_donations_by_category(year: int, region_prefix: str = "53") -> dict[str, int]:
    """The year's organ donations by donation category ("c1", "c2", "c3"; "" when not recorded)."""
    rows = _counted_in(OrganCase, year, region_prefix).values_list("donation_category").annotate(n=Count("id"))
    return {category or "": n for category, n in rows.order_by()}
