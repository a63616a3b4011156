"""Certificate reads: the scoped register, the reconciliation of each stock kind (organ certificates,
consent forms), and the public verification."""

import re
import secrets
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from boai.accounts.scoping import visible
from boai.core.models import Organisation
from boai.lib.masking import mask_name
from boai.lib.text import fold_typed as lib_fold_typed

from .models import MAX_SERIAL, Certificate, CertificateBatch, CertificateEvent, Kind, State, StockTransfer
from .services import certificate_number


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


def consent_form_of(case) -> Certificate | None:
    """The consent form used for the consent of an organ case, if any."""
    return Certificate.objects.filter(organ_case=case, kind=Kind.ORGAN_CONSENT, state=State.ISSUED).first()


# --- stock ---------------------------------------------------------------------------------------


@dataclass
class StockOverview:
    """What the stock page of one kind shows one user: the province sees its batches and blanks, everyone
    the hand-overs and blanks at the units they may see."""

    kind: str
    is_province: bool
    is_unit: bool
    batches: list
    transfers: list
    on_hand: int
    in_province: int


def stock_overview(*, user, kind: str = Kind.ORGAN) -> StockOverview:
    is_province = user.has_perm("certificates.stock")
    transfers = (
        visible(user, StockTransfer, perm="certificates.view")
        .filter(kind=kind)
        .select_related("unit", "handed_by", "received_by")
    )
    return StockOverview(
        kind=kind,
        is_province=is_province,
        is_unit=user.has_perm("certificates.unit"),
        batches=list(CertificateBatch.objects.filter(kind=kind)[:50]) if is_province else [],
        transfers=list(transfers[:100]),
        on_hand=visible(user, Certificate, perm="certificates.view").filter(kind=kind, state=State.RECEIVED).count(),
        in_province=Certificate.objects.filter(kind=kind, state=State.IN_STOCK).count() if is_province else 0,
    )


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
    kind: str
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


def reconcile(
    *, kind: str = Kind.ORGAN, units=None, as_of: datetime | None = None, since: datetime | None = None
) -> Reconciliation:
    """The stock of one kind (organ certificates by default) as of a moment (default: now), from the
    history of every serial, checked against the batches received and against the rows' own state. With
    ``since``, the moves of the period [since, as_of] are counted too."""
    units = list(units if units is not None else Organisation.objects.filter(type=Organisation.Type.OPO_UNIT))
    by_unit = {u.pk: UnitBalance(unit=u) for u in units}
    events = CertificateEvent.objects.filter(certificate__kind=kind).order_by("at", "id")
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
    result = Reconciliation(kind=kind, as_of=as_of, since=since, units=list(by_unit.values()))
    for cert_id, (state, unit_id) in last.items():
        result.province_states[state] += 1
        balance = by_unit.get(unit_id)
        if balance is None:
            continue
        if state == State.HANDED:
            balance.in_transit += 1
        elif holder.get(cert_id) == unit_id and state in DISPOSITION:  # it reached the unit, and ended here
            setattr(balance, DISPOSITION[state], getattr(balance, DISPOSITION[state]) + 1)
    batches = CertificateBatch.objects.filter(kind=kind)
    if as_of:
        batches = batches.filter(created_at__lte=as_of)
    present = defaultdict(set)
    for batch_id, serial in Certificate.objects.filter(kind=kind).values_list("batch_id", "serial"):
        present[batch_id].add(serial)
    for batch in batches:
        result.province_received += batch.size
        result.missing += [s for s in range(batch.serial_from, batch.serial_to + 1) if s not in present[batch.pk]]
    if as_of is None:  # the rows as they are now must agree with their history
        for cert_id, number, state, unit_id in Certificate.objects.filter(kind=kind).values_list(
            "id", "number", "state", "unit_id"
        ):
            history = last.get(cert_id)
            expected_unit = (
                None if history and history[0] in (State.IN_STOCK, State.RETURNED) else (history or (0, 0))[1]
            )
            if history is None or history[0] != state or expected_unit != unit_id:
                result.mismatched.append(number)
    return result


def may_reconcile(user) -> bool:
    """The province, the exporters and the units see a reconciliation; other readers do not."""
    return any(user.has_perm(p) for p in ("certificates.stock", "certificates.export", "certificates.unit"))


