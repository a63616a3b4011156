"""Qualification writes: recording the national qualification (which makes a trainee — or a revoked
or departed coordinator qualifying again — qualified), its steps on the workflow (suspend, reinstate,
revoke, renew: ``qualifications_workflow``), the settings row, and the daily expiry reminder. Every
write in one transaction with its audit entry; bad input refused with nothing written."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees
from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput, NotAllowed
from boai.core.services import attachment_store
from boai.core.workflow import transition_take

from ..models import Coordinator, Qualification, QualificationEvent, ReviewSettings
from ..qualifications_workflow import QUALIFICATION_FLOW
from ..selectors.qualifications import MAY_QUALIFY

CENTRE = "中国人体器官捐献管理中心"
PERM = "coordinators.qualify"
# Who may be recorded as qualified: a trainee, or one whose qualification was revoked or who left
# and qualified again (a new national qualification; the revoked one stays in the history).
REMIND_EVERY_DAYS = 30


def settings_row() -> ReviewSettings:
    """The province's settings (one row), made with the defaults when missing."""
    row = ReviewSettings.objects.order_by("pk").first()
    if row is None:
        row, _created = ReviewSettings.objects.get_or_create(pk=1)
    return row


def _guard(actor, coordinator) -> None:
    check_perm(actor, PERM)
    if not sees(actor, coordinator, perm=PERM):
        raise NotAllowed()


