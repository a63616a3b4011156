"""The statuses of a registration, declared once for the workflow engine (``boai.core.workflow``):
active, withdrawn (and, once withdrawn, its personal data erased on request), deceased (and donated,
when a donation case counted it). The services take these steps only through ``transition_take``;
who may take them is checked by the pages and the API that call the services (a citizen withdraws
their own registration online, with no account)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import Conflict, InvalidInput
from boai.core.models import Attachment
from boai.core.workflow import Step, Workflow, register

from . import notices
from .models import ConsentRecord, Registration
from .tally import tally_change, tally_keys, tally_status_moved

S = Registration.Status


def consent_record(reg: Registration, *, kind: str, channel: str, ip: str | None, now: datetime, version: str = ""):
    ConsentRecord.objects.create(
        registration=reg,
        kind=kind,
        notice_version=version,
        notice_sha256=notices.sha256(version) if version else "",
        channel=channel,
        ip=ip,
        given_at=now,
    )


def withdraw(move) -> None:
    reg, data = move.obj, move.data
    reg.withdrawn_at, reg.withdrawal_reason = move.now, data["reason"][:200]
    if data.get("by_person", True):  # a withdrawal the person asked for; a merged duplicate is staff's decision
        consent_record(
            reg,
            kind=ConsentRecord.Kind.WITHDRAWAL,
            channel=data.get("channel", "paper"),
            ip=data.get("ip"),
            now=move.now,
        )
    move.changes["reason"] = data["reason"][:200]


def died_on_check(move) -> None:
    died_on = move.data["died_on"]
    if died_on > timezone.localdate(move.now) or died_on < move.obj.birth_date:
        raise InvalidInput(_("The date of death must be between the birth date and today."), field="died_on")
    registered = timezone.localdate(move.obj.registered_at)
    if died_on < registered:
        raise InvalidInput(
            _("The person registered on %(day)s: the date of death cannot be before it.") % {"day": registered},
            field="died_on",
        )


def deceased(move) -> None:
    move.obj.deceased_on = move.data["died_on"]
    move.changes["deceased_on"] = move.data["died_on"]


def donated(move) -> None:
    reg = move.obj
    reg.deceased_on, reg.donated_on = move.data["died_on"], timezone.localdate(move.now)
    move.changes.update(deceased_on=move.data["died_on"], case=str(move.data["case"]))


def not_erased(move) -> None:
    if move.obj.erased_at:
        raise Conflict(_("The personal data of this registration has already been erased."), code="erased")


def erase(move) -> None:
    """What stays is anonymous: the number, dates, status, sex, county and birth year (PIPL art. 47)."""
    reg, data = move.obj, move.data
    before = tally_keys(reg)
    consent_record(
        reg, kind=ConsentRecord.Kind.ERASURE, channel=data.get("channel", "online"), ip=data.get("ip"), now=move.now
    )
    reg.name, reg.name_initials, reg.id_number, reg.phone, reg.address = "", "", "", "", ""
    reg.ethnic_group, reg.family_informed, reg.campaign = "", [], reg.campaign
    reg.executor_name = reg.executor_relationship = reg.executor_phone = ""
    reg.birth_date = reg.birth_date.replace(month=1, day=1)
    reg.withdrawal_reason, reg.verify_code, reg.erased_at = "", None, move.now
    tally_change(before, reg)  # the blanked ethnic group leaves its count (saved just after, same transaction)
    scans = Attachment.objects.filter(owner_type="registry.registration", owner_id=str(reg.pk))
    for scan in scans:
        transaction.on_commit(lambda name=scan.file.name, storage=scan.file.storage: storage.delete(name))
    scans.delete()
    move.changes, move.object_repr = None, reg.number


REGISTRATION = register(
    Workflow(
        kind="registration",
        model=Registration,
        state_field="status",
        record=tally_status_moved,
        start=S.ACTIVE,
        audit_prefix="registry.registration",
        stale_message=gettext_lazy("Someone else changed this registration in the meantime. Reload it and try again."),
        stale_code="stale_version",
        steps=(
            Step(
                S.WITHDRAWN,
                (S.ACTIVE,),
                None,
                label=gettext_lazy("Registration withdrawn"),
                refusal=(gettext_lazy("Only an active registration can be withdrawn."), "not_active"),
                effect=withdraw,
                saves=("withdrawn_at", "withdrawal_reason", "updated_at"),
            ),
            Step(
                S.WITHDRAWN,
                (S.WITHDRAWN,),
                None,
                name="erased",
                label=gettext_lazy("Personal data erased on request"),
                refusal=(
                    gettext_lazy("Withdraw the registration first; then its personal data can be erased."),
                    "not_withdrawn",
                ),
                guard=not_erased,
                effect=erase,
            ),
            Step(
                S.DECEASED,
                (S.ACTIVE, S.WITHDRAWN),
                None,
                label=gettext_lazy("Marked deceased"),
                refusal=(gettext_lazy("This registration is already marked deceased."), "already_deceased"),
                guard=died_on_check,
                effect=deceased,
                saves=("deceased_on", "updated_at"),
            ),
            Step(
                S.DECEASED,
                (S.ACTIVE, S.WITHDRAWN, S.DECEASED),
                None,
                name="donated",
                label=gettext_lazy("Marked deceased — donated"),
                effect=donated,
                saves=("deceased_on", "donated_on", "updated_at"),
            ),
        ),
        finals=frozenset({S.DECEASED}),
    )
)
