"""Refusals made in life: recorded on paper by a branch."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import audit_log
from boai.core.errors import Conflict, InvalidInput
from boai.core.people import (
    clean_id_number,
)

from ..models import Refusal
from ..selectors import registry_check
from .registrations import check_area, registration_withdraw


@transaction.atomic
def refusal_record(
    *, actor, name: str, id_type: str, id_number: str, region_code: str, stated_on: date, note: str = "", now=None
) -> Refusal:
    """A branch records a refusal made in life from the person's signed statement. An active
    registration of the same person is withdrawn: the later statement wins."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise InvalidInput(_("Enter the name as on the ID document (at most 64 characters)."), field="name")
    id_number = clean_id_number(id_type, id_number, today=timezone.localdate(now))
    check_area(region_code, actor)
    if stated_on > timezone.localdate(now):
        raise InvalidInput(_("The date cannot be in the future."), field="stated_on")
    if registry_check(id_number=id_number).refusal is not None:
        raise Conflict(_("A refusal of this person is already on record."), code="refusal_exists")
    refusal = Refusal.objects.create(
        name=name,
        id_type=id_type,
        id_number=id_number,
        region_id=region_code,
        stated_on=stated_on,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    audit_log(
        action="registry.refusal.recorded",
        actor=actor,
        obj=refusal,
        now=now,
        changes={"name": name, "id_number": id_number, "stated_on": stated_on},
    )
    active = registry_check(id_number=id_number).active
    if active is not None:
        registration_withdraw(registration=active, actor=actor, reason=_("Refusal recorded"), now=now, by_person=True)
    return refusal