def qualification_record(
    *,
    actor,
    coordinator: Coordinator,
    number: str,
    issued_on: date,
    scan,
    issuing_body: str = "",
    valid_until: date | None = None,
    provincial_number: str = "",
    registered_on: date | None = None,
    version: int | None = None,
    now=None,
) -> Qualification:
    """Record ``coordinator``'s national qualification and make them qualified."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _guard(actor, coordinator)
    number = (number or "").strip()
    if not number:
        raise InvalidInput(_("Give the qualification number."), field="number")
    if issued_on is None:
        raise InvalidInput(_("Give the date of the qualification."), field="issued_on")
    if issued_on > today:
        raise InvalidInput(_("The date of the qualification cannot be in the future."), field="issued_on")
    if valid_until is not None and valid_until <= issued_on:
        raise InvalidInput(_("“Valid until” must be after the date of the qualification."), field="valid_until")
    if valid_until is not None and valid_until < today:
        # an expired qualification recorded as active would count its holder as qualified
        raise InvalidInput(
            _("This qualification expired on %(date)s: record only a qualification that is still valid.")
            % {"date": valid_until.isoformat()},
            field="valid_until",
        )
    if registered_on is not None and registered_on > today:
        raise InvalidInput(_("The registration date cannot be in the future."), field="registered_on")
    if registered_on is not None and registered_on < issued_on:
        raise InvalidInput(_("The province cannot register a qualification before its date."), field="registered_on")
    if scan is None:
        raise InvalidInput(_("Attach a scan of the qualification certificate."), field="scan")
    with transaction.atomic():
        coordinator = Coordinator.objects.select_for_update().get(pk=coordinator.pk)
        if version not in (None, coordinator.version):
            raise Conflict(
                _("Someone else changed this coordinator in the meantime. Reload the page and try again."),
                code="stale",
            )
        if coordinator.state not in MAY_QUALIFY:
            raise Conflict(
                _(
                    "Refused by rule qualification.after_training: a qualification is recorded for a"
                    " coordinator in training (or one qualifying again); %(name)s is “%(state)s”."
                )
                % {"name": coordinator.name, "state": coordinator.get_state_display()},
                code="qualification.after_training",
            )
        if Qualification.objects.filter(number=number).exists():
            raise Conflict(
                _("Qualification number %(number)s is already recorded.") % {"number": number},
                code="qualification.number_taken",
            )
        if coordinator.qualifications.exclude(state=Qualification.State.REVOKED).exists():
            raise Conflict(_("This coordinator already holds a live qualification."), code="qualification.live")
        try:
            with transaction.atomic():
                q = Qualification.objects.create(
                    coordinator=coordinator,
                    number=number[:32],
                    issued_on=issued_on,
                    issuing_body=(issuing_body or "").strip()[:128] or CENTRE,
                    valid_until=valid_until,
                    provincial_number=(provincial_number or "").strip()[:32],
                    registered_on=registered_on,
                    created_by=actor,
                )
        except IntegrityError as exc:  # two people typing the same number at once
            raise Conflict(
                _("Qualification number %(number)s is already recorded.") % {"number": number},
                code="qualification.number_taken",
            ) from exc
        QualificationEvent.objects.create(
            qualification=q, step="granted", from_state="", to_state=q.state, actor=actor, at=now
        )
        attachment_store(owner=q, kind="certificate", upload=scan, actor=actor, now=now)
        before = coordinator.state
        coordinator.state = Coordinator.State.QUALIFIED
        coordinator.version += 1
        coordinator.save(update_fields=["state", "version", "updated_at"])
        audit_log(
            action="coordinators.qualification.recorded",
            actor=actor,
            obj=q,
            object_repr=f"{coordinator.name} {q.number}",
            changes={
                "number": q.number,
                "issued_on": issued_on.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "issuing_body": q.issuing_body,
                "coordinator_state": [before, coordinator.state],
            },
            now=now,
        )
    return q


def _step(step: str, *, actor, qualification: Qualification, version: int | None, now=None, **data) -> Qualification:
    check_perm(actor, PERM)
    if not sees(actor, qualification, perm=PERM):
        raise NotAllowed()
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    return transition_take(
        qualification, to=step, actor=actor, version=version, now=now, data=data, flow=QUALIFICATION_FLOW
    )


def qualification_suspend(*, actor, qualification, reason, document_number, scan, version=None, now=None):
    return _step(
        "suspended",
        actor=actor,
        qualification=qualification,
        version=version,
        now=now,
        reason=reason,
        document_number=document_number,
        scan=scan,
    )


def qualification_reinstate(*, actor, qualification, reason, document_number, scan, version=None, now=None):
    return _step(
        "reinstated",
        actor=actor,
        qualification=qualification,
        version=version,
        now=now,
        reason=reason,
        document_number=document_number,
        scan=scan,
    )


def qualification_revoke(*, actor, qualification, reason, document_number, scan, version=None, now=None):
    return _step(
        "revoked",
        actor=actor,
        qualification=qualification,
        version=version,
        now=now,
        reason=reason,
        document_number=document_number,
        scan=scan,
    )


def qualification_renew(*, actor, qualification, valid_until, reason, document_number, scan, version=None, now=None):
    return _step(
        "renewed",
        actor=actor,
        qualification=qualification,
        version=version,
        now=now,
        valid_until=valid_until,
        reason=reason,
        document_number=document_number,
        scan=scan,
    )


STEPS = {
    "suspend": qualification_suspend,
    "reinstate": qualification_reinstate,
    "revoke": qualification_revoke,
    "renew": qualification_renew,
}


def qualifications_exported(*, actor, filters: dict, fmt: str) -> None:
    """An export of the qualification list is audited (who took which list)."""
    check_perm(actor, "coordinators.export")
    with transaction.atomic():
        audit_log(
            action="coordinators.qualification.exported",
            actor=actor,
            object_type="coordinators.qualification",
            changes={"filters": {k: v for k, v in filters.items() if k != "format"}, "format": fmt},
        )


# --- the daily reminder ------------------------------------------------------------------------------


def reminder_text(q: Qualification) -> str:
    return _(
        "[Boai] %(name)s, your organ donation coordinator qualification %(number)s expires on %(date)s."
        " Please apply to renew it in time."
    ) % {"name": q.coordinator.name, "number": q.number, "date": q.valid_until.isoformat()}


def reminders_due(today: date):
    window = settings_row().expiry_warning_days
    return (
        Qualification.objects.filter(
            state=Qualification.State.ACTIVE,
            coordinator__state=Coordinator.State.QUALIFIED,
            valid_until__isnull=False,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=window),
        )
        .exclude(reminded_on__gt=today - timedelta(days=REMIND_EVERY_DAYS))
        .select_related("coordinator")
        .order_by("valid_until", "pk")
    )


def qualification_reminders_send(*, now=None) -> int:
    """Remind each coordinator whose qualification expires within the warning window and who was not
    reminded in the last 30 days: ``reminded_on``, an audit entry, and an SMS to the coordinator
    (the project's SMS gateway, sent once the transaction commits). Run twice a day: the second
    finds nothing due. Returns how many were reminded."""
    from boai.core.queue import enqueue_on_commit
    from boai.core.tasks import send_sms_task

    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for q in reminders_due(today):
        with transaction.atomic():
            locked = Qualification.objects.select_for_update().select_related("coordinator").get(pk=q.pk)
            if locked.reminded_on and locked.reminded_on > today - timedelta(days=REMIND_EVERY_DAYS):
                continue  # another run got there first
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on", "updated_at"])
            phone, text = locked.coordinator.phone, reminder_text(locked)
            audit_log(
                action="coordinators.qualification.reminded",
                obj=locked,
                object_repr=f"{locked.coordinator.name} {locked.number}",
                changes={"valid_until": locked.valid_until.isoformat(), "sms": bool(phone)},
                now=now,
            )
            if phone:
                enqueue_on_commit(send_sms_task, phone, text, run_here_if_down=True)
            sent += 1
    return sent
