"""Writes of the on-call roster, assessments and awards, and the audit entries of the overview's
export and of shown phone numbers. Every write checks its rules, runs in one transaction with its
audit entry, and writes nothing when refused."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.scoping import user_region_prefix, visible
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidFields, InvalidInput, NotAllowed
from boai.core.models import Organisation, Region
from boai.core.services import attachment_store

from ..models import Assessment, Award, Coordinator, OnCallShift, Qualification
from ..selectors.practice import covers, qualified_on

EVIDENCE = "assessment_evidence"


def _require(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise NotAllowed()


def _coordinator_in_scope(actor, coordinator, perm: str = "coordinators.view") -> Coordinator:
    found = visible(actor, Coordinator, perm=perm).filter(pk=getattr(coordinator, "pk", coordinator)).first()
    if found is None:
        raise NotAllowed(_("This coordinator is outside your area."), code="coordinators.outside_scope")
    return found


# --- on call --------------------------------------------------------------------------------------


def shift_add(*, actor, prefecture: str, coordinator, starts_on: date, ends_on: date, note: str = "", now=None):
    """Put ``coordinator`` on call for ``prefecture`` from ``starts_on`` to ``ends_on``: a coordinator
    qualified for the whole shift whose area covers the prefecture, never on two shifts at once."""
    _require(actor, "coordinators.manage")
    now = now or timezone.now()
    region = Region.objects.filter(code=prefecture, level=Region.Level.PREFECTURE).first()
    if region is None:
        raise InvalidInput(_("Choose a prefecture."), field="prefecture")
    prefix = user_region_prefix(actor) or ""
    if not prefix or not prefecture.startswith(prefix):
        raise NotAllowed(_("You keep the on-call roster of your own area only."), code="coordinators.outside_scope")
    errors = []
    if ends_on < starts_on:
        errors.append(("ends_on", _("The last day cannot be before the first day.")))
    with transaction.atomic():
        person = _coordinator_in_scope(actor, coordinator)
        person = Coordinator.objects.select_for_update().get(pk=person.pk)
        live = Qualification.objects.filter(coordinator=person, state=Qualification.State.ACTIVE)
        if person.state != Coordinator.State.QUALIFIED:
            errors.append(("coordinator", _("%(name)s is not a qualified coordinator.") % {"name": person.name}))
        elif not covers(person, prefecture):
            errors.append(("coordinator", _("%(name)s's area does not cover this prefecture.") % {"name": person.name}))
        elif live.exists() and not live.filter(issued_on__lte=starts_on).exists():
            first = live.order_by("issued_on").first().issued_on
            errors.append(
                (
                    "starts_on",
                    _("The shift starts before %(name)s was qualified on %(date)s.")
                    % {"name": person.name, "date": first.isoformat()},
                )
            )
        elif not qualified_on(person, starts_on):
            errors.append(
                (
                    "coordinator",
                    _("%(name)s is not a qualified coordinator (or the qualification has expired).")
                    % {"name": person.name},
                )
            )
        elif not qualified_on(person, max(starts_on, ends_on)):
            end = live.filter(valid_until__isnull=False).order_by("-valid_until").first().valid_until
            errors.append(
                (
                    "ends_on",
                    _("The shift runs past the end of %(name)s's qualification on %(date)s.")
                    % {"name": person.name, "date": end.isoformat()},
                )
            )
        if errors:
            raise InvalidFields(errors)
        clash = OnCallShift.objects.filter(coordinator=person, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
        if clash:
            raise Conflict(
                _("%(name)s is already on call from %(start)s to %(end)s.")
                % {"name": person.name, "start": clash.starts_on, "end": clash.ends_on},
                code="coordinators.shift_overlap",
                field="starts_on",
            )
        shift = OnCallShift.objects.create(
            region=region,
            coordinator=person,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note.strip()[:200],
            created_by=actor,
            created_at=now,
        )
        audit_log(
            action="coordinators.shift.added",
            actor=actor,
            obj=shift,
            changes={"coordinator": person.pk, "prefecture": prefecture, "from": str(starts_on), "to": str(ends_on)},
            now=now,
        )
    return shift


def _shift_for_write(actor, shift) -> OnCallShift:
    _require(actor, "coordinators.manage")
    found = visible(actor, OnCallShift, perm="coordinators.manage").select_for_update().filter(pk=shift.pk).first()
    if found is None:
        raise NotAllowed(_("You keep the on-call roster of your own area only."), code="coordinators.outside_scope")
    return found


def shift_end(*, actor, shift, today: date | None = None, now=None):
    """End a shift under way today (it ends today), or delete one not yet begun."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        shift = _shift_for_write(actor, shift)
        if shift.ends_on < today:
            raise Conflict(_("This shift is already over."), code="coordinators.shift_over")
        if shift.starts_on > today:
            audit_log(action="coordinators.shift.deleted", actor=actor, obj=shift, now=now)
            shift.delete()
            return None
        old = shift.ends_on
        shift.ends_on = today
        shift.save(update_fields=["ends_on"])
        audit_log(
            action="coordinators.shift.ended", actor=actor, obj=shift, changes={"to": [str(old), str(today)]}, now=now
        )
    return shift


