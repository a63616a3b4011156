"""The donation workflows (an organ case's, one per donation category, and a body case's), declared
once: for every step, the states it leaves from, the state it leads to, the permission it needs
(``accounts.roles`` maps permissions to roles), the fields it asks for (``cases.forms``) and the
legal rules it must meet. The services take steps only through this table, the case page and
``GET …/transitions/`` show it, and ``make docs`` draws it.

A rule has a stable code (``ethics.two_thirds_of_members``) that refusals name, a source, the days
it is in force, a text shown before anyone tries the step, and one or two checks: ``ready`` looks at
the case alone (a step it fails is shown blocked on the case page), ``check`` looks at what the
step's form says. A check returns ``None`` when the rule holds, or a short account of what broke it.

Body donation (Yunnan's measures): a branch, or the reception station that the executor or the
relatives told directly, opens the case (a station for itself only). The death certificate is on
record by acceptance; reception records the hand-over agreement and the transport; the use is
teaching, research or a permanent specimen, and a specimen gets a memorial record where another body
gets "remains handled". Honouring the donor may follow as soon as the body is received: it is a step
taken in place (``Step.stays``) from received, in use, remains handled or memorial, so the case
keeps its place on the path while ``honoured_at`` is set and the hooks of "honoured" run (the
certificates app issues the one honour certificate: the step is taken once, rule
``body.honoured_once``). Closing asks for the honour (``body.honoured_before_closing``). Cases that
entered the old state "honoured" keep it and close from it as before."""

import math
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.models import User
from boai.accounts.roles import Role
from boai.accounts.scoping import sees
from boai.core.workflow import Rule, Step, Workflow, mermaid, register, workflow_action_label
from boai.lib.idnumbers import age_on

from . import effects, family, forms
from .extensions import witness_refusals
from .models import BodyCase, CaseStep, OrganCase, TransplantStaff

__all__ = [
    "BODY",
    "ORGAN",
    "ORGAN_FLOWS",
    "VERBS",
    "WORKFLOWS",
    "Rule",
    "Step",
    "Workflow",
    "action_label",
    "mermaid",
    "workflow_for",
]

# The days the law changed: the 2024 Regulations on Human Organ Donation and Transplantation replaced
# the 2007 Regulations on Human Organ Transplantation on 1 May 2024.
REGULATIONS_2024 = date(2024, 5, 1)
SRC_2007 = "人体器官移植条例（2007）"
SRC_2024 = "人体器官捐献和移植条例（2024）"
SRC_ETHICS = "国家卫生健康委《人体器官移植伦理委员会工作规则》（2024）"
SRC_BRAIN = (
    "国家卫生健康委脑损伤质控评价中心《中国成人脑死亡判定标准与操作规范（第二版）》"
    "《中国儿童脑死亡判定标准与操作规范》（2019）"
)
SRC_GUIDE = "中华医学会器官移植学分会《遗体器官捐献工作指南》（2024）"
SRC_ALLOCATION = f"{SRC_2024}（遗体器官通过分配系统统一分配）"
SRC_BODY = "云南省遗体捐献管理办法（试行）"


# --- the checks ---------------------------------------------------------------------------------


def consent_family_all(case, data, actor):
    return family.family_missing("organ", data) if data.get("basis") == "family" else None


def own_wish(case):
    """The person's written intent that carries the case, or None: the local registration that was
    active at death (active, or marked deceased without a withdrawal before), else the national
    registry's active registration found when the case opened."""
    reg = case.registration
    if reg is not None and case.registry_finding in ("active", "deceased") and reg.wish_in_force:
        return reg
    national = case.national_registration
    if national is not None and case.registry_finding == "national" and national.wish_in_force:
        return national
    return None


def consent_written_intent(case, data, actor):
    if data.get("basis") != "written_intent":
        return None
    if own_wish(case) is None:
        return _("neither registry holds a registration of this person that was active at death")
    return None


def _wished(case) -> tuple[set, set]:
    reg = own_wish(case)
    organs = set(forms.OrganChoice.values) if "all" in reg.organs else set(reg.organs)
    return organs, set(reg.tissues)