def reconciliation_for(*, user, kind: str = Kind.ORGAN, since: date | None = None, until: date | None = None):
    """The reconciliation of one stock kind one user may see, for the days ``since``..``until`` (whole local days), and
    its table: the units whose hand-overs they see; the province's own line and its flags only for the
    province. Returns (result, rows)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    is_province = user.has_perm("certificates.stock")
    units = Organisation.objects.filter(type=Organisation.Type.OPO_UNIT)
    if not is_province:
        seen = (
            visible(user, StockTransfer, perm="certificates.view").filter(kind=kind).values_list("unit_id", flat=True)
        )
        units = units.filter(pk__in=seen)
    result = reconcile(
        kind=kind,
        units=units,
        as_of=datetime.combine(until, time.max, tzinfo=zone) if until else None,
        since=datetime.combine(since, time.min, tzinfo=zone) if since else None,
    )
    rows = reconciliation_rows(result)
    if not is_province:
        rows = rows[:-1]
        result.missing, result.mismatched = [], []
        result.province_received = result.province_accounted
    return result, rows


def reconciliation_rows(result: Reconciliation) -> list[list]:
    """The table of the page and the export: one row per unit, then the province."""

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
    """What the public page shows. ``issued_on`` and ``name`` (masked) only with the right check code
    (``proven``); with the number alone, the type, the number and whether it is valid."""

    kind_label: str
    number: str
    valid: bool
    proven: bool = False
    code_given: bool = False  # a check code was typed (and did not match, unless ``proven``)
    issued_on: object = None
    name: str = ""


MAX_TYPED = 80  # characters of a typed number looked at; no certificate number is half as long
# Brackets people type around the year (the official 〔〕 is not on a phone keyboard) and separators
PUNCTUATION = "〔〕【】()（）[]［］{}｛｝〈〉《》<>「」-‐‑–—_./·・:：#＃ "
_FIELD_PATTERNS = {"year": "(?P<year>[0-9]{4})", "sequence": "(?P<sequence>[0-9]+)", "serial": "(?P<serial>[0-9]+)"}
_MAX_PART = {"year": 9999, "sequence": 99_999_999, "serial": MAX_SERIAL}
VERIFIABLE = (Kind.ORGAN, Kind.BODY_RECEPTION, Kind.BODY_HONOUR)  # a consent form is no certificate


def fold_typed(typed: str) -> str:
    """What was typed, without what people add or leave out: NFKC (full-width digits and letters to
    ASCII, （） to ()), upper case, no spaces, invisible characters, brackets or separators."""
    return lib_fold_typed(typed, drop=PUNCTUATION, limit=MAX_TYPED)


def _format_pattern(fmt: str):
    """The configured number format as a pattern over folded text: its literal text folded like what
    is typed, each field a run of ASCII digits (leading zeros optional)."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(fmt):
        parts.append(re.escape(fold_typed(literal)))
        if name is not None:
            if name not in _FIELD_PATTERNS:
                return None
            parts.append(_FIELD_PATTERNS[name])
    return re.compile("".join(parts))


def normalise_number(typed: str) -> list[str]:
    """The certificate numbers someone may have meant by what they typed or pasted, in the format the
    settings give each kind: 滇遗接〔2026〕0001 typed as 滇遗接【2026】1, 滇遗接(2026)0001, 滇遗接20260001 or
    with full-width digits; an organ certificate 00001001 as 1001 or １００１. One number per kind that
    reads it; none for text no format reads."""
    folded = fold_typed(typed)
    numbers = []
    for kind in VERIFIABLE:
        fmt = settings.BOAI_CERT_FORMATS[kind]
        pattern = _format_pattern(fmt)
        match = pattern.fullmatch(folded) if pattern is not None else None
        if match is None:
            continue
        parts = {}
        for name, digits in match.groupdict().items():
            digits = digits.lstrip("0") or "0"
            if len(digits) > len(str(_MAX_PART[name])):  # no int() of a huge string
                break
            parts[name] = int(digits)
        else:
            if all(1 <= v <= _MAX_PART[k] for k, v in parts.items()):
                numbers.append(certificate_number(kind, **parts))
    return numbers


def number_candidates(typed: str) -> list[str]:
    """The numbers looked up for what was typed: as typed (without surrounding spaces), then what
    ``normalise_number`` reads in it."""
    raw = (typed or "")[:MAX_TYPED].strip()
    candidates = [raw, *normalise_number(raw)]
    return [c for i, c in enumerate(candidates) if c and len(c) <= 40 and c not in candidates[:i]]


def normalise_check_code(typed: str) -> str:
    return fold_typed(typed)[:16]


def verify(number: str, code: str = "") -> Verified | None:
    """What anyone may know of a certificate from its number: type, number, valid or voided; with its
    check code also the date and the masked name. Issued certificates, and voided ones (issued before,
    or spoiled blanks): a voided paper says so rather than look like a forgery. A blank still in stock,
    at a unit or lost is no certificate."""
    if "\x00" in number or "\x00" in code:  # no certificate holds one (and PostgreSQL refuses it in a query)
        return None
    candidates = number_candidates(number)
    if not candidates:
        return None
    shown = Q(state=State.ISSUED, issued_on__isnull=False) | Q(state=State.VOIDED)
    found = {c.number: c for c in Certificate.objects.filter(shown, number__in=candidates, kind__in=VERIFIABLE)}
    cert = next((found[n] for n in candidates if n in found), None)
    if cert is None:
        return None
    code = normalise_check_code(code)
    proven = bool(code and cert.check_code) and secrets.compare_digest(code.encode(), cert.check_code.encode())
    return Verified(
        kind_label=str(Kind(cert.kind).label),
        number=cert.number,
        valid=cert.state == State.ISSUED,
        proven=proven,
        code_given=bool(code),
        issued_on=cert.issued_on if proven else None,
        name=mask_name(cert.donor_name) if proven else "",
    )


def blanks_on_hand(*, user, kind: str) -> int:
    """Blank numbered forms of ``kind`` the user's unit holds (received, not yet used)."""
    return visible(user, Certificate, perm="certificates.view").filter(kind=kind, state=State.RECEIVED).count()


def blanks_in_province(*, kind: str) -> int:
    """Blank forms of ``kind`` the province holds, not yet handed to a unit."""
    return Certificate.objects.filter(kind=kind, state=State.IN_STOCK).count()
