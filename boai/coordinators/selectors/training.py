"""Reads for training. Classes are not personal data: every holder of ``coordinators.view`` sees
every class of the province. Enrolments, attendance and results are: they are seen through the
coordinator's area (``scoping.visible`` with ``coordinators.view``)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from boai.accounts.roles import role_has_perm
from boai.accounts.scoping import get_for_user, visible
from boai.core.models import Region

from ..models import Attendance, ClassSession, Coordinator, Course, Enrolment, TrainingClass

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)  # the statuses whose hours count

# who a branch may nominate to a class
NOMINABLE = (Coordinator.State.TRAINEE, Coordinator.State.QUALIFIED, Coordinator.State.APPLICANT)


def region_of(actor) -> Region | None:
    org = getattr(actor, "organization", None)
    return org.region if org else None


def may_run(actor, training_class: TrainingClass) -> bool:
    """Whether ``actor`` keeps this class (sessions, attendance, results, edits)."""
    region = region_of(actor)
    return (
        role_has_perm(getattr(actor, "role", ""), "coordinators.training")
        and region is not None
        and region.code == training_class.region_id
    )


def may_view(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and role_has_perm(user.role, "coordinators.view"))


def courses(user):
    return (
        Course.objects.annotate(n_classes=Count("classes")).order_by("title", "id")
        if may_view(user)
        else Course.objects.none()
    )


def class_list(*, user, year=None, kind: str = "", organiser: str = "", search: str = ""):
    if not may_view(user):
        return TrainingClass.objects.none()
    qs = (
        TrainingClass.objects.select_related("course", "region")
        .annotate(enrolled=Count("enrolments"))
        .order_by("-starts_on", "-id")
    )
    if year:
        qs = qs.filter(starts_on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if organiser:
        qs = qs.filter(organiser__icontains=organiser)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(course__title__icontains=search) | Q(place__icontains=search))
    return qs


def class_get(user, pk) -> TrainingClass:
    """One class (for anyone with coordinators.view; the caller has checked it), or 404."""
    if not may_view(user):
        raise Http404
    try:
        return TrainingClass.objects.select_related("course", "region").get(pk=int(pk))
    except (TrainingClass.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def enrolments(user, qs=None):
    """The enrolments whose coordinator is in ``user``'s area."""
    return visible(user, qs if qs is not None else Enrolment.objects.all(), perm="coordinators.view")


def enrolment_get(user, pk) -> Enrolment:
    """One enrolment of ``user``'s area, or 404 (out of scope: written to the audit log)."""
    if not may_view(user):
        raise Http404
    return get_for_user(user, Enrolment.objects.select_related("training_class", "coordinator"), pk)


def _attended_hours():
    hours = (
        Attendance.objects.filter(enrolment=OuterRef("pk"), status__in=ATTENDED)
        .values("enrolment")
        .annotate(total=Sum("session__hours"))
        .values("total")
    )
    return Coalesce(Subquery(hours, output_field=DecimalField()), Value(Decimal(0)), output_field=DecimalField())


def _credited_hours():
    """The hours a coordinator is credited with: those of the sessions attended (present or late); for
    a class whose sessions are not kept here (a national class), the class's hours on a pass."""
    no_sessions = ~Exists(ClassSession.objects.filter(training_class=OuterRef("training_class")))
    return Case(
        When(no_sessions & Q(result=Enrolment.Result.PASSED), then=F("training_class__hours")),
        default=_attended_hours(),
        output_field=DecimalField(),
    )


def roster(user, training_class: TrainingClass):
    """The class's enrolments in ``user``'s area, with the hours each attended."""
    return (
        enrolments(user, Enrolment.objects.filter(training_class=training_class))
        .select_related("coordinator", "coordinator__organisation", "coordinator__region", "nominated_by")
        .annotate(hours_attended=_credited_hours())
        .order_by("coordinator__name", "id")
    )


def attendance_grid(training_class: TrainingClass, rows) -> list[dict]:
    """A row per enrolment: its status for each session (``None`` where none is recorded)."""
    sessions = list(training_class.sessions.all())
    marks = defaultdict(dict)
    for a in Attendance.objects.filter(enrolment__in=[e.pk for e in rows]):
        marks[a.enrolment_id][a.session_id] = a
    return [{"enrolment": e, "cells": [(s, marks[e.pk].get(s.pk)) for s in sessions]} for e in rows]


def nominable(user, training_class: TrainingClass):
    """The coordinators ``user`` may nominate to this class (the service decides)."""
    if not role_has_perm(getattr(user, "role", ""), "coordinators.manage"):
        return Coordinator.objects.none()
    qs = visible(user, Coordinator, perm="coordinators.manage").filter(state__in=NOMINABLE)
    if training_class.kind == "prefecture":
        qs = qs.filter(region__code__startswith=training_class.region.prefix)
    return qs.exclude(enrolments__training_class=training_class).order_by("name")


def sessions_of(training_class: TrainingClass):
    return ClassSession.objects.filter(training_class=training_class)


def attendance(user, *, training_class=None):
    qs = Attendance.objects.select_related("session", "enrolment")
    qs = qs.filter(enrolment__in=enrolments(user).values("pk"))
    return qs.filter(session__training_class=training_class) if training_class is not None else qs


def runs(user, training_class) -> bool:
    return may_run(user, training_class)


def section(*, coordinator, user) -> dict:
    """What the coordinator's page shows of this area (templates/coordinators/sections/training.html):
    every class they were enrolled in, and their hours attended per year."""
    rows = list(
        enrolments(user, Enrolment.objects.filter(coordinator=coordinator))
        .select_related("training_class")
        .annotate(hours_attended=_credited_hours())
        .order_by("-training_class__starts_on", "-id")
    )
    per_year: dict = defaultdict(lambda: {"classes": 0, "hours": Decimal(0)})
    for e in rows:
        year = per_year[e.training_class.starts_on.year]
        year["classes"] += 1
        year["hours"] += e.hours_attended or Decimal(0)
    years = [{"year": y, **v} for y, v in sorted(per_year.items(), reverse=True)]
    return {"training_rows": rows, "training_years": years}