def consent_within_wish(case, data, actor):
    if data.get("basis") != "written_intent" or own_wish(case) is None:
        return None
    organs, tissues = _wished(case)
    beyond = (set(data.get("organs", [])) - organs) | (set(data.get("tissues", [])) - tissues)
    if beyond:
        return _("not in the registered wish: %(items)s") % {"items": ", ".join(sorted(beyond))}
    return None


def withdrawal_seen(case, data, actor):
    if case.registry_finding == "withdrawn" and not data.get("withdrawal_seen"):
        return _("confirm that you have seen the withdrawal")
    return None


def _votes(data) -> tuple[int, int, int]:
    return data.get("members_total") or 0, data.get("members_present") or 0, data.get("votes_for") or 0


def ethics_needed(members: int) -> int:
    """Votes in favour an approval needs: two thirds of ALL the committee's members, rounded up."""
    return math.ceil(members * 2 / 3)


def ethics_two_thirds_of_members(case, data, actor):
    members, _present, yes = _votes(data)
    if yes < ethics_needed(members):
        return _("%(yes)d of %(members)d members in favour; %(needed)d needed") % {
            "yes": yes,
            "members": members,
            "needed": ethics_needed(members),
        }
    return None


def ethics_two_thirds_present(case, data, actor):
    """The reading applied before 1 May 2024: two thirds of the members present."""
    _members, present, yes = _votes(data)
    if yes * 3 < present * 2:
        return _("%(yes)d of %(present)d in favour") % {"yes": yes, "present": present}
    return None


def _matters_not_affirmed(data) -> list[str]:
    return [str(label) for name, label in forms.ETHICS_MATTERS if data.get(name) != "yes"]


def ethics_five_matters(case, data, actor):
    denied = _matters_not_affirmed(data)
    return _("not affirmed: %(matters)s") % {"matters": "; ".join(denied)} if denied else None


def ethics_video_record(case, data, actor):
    if data.get("meeting_form") == "video" and not data.get("video_record"):
        return _("attach the record of the video meeting")
    return None


def ethics_rejection_matches(case, data, actor):
    members, _present, yes = _votes(data)
    if yes >= ethics_needed(members) and not _matters_not_affirmed(data):
        return _("%(yes)d of %(members)d members in favour and every matter affirmed is an approval") % {
            "yes": yes,
            "members": members,
        }
    return None


def death_independent(case, data, actor):
    team = {forms.normalise_name(n) for n in [*case.procurement_team, *case.transplant_team]}
    unit_staff = TransplantStaff.objects.filter(unit_id=case.unit_id, active=True).values_list("name", flat=True)
    team |= {forms.normalise_name(n) for n in unit_staff}
    clash = [p for p in data.get("physicians", []) if forms.normalise_name(p) in team]
    if clash:
        return _("on a procurement or transplant team: %(names)s") % {"names": "、".join(clash)}
    return None


def brain_death_interval_hours(case, first_at) -> int:
    """The interval between the two determinations: 12 hours, 24 for a child under one year."""
    return 24 if age_on(case.birth_date, timezone.localdate(first_at)) < 1 else 12