def contacts_shown(*, actor, coordinators, where: str) -> None:
    """The full phones of ``coordinators`` were shown to ``actor`` (who holds coordinators.contact)."""
    ids = [c.pk for c in coordinators]
    if not ids:
        return
    with transaction.atomic():
        audit_log(
            action="coordinators.contact.viewed",
            actor=actor,
            object_type="coordinators.coordinator",
            object_id=",".join(map(str, ids))[:64],
            changes={"where": where, "coordinators": ids},
        )


# --- assessments ----------------------------------------------------------------------------------


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("The score is a number from 0 to 100."), field="score") from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput(_("The score is a number from 0 to 100."), field="score")
    return score.quantize(Decimal("0.1"))


def _year_errors(year, today: date) -> list:
    if not isinstance(year, int) or year < 2000:
        return [("year", _("Give a year from 2000 on."))]
    if year > today.year:
        return [("year", _("The year cannot be in the future."))]
    return []


def _may_be_assessed(person, year: int) -> bool:
    """Chosen rule: a coordinator who is qualified or suspended now, or whose qualification was
    valid at some time during ``year`` (one since revoked or left); never an applicant or trainee."""
    if person.state in (Coordinator.State.QUALIFIED, Coordinator.State.SUSPENDED):
        return True
    return (
        Qualification.objects.filter(coordinator=person, issued_on__year__lte=year)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__year__gte=year))
        .exists()
    )


def assessment_record(
    *,
    actor,
    coordinator,
    year: int,
    score,
    rating: str,
    assessed_on: date,
    comment: str = "",
    evidence=(),
    now=None,
) -> Assessment:
    """A coordinator's yearly assessment, by ``actor`` (the assessor): once per coordinator and year,
    for a coordinator of the assessor's area, not for a year still to come."""
    _require(actor, "coordinators.assess")
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = []
    errors += _year_errors(year, today)
    try:
        score = _score(score)
    except InvalidInput as exc:
        errors.append(("score", exc.message))
    if rating not in Assessment.Rating.values:
        errors.append(("rating", _("Choose a rating.")))
    if assessed_on is None or assessed_on > today:
        errors.append(("assessed_on", _("The assessment date cannot be in the future.")))
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        person = _coordinator_in_scope(actor, coordinator, perm="coordinators.assess")
        if not _may_be_assessed(person, year):
            raise Conflict(
                _("%(name)s was not a qualified coordinator in %(year)s: only coordinators are assessed.")
                % {"name": person.name, "year": year},
                code="coordinators.assess_coordinators_only",
                field="coordinator",
            )
        if Assessment.objects.filter(coordinator=person, year=year).exists():
            raise Conflict(
                _("%(name)s already has an assessment for %(year)s: at most one per year.")
                % {"name": person.name, "year": year},
                code="coordinators.one_assessment_per_year",
                field="year",
            )
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    coordinator=person,
                    year=year,
                    score=score,
                    rating=rating,
                    assessor=actor,
                    comment=(comment or "").strip()[:2000],
                    assessed_on=assessed_on,
                    recorded_at=now,
                )
        except IntegrityError:
            raise Conflict(
                _("%(name)s already has an assessment for %(year)s: at most one per year.")
                % {"name": person.name, "year": year},
                code="coordinators.one_assessment_per_year",
                field="year",
            ) from None
        scans = [attachment_store(owner=assessment, kind=EVIDENCE, upload=f, actor=actor, now=now) for f in evidence]
        audit_log(
            action="coordinators.assessment.recorded",
            actor=actor,
            obj=assessment,
            changes={
                "coordinator": person.pk,
                "year": year,
                "score": str(score),
                "rating": rating,
                "evidence": len(scans),
            },
            now=now,
        )
    return assessment


