"""Certificate reads: the scoped register, the reconciliation of the organ certificate stock, and the
public verification."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Q, QuerySet

from boai.accounts.scoping import visible
from boai.core.models import Organisation
from boai.lib.masking import mask_name

from .models import Certificate, CertificateBatch, CertificateEvent, Kind, State


def certificate_list(*, user, kind: str = "", state: str = "", unit: str = "", search: str = "") -> QuerySet:
    qs = visible(user, Certificate, perm="certificates.view").select_related("unit", "organ_case", "body_case")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(unit__code=unit)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(number__iexact=search) | Q(donor_name__startswith=search) | Q(recipient_name__startswith=search)
        )
    # issued and voided certificates first, newest first; blanks after them in serial order
    return qs.order_by(F("issued_on").desc(nulls_last=True), "kind", "number")


# --- reconciliation ------------------------------------------------------------------------------


@dataclass
class UnitBalance:
    """received = issued + voided + lost + returned + on hand, for one unit."""

    unit: Organisation
    received: int = 0
    issued: int = 0
    voided: int = 0
    lost: int = 0
    returned: int = 0
    on_hand: int = 0
    in_transit: int = 0  # handed to the unit, receipt not yet confirmed (not part of the balance)
    moves: Counter = field(default_factory=Counter)  # events of the period, by state reached

    @property
    def accounted(self) -> int:
        return self.issued + self.voided + self.lost + self.returned + self.on_hand

    @property
    def difference(self) -> int:
        return self.received - self.accounted


@dataclass
class Reconciliation:
    as_of: datetime | None
    since: datetime | None
    units: list
    province_received: int = 0  # serials in the batches received
    province_states: Counter = field(default_factory=Counter)  # where each serial is, as of the moment
    missing: list = field(default_factory=list)  # serials of a batch with no row at all
    mismatched: list = field(default_factory=list)  # rows whose state disagrees with their own history

    @property
    def province_accounted(self) -> int:
        return sum(self.province_states.values())

    @property
    def province_difference(self) -> int:
        return self.province_received - self.province_accounted

    @property
    def balanced(self) -> bool:
        return (
            not self.missing
            and not self.mismatched
            and self.province_difference == 0
            and all(u.difference == 0 for u in self.units)
        )


# where a serial that reached a unit ended up, as the unit's balance counts it
DISPOSITION = {State.RECEIVED: "on_hand", State.ISSUED: "issued", State.VOIDED: "voided", State.LOST: "lost"}


def reconcile(*, units=None, as_of: datetime | None = None, since: datetime | None = None) -> Reconciliation:
    """The organ certificate stock as of a moment (default: now), from the history of every serial,
    checked against the batches received and against the rows' own state. With ``since``, the moves of
    the period [since, as_of] are counted too."""
    units = list(units if units is not None else Organisation.objects.filter(type=Organisation.Type.OPO_UNIT))
    by_unit = {u.pk: UnitBalance(unit=u) for u in units}
    events = CertificateEvent.objects.filter(certificate__kind=Kind.ORGAN).order_by("at", "id")
    if as_of:
        events = events.filter(at__lte=as_of)
    last: dict[int, tuple[str, int | None]] = {}
    holder: dict[int, int | None] = {}  # the unit that confirmed receipt of the serial's current hand-out
    rows = events.values_list("certificate_id", "to_state", "unit_id", "at")
    for cert_id, to_state, unit_id, at in rows.iterator(chunk_size=5000):
        last[cert_id] = (to_state, unit_id)
        if to_state == State.RECEIVED:
            holder[cert_id] = unit_id
        elif to_state in (State.HANDED, State.RETURNED, State.IN_STOCK):
            holder[cert_id] = None
        balance = by_unit.get(unit_id)
        if balance is None:
            continue
        if to_state == State.RECEIVED:
            balance.received += 1
        elif to_state == State.RETURNED:
            balance.returned += 1
        if since and at >= since:
            balance.moves[to_state] += 1
    result = Reconciliation(as_of=as_of, since=since, units=list(by_unit.values()))
    for cert_id, (state, unit_id) in last.items():
        result.province_states[state] += 1
        balance = by_unit.get(unit_id)
        if balance is None:
            continue
        if state == State.HANDED:
            balance.in_transit += 1
        elif holder.get(cert_id) == unit_id and state in DISPOSITION:  # it reached the unit, and ended here
            setattr(balance, DISPOSITION[state], getattr(balance, DISPOSITION[state]) + 1)
    batches = CertificateBatch.objects.all()
    if as_of:
        batches = batches.filter(created_at__lte=as_of)
    present = defaultdict(set)
    for batch_id, serial in Certificate.objects.filter(kind=Kind.ORGAN).values_list("batch_id", "serial"):
        present[batch_id].add(serial)
    for batch in batches:
        result.province_received += batch.size
        result.missing += [s for s in range(batch.serial_from, batch.serial_to + 1) if s not in present[batch.pk]]
    if as_of is None:  # the rows as they are now must agree with their history
        for cert_id, number, state, unit_id in Certificate.objects.filter(kind=Kind.ORGAN).values_list(
            "id", "number", "state", "unit_id"
        ):
            history = last.get(cert_id)
            expected_unit = (
                None if history and history[0] in (State.IN_STOCK, State.RETURNED) else (history or (0, 0))[1]
            )
            if history is None or history[0] != state or expected_unit != unit_id:
                result.mismatched.append(number)
    return result


def reconciliation_rows(result: Reconciliation) -> list[list]:
    """The table of the page and the export: one row per unit, then the province."""
    from django.utils.translation import gettext as _

    rows = [
        [
            b.unit.name,
            b.received,
            b.issued,
            b.voided,
            b.lost,
            b.returned,
            b.on_hand,
            b.in_transit,
            "",
            b.difference,
        ]
        for b in result.units
    ]
    s = result.province_states
    rows.append(
        [
            _("Province (all serials)"),
            result.province_received,
            s[State.ISSUED],
            s[State.VOIDED],
            s[State.LOST],
            s[State.RETURNED],
            s[State.RECEIVED],
            s[State.HANDED],
            s[State.IN_STOCK],
            result.province_difference,
        ]
    )
    return rows


# --- public verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    kind_label: str
    number: str
    issued_on: object
    valid: bool
    name: str


def verify(number: str) -> Verified | None:
    """What anyone may know of a certificate from its number: only issued or voided ones exist here."""
    number = (number or "").strip()[:40]
    if not number:
        return None
    cert = Certificate.objects.filter(  # a spoiled blank was never a certificate: only issued ones
        number=number, state__in=(State.ISSUED, State.VOIDED), issued_on__isnull=False
    ).first()
    if cert is None:
        return None
    return Verified(
        kind_label=str(Kind(cert.kind).label),
        number=cert.number,
        issued_on=cert.issued_on,
        valid=cert.state == State.ISSUED,
        name=mask_name(cert.donor_name),
    )
