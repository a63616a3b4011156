"""Look-alike registrations: found after each write, decided by a clerk (merge or dismiss)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boai.audit.services import audit_log
from boai.core.errors import Conflict
from boai.core.workflow import transition_take

from ..models import DuplicateCandidate, Registration
from ..workflow import REGISTRATION


def duplicates_detect(registrations, *, now: datetime | None = None) -> int:
    """Queue pairs of active registrations with the same name, birth date and phone but different ID
    numbers. Call inside the transaction that created ``registrations``."""

    now = now or timezone.now()
    by_phone = {}
    for reg in registrations:
        if reg.phone_index:
            by_phone.setdefault(reg.phone_index, []).append(reg)
    found = []
    keys = list(by_phone)
    for start in range(0, len(keys), 5000):
        # first the keys alone (nothing decrypted): most phones are only the registrations just written
        maybe = [
            pk
            for pk, phone_index, id_index in Registration.objects.filter(
                phone_index__any_of=keys[start : start + 5000], status=Registration.Status.ACTIVE
            ).values_list("id", "phone_index", "id_number_index")
            if any(pk != reg.pk and id_index != reg.id_number_index for reg in by_phone[phone_index])
        ]
        if not maybe:
            continue
        for existing in Registration.objects.filter(pk__in=maybe).only(
            "id", "name", "birth_date", "phone_index", "id_number_index", "registered_at"
        ):
            for reg in by_phone[existing.phone_index]:
                if (
                    existing.pk != reg.pk
                    and existing.name == reg.name
                    and existing.birth_date == reg.birth_date
                    and existing.id_number_index != reg.id_number_index
                ):
                    kept, other = sorted((existing, reg), key=lambda r: (r.registered_at, r.pk))
                    found.append(DuplicateCandidate(kept_id=kept.pk, other_id=other.pk, found_at=now))
    DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)


@transaction.atomic
def duplicate_decide(*, candidate, actor, merge: bool, note: str = "", now: datetime | None = None):
    """Merge (the later registration is withdrawn as a duplicate of the earlier one) or dismiss."""

    now = now or timezone.now()
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != DuplicateCandidate.State.OPEN:
        raise Conflict(_("Someone has already decided on this pair."), code="decided")
    if merge:
        reason = _("Duplicate of %(number)s (merged)") % {"number": candidate.kept.number}
        transition_take(  # the withdrawal step of the registration workflow, as registration_withdraw takes it
            candidate.other,
            to=Registration.Status.WITHDRAWN,
            actor=actor,
            version=None,
            now=now,
            data={"reason": reason, "channel": "paper", "ip": None, "by_person": False},
            flow=REGISTRATION,
        )
    candidate.state = DuplicateCandidate.State.MERGED if merge else DuplicateCandidate.State.DISMISSED
    candidate.decided_by, candidate.decided_at, candidate.note = actor, now, (note or "")[:200]
    candidate.save()
    audit_log(
        action="registry.duplicate.merged" if merge else "registry.duplicate.dismissed",
        actor=actor,
        obj=candidate.kept,
        now=now,
        changes={"other": candidate.other.number, "note": candidate.note},
    )
    return candidate