def evidence_viewed(*, actor, assessment, attachment) -> None:
    with transaction.atomic():
        audit_log(
            action="coordinators.assessment.evidence_viewed",
            actor=actor,
            obj=assessment,
            changes={"attachment": attachment.pk},
        )


# --- awards ---------------------------------------------------------------------------------------


def award_record(
    *,
    actor,
    kind: str,
    year: int,
    document_number: str,
    awarded_on: date,
    awarded_by: str,
    title: str = "",
    coordinator=None,
    name: str = "",
    organisation: str = "",
    now=None,
) -> Award:
    """An award to a coordinator of the actor's area, or to hospital staff without a coordinator
    record (``name`` and ``organisation``, a code). Once per kind, year and person."""
    _require(actor, "coordinators.award")
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = []
    if kind not in Award.Kind.values:
        errors.append(("kind", _("Choose the award.")))
    errors += _year_errors(year, today)
    if not (document_number or "").strip():
        errors.append(("document_number", _("Give the document number of the award.")))
    if not (awarded_by or "").strip():
        errors.append(("awarded_by", _("Say who gave the award.")))
    if awarded_on is None or awarded_on > today:
        errors.append(("awarded_on", _("The award date cannot be in the future.")))
    org = None
    if coordinator is None and kind == Award.Kind.EXCELLENT_COORDINATOR:
        errors.append(
            ("coordinator", _("Choose the coordinator: the excellent coordinator award is for a coordinator."))
        )
    elif coordinator is None:
        if not (name or "").strip():
            errors.append(("name", _("Choose a coordinator, or give the name and organisation of the person.")))
        org = Organisation.objects.filter(code=organisation).first() if organisation else None
        if org is None:
            errors.append(("organisation", _("Choose the organisation of the person.")))
    if errors:
        raise InvalidFields(errors)
    with transaction.atomic():
        if coordinator is not None:
            person = _coordinator_in_scope(actor, coordinator)
            name, org, region = person.name, person.organisation, person.region
            if kind == Award.Kind.EXCELLENT_COORDINATOR and person.state != Coordinator.State.QUALIFIED:
                raise Conflict(
                    _("%(name)s is not a qualified coordinator: the excellent coordinator award is for one.")
                    % {"name": name},
                    code="coordinators.award_coordinators_only",
                    field="coordinator",
                )
            clash = Award.objects.filter(kind=kind, year=year, coordinator=person).exists()
        else:
            person, name, region = None, name.strip()[:64], org.region
            clash = Award.objects.filter(
                kind=kind, year=year, coordinator__isnull=True, name=name, organisation=org
            ).exists()
        if clash:
            raise Conflict(
                _("%(name)s already has this award for %(year)s.") % {"name": name, "year": year},
                code="coordinators.award_once_per_year",
                field="kind",
            )
        award = Award.objects.create(
            kind=kind,
            title=(title or "").strip()[:128],
            year=year,
            coordinator=person,
            name=name,
            organisation=org,
            region=region,
            document_number=document_number.strip()[:64],
            awarded_on=awarded_on,
            awarded_by=awarded_by.strip()[:128],
            created_by=actor,
            created_at=now,
        )
        audit_log(
            action="coordinators.award.recorded",
            actor=actor,
            obj=award,
            changes={
                "kind": kind,
                "year": year,
                "coordinator": person.pk if person else None,
                "document": award.document_number,
            },
            now=now,
        )
    return award


def overview_exported(*, actor, year: int) -> None:
    _require(actor, "coordinators.export")
    with transaction.atomic():
        audit_log(
            action="coordinators.overview.exported",
            actor=actor,
            object_type="coordinators.overview",
            changes={"year": year},
        )
