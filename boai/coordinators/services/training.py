"""Training: courses, classes and their sessions, nominations (enrolments), attendance per session,
results, the roster exports and the training certificate's number. Every write here, each in one
transaction with its audit entry.

Who runs a class: national and provincial classes the provincial branch (region 530000), a
prefecture class the prefecture's branch (the class's ``region`` is that prefecture). Sessions,
attendance and results are kept by whoever runs the class; nominations come from any branch, for the
coordinators in its own area. The sessions' hours together may not exceed the class's hours."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.models import Region
from boai.core.workflow import stale_check

from ..models import Attendance, ClassSession, Coordinator, Course, Enrolment, TrainingClass, TrainingKind
from ..selectors.training import NOMINABLE, may_run, region_of

PROVINCE = "530000"
# who may be nominated: in training, qualified, or still applying (not rejected, revoked, left, suspended)
RESULTS = (Enrolment.Result.PASSED, Enrolment.Result.FAILED, Enrolment.Result.ABSENT)


def _today(now=None) -> date:
    return timezone.localdate(now) if now else timezone.localdate()


def _str(value, field: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required and not value:
        raise InvalidInput(_("This field is required."), field=field)
    if len(value) > max_length:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Enter a number."), field=field) from None
    if not number.is_finite():
        raise InvalidInput(_("Enter a number."), field=field)
    return number


# --- courses ---------------------------------------------------------------------------------------


@transaction.atomic
def course_create(*, actor, title: str, kind: str, description: str = "", now=None) -> Course:
    check_perm(actor, "coordinators.training")
    title = _str(title, "title", 128)
    if kind not in TrainingKind.values:
        raise InvalidInput(_("Choose the kind of training."), field="kind")
    course = Course.objects.create(
        title=title,
        kind=kind,
        description=_str(description, "description", 2000, required=False),
        created_by=actor,
        created_at=now or timezone.now(),
    )
    audit_log(action="coordinators.course.created", actor=actor, obj=course, changes={"kind": kind})
    return course


# --- classes ---------------------------------------------------------------------------------------


def class_region_for(actor, kind: str) -> Region:
    """The region a class of ``kind`` made by ``actor`` belongs to, or the refusal: national and
    provincial classes only by the provincial branch, a prefecture class only by a prefecture branch
    (for its own prefecture)."""
    region = region_of(actor)
    if kind in (TrainingKind.NATIONAL, TrainingKind.PROVINCIAL):
        if region is None or region.code != PROVINCE:
            raise NotAllowed(
                _("National and provincial classes are kept by the provincial branch only."), code="training.kind_level"
            )
        return region
    if region is None or region.level != Region.Level.PREFECTURE:
        raise NotAllowed(
            _("A prefecture class is kept by a prefecture branch, for its own prefecture."), code="training.kind_level"
        )
    return region


def _check_runs(actor, training_class: TrainingClass) -> None:
    check_perm(actor, "coordinators.training")
    if not may_run(actor, training_class):
        raise NotAllowed(_("Only the branch that runs this class may change it."), code="training.not_runner")


def _class_fields(data: dict) -> dict:
    """The checked fields of a class, every problem named at once."""
    errors: list = []
    clean: dict = {}
    for field, length in (("title", 128), ("organiser", 128), ("place", 128)):
        try:
            clean[field] = _str(data.get(field), field, length)
        except InvalidInput as exc:
            errors.append((field, exc.message))
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, date):
        errors.append(("starts_on", _("Enter the first day.")))
    if not isinstance(ends_on, date):
        errors.append(("ends_on", _("Enter the last day.")))
    if isinstance(starts_on, date) and starts_on.year < 2000:
        errors.append(("starts_on", _("Give a date from 2000 on.")))
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        errors.append(("ends_on", _("The last day cannot be before the first day.")))
    try:
        hours = _decimal(data.get("hours"), "hours")
    except InvalidInput as exc:
        errors.append(("hours", exc.message))
        hours = None
    else:
        if hours is None or hours <= 0 or hours >= 10000:
            errors.append(("hours", _("The hours must be more than 0 (and below 10,000).")))
            hours = None
    capacity = data.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 10000:
        errors.append(("capacity", _("The capacity must be at least 1 (and at most 10,000).")))
    if errors:
        raise InvalidFields(errors)
    return {
        **clean,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "hours": hours.quantize(Decimal("0.1")),
        "capacity": capacity,
    }


@transaction.atomic
def class_create(*, actor, course: Course, kind: str | None = None, **data) -> TrainingClass:
    """A class of ``course`` (its kind is the course's unless given): title, organiser, first and last
    day, hours, place, capacity."""
    check_perm(actor, "coordinators.training")
    kind = kind or course.kind
    if kind not in TrainingKind.values:
        raise InvalidInput(_("Choose the kind of training."), field="kind")
    region = class_region_for(actor, kind)
    fields = _class_fields(data)
    training_class = TrainingClass.objects.create(course=course, kind=kind, region=region, created_by=actor, **fields)
    audit_log(
        action="coordinators.class.created",
        actor=actor,
        obj=training_class,
        changes={"kind": kind, "starts_on": str(fields["starts_on"]), "ends_on": str(fields["ends_on"])},
    )
    return training_class


@transaction.atomic
def class_update(*, actor, training_class: TrainingClass, version, **data) -> TrainingClass:
    """Change a class's details (not its kind or course). Refused when someone changed it meanwhile
    (``version``), when the new dates leave out a session's day, the new hours are fewer than its
    sessions' or the capacity is below the coordinators already enrolled."""
    _check_runs(actor, training_class)
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    stale_check(
        locked,
        version,
        required=True,
        message=_("Someone changed this class meanwhile: reload it and make your change again."),
        code="training.stale",
    )
    fields = _class_fields(data)
    errors = []
    sessions = locked.sessions.all()
    if sessions.filter(day__lt=fields["starts_on"]).exists() or sessions.filter(day__gt=fields["ends_on"]).exists():
        errors.append(("starts_on", _("A session lies outside these dates: move or keep the dates around it.")))
    planned = sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if fields["hours"] < planned:
        errors.append(("hours", _("The sessions already add up to %(n)s hours.") % {"n": planned}))
    enrolled = locked.enrolments.count()
    if fields["capacity"] < enrolled:
        errors.append(("capacity", _("%(n)d coordinators are already enrolled.") % {"n": enrolled}))
    if errors:
        raise InvalidFields(errors)
    before = {k: str(getattr(locked, k)) for k in fields}
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save()
    changes = {k: [before[k], str(v)] for k, v in fields.items() if before[k] != str(v)}
    audit_log(action="coordinators.class.changed", actor=actor, obj=locked, changes=changes)
    return locked


# --- sessions --------------------------------------------------------------------------------------


@transaction.atomic
def session_add(*, actor, training_class: TrainingClass, day, topic: str, hours) -> ClassSession:
    _check_runs(actor, training_class)
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    errors = []
    if not isinstance(day, date):
        errors.append(("day", _("Enter the day.")))
    elif not locked.starts_on <= day <= locked.ends_on:
        errors.append(
            (
                "day",
                _("The session's day must lie within the class's dates (%(from)s to %(to)s).")
                % {"from": locked.starts_on, "to": locked.ends_on},
            )
        )
    try:
        topic = _str(topic, "topic", 128)
    except InvalidInput as exc:
        errors.append(("topic", exc.message))
    try:
        hours = _decimal(hours, "hours")
    except InvalidInput as exc:
        errors.append(("hours", exc.message))
        hours = None
    else:
        if hours is None or hours <= 0 or hours >= 1000:
            errors.append(("hours", _("The hours must be more than 0.")))
            hours = None
    if hours is not None:
        planned = locked.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
        if planned + hours > locked.hours:
            errors.append(
                (
                    "hours",
                    _("The sessions would add up to %(n)s hours, more than the class's %(max)s hours.")
                    % {"n": planned + hours, "max": locked.hours},
                )
            )
    if errors:
        raise InvalidFields(errors)
    session = ClassSession.objects.create(
        training_class=locked, day=day, topic=topic, hours=hours.quantize(Decimal("0.1"))
    )
    audit_log(
        action="coordinators.session.added",
        actor=actor,
        obj=session,
        changes={"class": locked.pk, "day": str(day), "hours": str(session.hours)},
    )
    return session


# --- enrolment -------------------------------------------------------------------------------------


@transaction.atomic
def enrol(*, actor, training_class: TrainingClass, coordinator: Coordinator, now=None) -> Enrolment:
    """A branch nominates a coordinator of its area to a class. Refused for someone outside the
    branch's area, not in training, qualified or applying, already enrolled in this class, outside a
    prefecture class's prefecture; when the class is full or has ended."""
    check_perm(actor, "coordinators.manage")
    if not sees(actor, coordinator, perm="coordinators.manage"):
        raise NotAllowed(_("You may nominate only the coordinators of your own area."), code="training.out_of_area")
    locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if locked.ends_on < _today(now):
        raise Conflict(_("This class has ended: nobody can be enrolled any more."), code="training.class_ended")
    if coordinator.state not in NOMINABLE:
        raise Conflict(
            _("%(name)s cannot be nominated: only coordinators in training, qualified or applying can be.")
            % {"name": coordinator.name},
            code="training.not_nominable",
        )
    if locked.kind == TrainingKind.PREFECTURE and not coordinator.region_id.startswith(locked.region.prefix):
        raise Conflict(
            _("This prefecture class is for the coordinators of %(region)s only.") % {"region": locked.region.name},
            code="training.other_prefecture",
        )
    if locked.enrolments.filter(coordinator=coordinator).exists():
        raise Conflict(
            _("%(name)s is already enrolled in this class.") % {"name": coordinator.name},
            code="training.enrolled_twice",
        )
    if locked.enrolments.count() >= locked.capacity:
        raise Conflict(_("This class is full (%(n)d places).") % {"n": locked.capacity}, code="training.class_full")
    enrolment = Enrolment.objects.create(
        training_class=locked,
        coordinator=coordinator,
        nominated_by=actor.organization,
        nominated_at=now or timezone.now(),
        created_by=actor,
    )
    audit_log(
        action="coordinators.enrolment.created",
        actor=actor,
        obj=enrolment,
        object_repr=f"{locked} · {coordinator.name}",
        changes={"class": locked.pk, "coordinator": coordinator.pk},
    )
    return enrolment


# --- attendance ------------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, enrolment: Enrolment, session: ClassSession, status: str, now=None) -> Attendance:
    """Whether an enrolled coordinator attended a session: once per coordinator and session; a second
    record for the same pair is a correction and replaces the first (both kept in the audit log).
    Refused for a session of another class, on a day outside the class's dates or still to come."""
    training_class = enrolment.training_class
    _check_runs(actor, training_class)
    if status not in Attendance.Status.values:
        raise InvalidInput(_("Choose present, late, absent or excused."), field="status")
    if session.training_class_id != training_class.pk:
        raise InvalidInput(_("This session belongs to another class."), field="session")
    if not training_class.starts_on <= session.day <= training_class.ends_on:
        raise Conflict(
            _("The session's day lies outside the class's dates: attendance cannot be recorded for it."),
            code="training.attendance_outside",
        )
    if session.day > _today(now):
        raise Conflict(
            _("This session is still to come: record attendance on or after its day."),
            code="training.attendance_future",
        )
    moment = now or timezone.now()
    existing = Attendance.objects.select_for_update().filter(enrolment=enrolment, session=session).first()
    if existing is None:
        attendance = Attendance.objects.create(
            enrolment=enrolment, session=session, status=status, recorded_by=actor, recorded_at=moment
        )
        audit_log(
            action="coordinators.attendance.recorded",
            actor=actor,
            obj=attendance,
            object_repr=f"{session} · {enrolment.coordinator.name}",
            changes={"status": status},
        )
        return attendance
    if existing.status == status:
        return existing  # nothing to correct
    before = existing.status
    existing.status, existing.recorded_by, existing.recorded_at = status, actor, moment
    existing.save()
    audit_log(
        action="coordinators.attendance.corrected",
        actor=actor,
        obj=existing,
        object_repr=f"{session} · {enrolment.coordinator.name}",
        changes={"status": [before, status]},
    )
    return existing


@transaction.atomic
def attendance_sheet(*, actor, session: ClassSession, statuses: list[tuple[Enrolment, str]], now=None) -> int:
    """A session's attendance for several coordinators at once: all recorded, or (one refused) none."""
    if not statuses:
        raise InvalidInput(_("Choose a status for at least one coordinator."), field="status")
    for enrolment, status in statuses:
        attendance_record(actor=actor, enrolment=enrolment, session=session, status=status, now=now)
    return len(statuses)


# --- results ---------------------------------------------------------------------------------------

# The lowest score of a pass (out of 100), as in the province's training rules; a result that
# contradicts its score is refused rather than guessed.
PASS_MARK = 60


@transaction.atomic
def result_record(*, actor, enrolment: Enrolment, result: str, score=None, now=None) -> Enrolment:
    """Passed, failed or absent, with a score from 0 to 100 (none for someone absent; a pass from
    ``PASS_MARK``), once the class has ended. A later record replaces it (audited)."""
    training_class = enrolment.training_class
    _check_runs(actor, training_class)
    if training_class.ends_on > _today(now):
        raise Conflict(
            _("The class has not ended yet: results can be recorded from its last day (%(date)s).")
            % {"date": training_class.ends_on.isoformat()},
            code="training.result_too_early",
        )
    if result not in RESULTS:
        raise InvalidInput(_("Choose passed, failed or absent."), field="result")
    score = _decimal(score, "score")
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput(_("The score must be between 0 and 100."), field="score")
    if result == Enrolment.Result.ABSENT and score is not None:
        raise InvalidInput(_("Someone absent has no score: leave it empty."), field="score")
    if result == Enrolment.Result.PASSED and score is not None and score < PASS_MARK:
        raise InvalidInput(_("A pass needs a score of at least %(n)d.") % {"n": PASS_MARK}, field="score")
    if result == Enrolment.Result.FAILED and score is not None and score >= PASS_MARK:
        raise InvalidInput(_("A score of %(n)d or more is a pass, not a failure.") % {"n": PASS_MARK}, field="score")
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.certificate_number and result != Enrolment.Result.PASSED:
        raise Conflict(
            _("A training certificate was already printed for this pass: the result cannot be changed."),
            code="training.certificate_printed",
        )
    before = [locked.result, str(locked.score) if locked.score is not None else None]
    locked.result = result
    locked.score = score.quantize(Decimal("0.1")) if score is not None else None
    locked.save(update_fields=["result", "score"])
    audit_log(
        action="coordinators.enrolment.result",
        actor=actor,
        obj=locked,
        object_repr=f"{training_class} · {locked.coordinator.name}",
        changes={"result": [before[0], result], "score": [before[1], str(locked.score) if score is not None else None]},
    )
    return locked


# --- exports and the certificate ---------------------------------------------------------------------


@transaction.atomic
def roster_exported(*, actor, training_class: TrainingClass, sheet: str, rows: int) -> None:
    check_perm(actor, "coordinators.export")
    audit_log(
        action="coordinators.training.exported",
        actor=actor,
        obj=training_class,
        changes={"sheet": sheet, "rows": rows},
    )


def certificate_number_for(enrolment: Enrolment) -> str:
    """云南 training certificate number: the class's year and the enrolment's own id, so unique."""
    return f"YNXT{enrolment.training_class.starts_on.year}{enrolment.pk:06d}"


@transaction.atomic
def certificate_printed(*, actor, enrolment: Enrolment) -> Enrolment:
    """Before the PDF is made: only for a pass. The number is given on the first print and kept."""
    check_perm(actor, "coordinators.view")
    locked = Enrolment.objects.select_for_update().select_related("training_class", "coordinator").get(pk=enrolment.pk)
    if locked.result != Enrolment.Result.PASSED:
        raise Conflict(_("A training certificate is printed only for a pass."), code="training.certificate_not_passed")
    first = not locked.certificate_number
    if first:
        locked.certificate_number = certificate_number_for(locked)
        locked.save(update_fields=["certificate_number"])
    audit_log(
        action="coordinators.training.certificate_printed",
        actor=actor,
        obj=locked,
        object_repr=f"{locked.training_class} · {locked.coordinator.name}",
        changes={"number": locked.certificate_number, "first": first},
    )
    return locked