def brain_death_interval(case, data, actor):
    first = (
        CaseStep.objects.filter(organ_case=case, to_state=OrganCase.State.FIRST_DETERMINATION)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    when = data.get("occurred_at")
    if first is None or when is None:
        return _("the first determination is not on record") if first is None else None
    hours = brain_death_interval_hours(case, first)
    if when - first < timedelta(hours=hours):
        return _("%(hours)d hours must pass after the first determination (%(time)s)") % {
            "hours": hours,
            "time": timezone.localtime(first).strftime("%Y-%m-%d %H:%M"),
        }
    return None


NO_TOUCH_MINUTES = 2


def no_touch_period(case, data, actor):
    minutes = data.get("observation_minutes") or 0
    if minutes < NO_TOUCH_MINUTES:
        return _("%(minutes)d minutes observed; at least %(needed)d") % {"minutes": minutes, "needed": NO_TOUCH_MINUTES}
    return None


def procurement_consented_only(case, data, actor):
    bad = [
        r["organ"] for r in data.get("outcomes", []) if r.get("recovered") and r["organ"] not in case.consented_organs
    ]
    if bad:
        return _("not consented: %(organs)s") % {"organs": ", ".join(str(forms.OrganChoice(o).label) for o in bad)}
    return None


def procurement_every_organ(case, data, actor):
    listed = {r["organ"] for r in data.get("outcomes", [])}
    missing = [o for o in case.consented_organs if o not in listed]
    if missing:
        return _("missing: %(organs)s") % {"organs": ", ".join(str(forms.OrganChoice(o).label) for o in missing)}
    return None


def procurement_witness_present(case, data, actor):
    if actor.username not in data.get("witnesses", []):
        return _("the coordinator who records the procurement must be among its witnesses")
    return None


def witness_qualified(case, data, actor):
    """Every witness is an active coordinator whose area includes the case, and meets whatever the
    apps above ``cases`` add (``cases.extensions.witness_check``: the coordinators' qualification)."""
    names = data.get("witnesses", [])
    coordinators = list(User.objects.filter(username__in=names, role=Role.COORDINATOR, is_active=True))
    ok = {u.username for u in coordinators}
    bad = [n for n in names if n not in ok]
    if bad or not ok:
        return _("not an active coordinator: %(names)s") % {"names": ", ".join(bad) or "—"}
    elsewhere = [u.username for u in coordinators if not sees(u, case, perm="cases.view")]
    if elsewhere:
        return _("a coordinator whose area does not include this case: %(names)s") % {"names": ", ".join(elsewhere)}
    refusals = witness_refusals(coordinators=coordinators, case=case, when=data.get("witnessed_at"))
    return "; ".join(refusals) or None


def _recovered(case) -> list[str]:
    return list(case.outcomes.filter(recovered=True).values_list("organ", flat=True))


def allocation_something_recovered(case):
    return None if _recovered(case) else _("no organ was recovered: close the case instead")


def allocation_every_organ(case, data, actor):
    recovered = set(_recovered(case))
    listed = {r["organ"] for r in data.get("allocations", [])}
    if listed != recovered:
        labels = lambda organs: ", ".join(str(forms.OrganChoice(o).label) for o in sorted(organs)) or "—"  # noqa: E731
        return _("recovered: %(recovered)s; listed: %(listed)s") % {
            "recovered": labels(recovered),
            "listed": labels(listed),
        }
    return None


def closing_after_allocation(case):
    if case.state == OrganCase.State.PROCURED and _recovered(case):
        return _("organs were recovered: record their allocation first")
    return None


def closing_body_restored(case, data, actor):
    return None if data.get("body_restored") else _("confirm that the body was restored")


def body_joint_consent(case, data, actor):
    """A body donation without the person's own registered wish needs the close relatives' written
    consent, all of them, with the scan of the signed form."""
    wish = own_wish(case)
    if wish is not None and wish.body:
        return None
    missing = family.family_missing("body", data)
    if missing:
        return missing
    if not data.get("scan"):
        return _("attach the scan of the signed consent")
    return None


def body_no_refusal(case, data, actor):
    return case.registry_note if case.registry_finding == "refusal" else None


def body_death_certificate(case, data, actor):
    if case.death_certificate_number or data.get("death_certificate_number"):
        return None
    return _("no death certificate is recorded: enter its number, date and scan")


def body_not_specimen(case):
    if case.use == BodyCase.Use.SPECIMEN:
        return _("the body is kept as a permanent specimen: record its memorial instead")
    return None


def body_specimen(case):
    return None if case.use == BodyCase.Use.SPECIMEN else _("the body is not kept as a permanent specimen")


def _honoured(case) -> bool:
    return case.honoured_at is not None or case.state == BodyCase.State.HONOURED  # the latter: cases before 2026


def body_not_yet_honoured(case):
    if case.honoured_at is None:
        return None
    return _("honoured already on %(day)s") % {"day": timezone.localdate(case.honoured_at)}


def body_honoured(case):
    return None if _honoured(case) else _("the donor has not been honoured yet")


# --- the rules ----------------------------------------------------------------------------------


R_FAMILY = Rule(
    "consent.family_all",
    gettext_lazy(
        "Without the person's written intent, every living spouse, adult child and parent recorded consents in"
        " writing (or through a proxy with a letter of authority) unless unreachable or lacking capacity; at least"
        " one signs, and the coordinator confirms the list is complete."
    ),
    check=consent_family_all,
)
R_INTENT = Rule(
    "consent.written_intent",
    gettext_lazy(
        "Consent on the person's own written intent needs their registration: active in the registry (or at death,"
        " when marked deceased), or active in the national registry."
    ),
    check=consent_written_intent,
    source=f"{SRC_2024}（公民生前以书面形式表示的捐献意愿；意愿登记与全国人体器官捐献志愿登记）",
)
R_WISH = Rule(
    "consent.within_wish",
    gettext_lazy("On the person's own intent, only the organs and tissues they registered can be consented."),
    check=consent_within_wish,
)
R_WITHDRAWAL = Rule(
    "registry.withdrawal_seen",
    gettext_lazy("If the person withdrew their registration, the coordinator confirms having seen it."),
    check=withdrawal_seen,
    source=f"{SRC_2024}（公民有权撤销捐献意愿）",
)
R_ETHICS = Rule(
    "ethics.two_thirds_of_members",
    gettext_lazy("Approval needs votes in favour from at least two thirds of ALL the committee's members."),
    check=ethics_two_thirds_of_members,
    source=f"{SRC_2024}；{SRC_ETHICS}",
    since=REGULATIONS_2024,
)
R_ETHICS_2007 = Rule(
    "ethics.two_thirds_present",
    gettext_lazy("Approval needs at least two-thirds of the members present voting in favour."),
    check=ethics_two_thirds_present,
    source=SRC_2007,
    until=REGULATIONS_2024,
)
R_ETHICS_MATTERS = Rule(
    "ethics.five_matters",
    gettext_lazy(
        "An approval affirms the five matters the committee reviews for a deceased donor: the wish is genuine,"
        " the consent lawful, no sale and no referral across service areas, the medical assessment, and"
        " medical and ethical principles."
    ),
    check=ethics_five_matters,
    source=SRC_ETHICS,
    since=REGULATIONS_2024,
)
R_ETHICS_VIDEO = Rule(
    "ethics.video_record",
    gettext_lazy("A meeting held by video (only in an emergency) keeps its record."),
    check=ethics_video_record,
    source=SRC_ETHICS,
    since=REGULATIONS_2024,
)
R_ETHICS_REJECT = Rule(
    "ethics.rejection_matches_votes",
    gettext_lazy("A rejection cannot be recorded when the votes and the five matters make an approval."),
    check=ethics_rejection_matches,
    source=SRC_ETHICS,
)
R_WITNESS_PRESENT = Rule(
    "procurement.recorded_by_witness",
    gettext_lazy("The coordinator who records the procurement witnessed it."),
    check=procurement_witness_present,
    source=f"{SRC_2024}，第五条（捐献见证）",
)
R_INDEPENDENT = Rule(
    "death.independent_physicians",
    gettext_lazy(
        "The physicians who determine death may not be on this case's procurement or transplant team,"
        " nor recorded as procurement or transplant staff of the unit."
    ),
    check=death_independent,
    source=f"{SRC_2024}；{SRC_2007}",
)
R_INTERVAL = Rule(
    "death.brain_interval",
    gettext_lazy(
        "Brain death is determined twice: the second determination at least 12 hours after the first"
        " (24 hours for a child under one year)."
    ),
    check=brain_death_interval,
    source=SRC_BRAIN,
)
R_NO_TOUCH = Rule(
    "death.no_touch_period",
    gettext_lazy(
        "After the circulation stops, death is declared only after a no-touch observation of at least 2 minutes."
    ),
    check=no_touch_period,
    source=SRC_GUIDE,
)
R_CONSENTED_ONLY = Rule(
    "procurement.consented_only",
    gettext_lazy("Only organs that were consented can be recovered."),
    check=procurement_consented_only,
    source=f"{SRC_2024}；{SRC_GUIDE}",
)
R_EVERY_ORGAN = Rule(
    "procurement.every_consented_organ",
    gettext_lazy("Every consented organ is recorded: recovered, or why not."),
    check=procurement_every_organ,
    source=SRC_GUIDE,
)
R_WITNESS = Rule(
    "witness.qualified_coordinator",
    gettext_lazy("At least one active, qualified Red Cross coordinator witnesses; every witness must be one."),
    check=witness_qualified,
    source=f"{SRC_2024}，第五条",
)
R_ALLOC_SOMETHING = Rule(
    "allocation.organ_recovered",
    gettext_lazy("Allocation follows only when at least one organ was recovered."),
    ready=allocation_something_recovered,
    source=SRC_ALLOCATION,
)
R_ALLOC_EVERY = Rule(
    "allocation.every_recovered_organ",
    gettext_lazy(
        "Every recovered organ gets the allocation system's reference and its recipients,"
        " or why it was not transplanted."
    ),
    check=allocation_every_organ,
    source=SRC_ALLOCATION,
)
R_CLOSE_ALLOCATED = Rule(
    "closing.after_allocation",
    gettext_lazy("A case with recovered organs closes after their allocation is recorded."),
    ready=closing_after_allocation,
    source=SRC_ALLOCATION,
)
R_RESTORED = Rule(
    "closing.body_restored",
    gettext_lazy("The body is restored with dignity before it is handed over."),
    check=closing_body_restored,
    source=f"{SRC_2024}；{SRC_2007}（恢复遗体外观）",
)
R_REFUSAL = Rule(
    "registry.refusal",
    gettext_lazy("A refusal made in life stops the donation."),
    check=body_no_refusal,
)
R_JOINT = Rule(
    "consent.joint_family",
    gettext_lazy(
        "A person who did not register a body donation can donate only with the written consent of the close"
        " relatives: every living spouse, adult child and parent recorded (if there is none: siblings, grandparents"
        " and grandchildren), unless unreachable or lacking capacity; at least one signs, the list is confirmed"
        " complete, and the signed form is attached."
    ),
    check=body_joint_consent,
)

R_DEATH_CERTIFICATE = Rule(
    "body.death_certificate",
    gettext_lazy(
        "The station accepts a body only with the death certificate on record (number, date and scan),"
        " given at notification or at acceptance."
    ),
    check=body_death_certificate,
    source=SRC_BODY,
)
R_NOT_SPECIMEN = Rule(
    "body.specimen_has_no_remains",
    gettext_lazy("A body kept as a permanent specimen has no remains to handle: it gets a memorial record."),
    ready=body_not_specimen,
    source=SRC_BODY,
)
R_SPECIMEN = Rule(
    "body.memorial_for_specimen",
    gettext_lazy("The memorial record takes the place of the remains for a permanent specimen only."),
    ready=body_specimen,
    source=SRC_BODY,
)
R_HONOUR_ONCE = Rule(
    "body.honoured_once",
    gettext_lazy(
        "The donor is honoured once, at any time after the reception of the body (Yunnan body donation measures)."
    ),
    ready=body_not_yet_honoured,
    source=SRC_BODY,
)
R_HONOURED = Rule(
    "body.honoured_before_closing",
    gettext_lazy("A body case closes once the donor has been honoured and the remains or the specimen recorded."),
    ready=body_honoured,
    source=SRC_BODY,
)

# The buttons: a step is named by what the user does, the state by what has happened.
VERBS = {
    ("organ", OrganCase.State.EVALUATING): gettext_lazy("Start the medical evaluation"),
    ("organ", OrganCase.State.FIRST_DETERMINATION): gettext_lazy("Record the first brain-death determination"),
    ("organ", OrganCase.State.BRAIN_DEATH_DETERMINED): gettext_lazy("Record the second brain-death determination"),
    ("organ", OrganCase.State.WITHDRAWAL_DECIDED): gettext_lazy(
        "Record the family's decision to withdraw life support"
    ),
    ("organ", OrganCase.State.FAMILY_APPROACHED): gettext_lazy("Record the approach to the family"),
    ("organ", OrganCase.State.CONSENTED): gettext_lazy("Record the signed consent"),
    ("organ", OrganCase.State.ETHICS_APPROVED): gettext_lazy("Record the ethics approval"),
    ("organ", OrganCase.State.DEATH_DETERMINED): gettext_lazy("Record the determination of death"),
    ("organ", OrganCase.State.PROCURED): gettext_lazy("Record the procurement"),
    ("organ", OrganCase.State.ALLOCATED): gettext_lazy("Record the allocation"),
    ("organ", OrganCase.State.CLOSED): gettext_lazy("Close the case"),
    ("organ", OrganCase.State.NOT_SUITABLE): gettext_lazy("Not suitable: end"),
    ("organ", OrganCase.State.DECLINED): gettext_lazy("Family declined: end"),
    ("organ", OrganCase.State.REFUSAL_ON_RECORD): gettext_lazy("A refusal made in life was found: end"),
    ("organ", OrganCase.State.ETHICS_REJECTED): gettext_lazy("Ethics review rejected: end"),
    ("organ", OrganCase.State.CANCELLED): gettext_lazy("Cancel the case"),
    ("body", BodyCase.State.ACCEPTED): gettext_lazy("Accept the body"),
    ("body", BodyCase.State.RECEIVED): gettext_lazy("Record the reception of the body"),
    ("body", BodyCase.State.IN_USE): gettext_lazy("Record its use: teaching, research or permanent specimen"),
    ("body", BodyCase.State.REMAINS_HANDLED): gettext_lazy("Record how the remains were handled"),
    ("body", BodyCase.State.MEMORIAL): gettext_lazy("Record where the specimen is kept and its memorial"),
    ("body", BodyCase.State.HONOURED): gettext_lazy("Record the honouring"),
    ("body", BodyCase.State.CLOSED): gettext_lazy("Close the case"),
    ("body", BodyCase.State.REFUSED): gettext_lazy("Refuse the body: end"),
    ("body", BodyCase.State.WITHDRAWN): gettext_lazy("The family withdrew: end"),
    ("body", BodyCase.State.CANCELLED): gettext_lazy("Cancel the case"),
}


STALE = gettext_lazy("Someone else changed this case in the meantime. Reload it to see the change, then try again.")

# What both case workflows ask of the engine: one stale-case refusal, the checks every step makes,
# the timeline row and the audit entry's changes (``cases.effects``).
CASE_ENGINE = {
    "stale_message": STALE,
    "stale_code": "case.stale",
    "guard": effects.guard,
    "effect": effects.every_step,
    "record": effects.record,
    "audit_changes": effects.audit_changes,
}

S = OrganCase.State
C = OrganCase.Category
ORGAN_FINALS = frozenset({S.CLOSED, S.NOT_SUITABLE, S.DECLINED, S.REFUSAL_ON_RECORD, S.ETHICS_REJECTED, S.CANCELLED})


def _organ_flow(category: str, path: tuple[Step, ...]) -> Workflow:
    """One donation category's workflow: the steps every category shares around its own ``path`` (the
    states from the evaluation to the procurement, in the category's order). ``path`` ends in the
    state procurement follows. An uncategorised case (before its evaluation) moves through C-I's."""
    order = [S.REFERRED, S.EVALUATING, *dict.fromkeys(step.to for step in path)]
    before_procurement = tuple(order)
    consented_on = tuple(s for s in order[order.index(S.CONSENTED) :])  # consent stands, procurement not begun
    approach_from = tuple(s for s in order[: order.index(S.FAMILY_APPROACHED) + 1])
    steps = (
        Step(S.EVALUATING, (S.REFERRED,), "cases.medical", forms.EvaluateStep, effect=effects.evaluate),
        Step(
            S.EVALUATING,
            (S.EVALUATING,),
            "cases.medical",
            forms.CategoryStep,
            name="categorised",
            verb=gettext_lazy("Change the donation category"),
            label=gettext_lazy("Organ case: donation category changed"),
            effect=effects.categorise,
        ),
        *path,
        Step(
            S.PROCURED,
            (order[-1],),
            "cases.procure",
            forms.ProcureStep,
            (R_EVERY_ORGAN, R_CONSENTED_ONLY, R_WITNESS, R_WITNESS_PRESENT),
            effect=effects.procure,
        ),
        Step(
            S.ALLOCATED,
            (S.PROCURED,),
            "cases.medical",
            forms.AllocateStep,
            (R_ALLOC_SOMETHING, R_ALLOC_EVERY, R_WITNESS),
            effect=effects.allocate,
        ),
        Step(
            S.CLOSED,
            (S.ALLOCATED, S.PROCURED),
            "cases.close",
            forms.CloseOrganStep,
            (R_CLOSE_ALLOCATED, R_RESTORED),
            effect=effects.close_organ,
        ),
        Step(S.NOT_SUITABLE, before_procurement, "cases.medical", forms.ReasonStep, exit=True),
        Step(S.DECLINED, (S.FAMILY_APPROACHED,), "cases.family", forms.ReasonStep, exit=True),
        Step(
            S.DECLINED,
            consented_on,
            "cases.family",
            forms.RevocationStep,
            exit=True,
            name="consent_revoked",
            verb=gettext_lazy("The family revoked its consent in writing: end"),
            label=gettext_lazy("Organ case: consent revoked"),
        ),
        Step(S.REFUSAL_ON_RECORD, approach_from, "cases.family", forms.ReasonStep, exit=True),
        Step(S.ETHICS_REJECTED, (S.CONSENTED,), "cases.medical", forms.EthicsRejectStep, (R_ETHICS_REJECT,), exit=True),
        Step(S.CANCELLED, before_procurement, "cases.cancel", forms.ReasonStep, exit=True),
    )
    return register(
        Workflow(
            kind=f"organ_{category}",
            group="organ",
            model=OrganCase,
            start=S.REFERRED,
            start_perm="cases.refer",
            start_form=forms.ReferralForm,
            start_verb="open the case",
            steps=steps,
            finals=ORGAN_FINALS,
            audit_prefix="cases.organ",
            title=gettext_lazy("Organ case"),
            variant=C(category).label,
            matches=(lambda case: case.donation_category in ("", C.C1))
            if category == C.C1
            else (lambda case: case.donation_category == category),
            **CASE_ENGINE,
            verbs={state: verb for (kind, state), verb in VERBS.items() if kind == "organ"},
        )
    )


def _approach_consent_ethics(after: str) -> tuple[Step, ...]:
    """The family is approached (after ``after``), consents, and the ethics committee approves."""
    return (
        Step(S.FAMILY_APPROACHED, (after,), "cases.family", forms.ApproachStep, (R_WITHDRAWAL,)),
        Step(
            S.CONSENTED,
            (S.FAMILY_APPROACHED,),
            "cases.family",
            forms.ConsentStep,
            (R_INTENT, R_WISH, R_FAMILY),
            effect=effects.consent,
        ),
        Step(
            S.ETHICS_APPROVED,
            (S.CONSENTED,),
            "cases.medical",
            forms.EthicsStep,
            (R_ETHICS, R_ETHICS_2007, R_ETHICS_MATTERS, R_ETHICS_VIDEO),
        ),
    )


def _brain_death(second_to: str) -> tuple[Step, ...]:
    """Two determinations of brain death at the interval the national criteria set."""
    return (
        Step(S.FIRST_DETERMINATION, (S.EVALUATING,), "cases.medical", forms.BrainDeathStep, (R_INDEPENDENT,)),
        Step(
            second_to,
            (S.FIRST_DETERMINATION,),
            "cases.medical",
            forms.BrainDeathStep,
            (R_INDEPENDENT, R_INTERVAL),
            verb=gettext_lazy("Record the second brain-death determination"),
            effect=effects.brain_death,
        ),
    )


def _circulatory_death(after: str) -> Step:
    return Step(
        S.DEATH_DETERMINED,
        (after,),
        "cases.medical",
        forms.CirculatoryDeathStep,
        (R_INDEPENDENT, R_NO_TOUCH),
        effect=effects.circulatory_death,
    )


# C-I: brain death determined twice, then the family approached, consent, ethics, procurement.
ORGAN_C1 = _organ_flow(
    C.C1,
    (*_brain_death(S.DEATH_DETERMINED), *_approach_consent_ethics(S.DEATH_DETERMINED)),
)
# C-II: the family decides to withdraw life support; then donation is raised, consent, ethics; then
# life support is withdrawn and death declared after the no-touch observation.
ORGAN_C2 = _organ_flow(
    C.C2,
    (
        Step(S.WITHDRAWAL_DECIDED, (S.EVALUATING,), "cases.medical", forms.WithdrawalDecisionStep),
        *_approach_consent_ethics(S.WITHDRAWAL_DECIDED),
        _circulatory_death(S.ETHICS_APPROVED),
    ),
)
# C-III: brain death determined twice; the family approached, consent, ethics; then circulatory death.
ORGAN_C3 = _organ_flow(
    C.C3,
    (
        *_brain_death(S.BRAIN_DEATH_DETERMINED),
        *_approach_consent_ethics(S.BRAIN_DEATH_DETERMINED),
        _circulatory_death(S.ETHICS_APPROVED),
    ),
)
ORGAN_FLOWS = {C.C1: ORGAN_C1, C.C2: ORGAN_C2, C.C3: ORGAN_C3}
ORGAN = ORGAN_C1  # opens every organ case: the category is recorded at the evaluation

B = BodyCase.State
# Honouring the donor (and the honour certificate, ``certificates.hooks``) may follow as soon as the
# donation is completed, the body received; the body's own path goes on meanwhile. So "honoured" is a
# step taken in place (``Step.stays``): from received, in use, remains handled or memorial, the case
# keeps its state and gets ``honoured_at``, the hooks of "honoured" run (one certificate: the step is
# taken once, rule body.honoured_once), and closing asks for it (body.honoured_before_closing). Cases
# that entered the state "honoured" before this change stay there and close from it as before.
BODY_HONOURABLE = (B.RECEIVED, B.IN_USE, B.REMAINS_HANDLED, B.MEMORIAL)
BODY = register(
    Workflow(
        kind="body",
        model=BodyCase,
        start=B.DEATH_NOTIFIED,
        start_perm="cases.notify",
        start_form=forms.NotificationForm,
        start_rules=(R_REFUSAL, R_JOINT),
        start_verb="open the case",
        steps=(
            Step(
                B.ACCEPTED,
                (B.DEATH_NOTIFIED,),
                "cases.station",
                forms.AcceptStep,
                (R_DEATH_CERTIFICATE,),
                effect=effects.accept,
            ),
            Step(B.RECEIVED, (B.ACCEPTED,), "cases.station", forms.ReceiveStep, effect=effects.receive),
            Step(B.IN_USE, (B.RECEIVED,), "cases.station", forms.UseStep, effect=effects.use),
            Step(B.REMAINS_HANDLED, (B.IN_USE,), "cases.station", forms.RemainsStep, (R_NOT_SPECIMEN,)),
            Step(B.MEMORIAL, (B.IN_USE,), "cases.station", forms.MemorialStep, (R_SPECIMEN,), effect=effects.memorial),
            Step(
                B.HONOURED,
                BODY_HONOURABLE,
                "cases.branch",
                forms.NoteStep,
                (R_HONOUR_ONCE,),
                effect=effects.honour,
                stays=True,
            ),
            Step(B.CLOSED, (B.REMAINS_HANDLED, B.MEMORIAL, B.HONOURED), "cases.branch", forms.NoteStep, (R_HONOURED,)),
            Step(B.REFUSED, (B.DEATH_NOTIFIED,), "cases.station", forms.StationRefuseStep, exit=True),
            Step(B.WITHDRAWN, (B.DEATH_NOTIFIED, B.ACCEPTED), "cases.withdraw", forms.ReasonStep, exit=True),
            # once received, the body is in the station's care: the case ends by its own steps, never cancelled
            Step(B.CANCELLED, (B.DEATH_NOTIFIED, B.ACCEPTED), "cases.branch", forms.ReasonStep, exit=True),
        ),
        finals=frozenset({B.CLOSED, B.REFUSED, B.WITHDRAWN, B.CANCELLED}),
        audit_prefix="cases.body",
        title=gettext_lazy("Body case"),
        **CASE_ENGINE,
        verbs={state: verb for (kind, state), verb in VERBS.items() if kind == "body"},
    )
)

WORKFLOWS = {"organ": ORGAN, "body": BODY}


def workflow_for(case) -> Workflow:
    """The workflow ``case`` moves through: for an organ case, its donation category's."""
    if isinstance(case, OrganCase):
        return ORGAN_FLOWS.get(case.donation_category, ORGAN)
    return BODY


def action_label(action: str) -> str | None:
    """The audit log's readable name of ``cases.<kind>.<state>`` (the engine names every workflow's)."""
    return workflow_action_label(action) if action.startswith("cases.") else None
