"""Reads of the ledger: the row hash of a ledger entry (written with the entry and carried by its
audit entry), the public, anonymised table and its check against the audit chain.

The public table (``public_rows``), exactly:

- The year of an entry is the year of its ``paid_on`` (a Beijing date: the day the money was paid, or
  the reversal recorded, in Asia/Shanghai).
- A payment made counts +1 and its amount in the month, prefecture and kind of its entry. A reversal
  (the negative entry) counts −1 and its (negative) amount in the month of the REVERSAL, with the
  payment's prefecture and kind: reversed in the same month, the payment nets out of that month; reversed
  later (or in a later year), the later month carries the −1, so what was published for a past month
  never changes.
- THE FOLDING RULE, per kind. A prefecture-month cell is shown when its net count is at least 3 and at
  least 3 different families were paid in it (so no row points at one or two families); otherwise it is
  folded into that prefecture's whole-year row ("Whole year (combined)"). That row, if it fails the same
  test, is folded into the province-wide row of the year ("Other (combined)"); if that fails too, its
  entries are only inside the year's total of the kind. No published row has a count below 3 (totals
  excepted: they always equal the sum of every entry of the year, per kind and overall).
- THE SECONDARY RULE (``secondary``): no published total minus the rows published under it may point at
  1 or 2 payments (or fewer than 3 families). Per kind, what its total holds beyond its rows must be
  nothing or at least 3 payments of 3 families; else that rest, the kind's "Other (combined)" row and
  then its smallest rows are pooled into one "Other (combined)" row. A kind that cannot be settled even
  whole (fewer than 3 payments in the year, say) has no row and its total is published only inside the
  overall total; and what the hidden kinds hold beyond their rows must be settled too (else the smallest
  shown kind is hidden as well and its rows folded). If the whole year cannot be settled, no figure is
  published. So a later reversal left alone in the totals may fold an earlier month's row.
- Each row carries ``hash``: SM3 over the sorted ``row_hash``es of the entries it sums, joined by a line
  feed (``sm3_hex("\\n".join(sorted(hashes)).encode())``); the totals carry the same over all theirs.
- Nothing names a family, a case, a person, a voucher or a day: rows are month, prefecture and kind."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.audit.models import AuditEntry, AuditPending
from boai.core.models import Region
from boai.lib.crypto import sm3_hex

from ..models import LedgerEntry, PaymentKind

MIN_SHOWN = 3  # a published row sums at least this many payments, of as many families
FIRST_YEAR = 2000  # the public pages answer 404 for a year outside FIRST_YEAR..this year
PAY_ACTIONS = ("care.payment.paid",)  # the audit actions of the payment workflow's pay step
REVERSE_ACTIONS = ("care.payment.reversed",)  # and of its reverse step
KIND_ORDER = [k.value for k in PaymentKind]

# The level of a published row.
MONTH, PREFECTURE_YEAR, PROVINCE_OTHER = "month", "prefecture_year", "other"
YEAR_LABEL = _("Whole year (combined)")
OTHER_LABEL = _("Other (combined)")


def entry_hash(entry) -> str:
    """The SM3 hash of a ledger entry's canonical form: what it records of the money, not who was paid.
    Fixed once written; the audit entry of the write carries it as ``row_hash``."""
    fields = (
        entry.pk,
        entry.payment_id,
        entry.reverses_id or "",
        entry.amount_fen,
        entry.kind,
        entry.prefecture_id,
        entry.paid_on.isoformat(),
        entry.method,
        entry.voucher,
    )
    return sm3_hex("|".join(str(f) for f in fields).encode())


def rows_hash(hashes) -> str:
    """The published hash of a row: SM3 over the sorted row hashes it sums, one per line."""
    return sm3_hex("\n".join(sorted(hashes)).encode())


@dataclass(frozen=True)
class Item:
    """One ledger entry as the public table sees it (no day, no voucher, no name)."""

    month: int
    prefecture: str  # region code
    kind: str
    amount_fen: int  # negative for a reversal
    family: int  # only to count different families; never shown
    row_hash: str

    @property
    def count(self) -> int:
        return 1 if self.amount_fen > 0 else -1


@dataclass
class Sum:
    count: int = 0
    amount_fen: int = 0
    families: set = field(default_factory=set)
    hashes: list = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.count += item.count
        self.amount_fen += item.amount_fen
        if item.amount_fen > 0:
            self.families.add(item.family)
        self.hashes.append(item.row_hash)

    def merge(self, other: "Sum") -> None:
        self.count += other.count
        self.amount_fen += other.amount_fen
        self.families |= other.families
        self.hashes += other.hashes

    @property
    def shown(self) -> bool:
        return self.count >= MIN_SHOWN and len(self.families) >= MIN_SHOWN

    @property
    def hash(self) -> str:
        return rows_hash(self.hashes)


@dataclass(frozen=True)
class Row:
    level: str  # MONTH, PREFECTURE_YEAR or PROVINCE_OTHER
    month: int | None  # 1..12 for a month row
    prefecture: str | None  # region code; None for the province-wide row
    kind: str
    count: int
    amount_fen: int
    hash: str
    hashes: tuple = field(default=(), repr=False, compare=False)  # the entries' row hashes (the CSV's check)


@dataclass(frozen=True)
class Total:
    kind: str | None  # None: every kind
    count: int
    amount_fen: int
    hash: str
    entries: int  # ledger entries summed (payments and reversals)
    shown: bool = True  # False: only inside the overall total (a kind), or not published at all (overall)


def fold(items) -> tuple[list[Row], dict]:
    """The published rows and the totals (``{kind: Total, None: Total}``) of one year's items."""
    cells: dict[tuple, Sum] = defaultdict(Sum)
    totals: dict = defaultdict(Sum)
    for item in items:
        cells[(item.kind, item.prefecture, item.month)].add(item)
        totals[item.kind].add(item)
        totals[None].add(item)
    rows: list[Row] = []
    years: dict[tuple, Sum] = defaultdict(Sum)
    for (kind, prefecture, month), cell in cells.items():
        if cell.shown:
            rows.append(Row(MONTH, month, prefecture, kind, cell.count, cell.amount_fen, cell.hash, tuple(cell.hashes)))
        else:
            years[(kind, prefecture)].merge(cell)
    others: dict[str, Sum] = defaultdict(Sum)
    for (kind, prefecture), year in years.items():
        if year.shown:
            rows.append(
                Row(PREFECTURE_YEAR, None, prefecture, kind, year.count, year.amount_fen, year.hash, tuple(year.hashes))
            )
        else:
            others[kind].merge(year)
    for kind, other in others.items():
        if other.shown:
            rows.append(
                Row(PROVINCE_OTHER, None, None, kind, other.count, other.amount_fen, other.hash, tuple(other.hashes))
            )
    rows, hidden = secondary(rows, items, totals)
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    rows.sort(key=lambda r: (r.month or 13, r.prefecture or "999999", rank.get(r.kind, 99)))
    out = {
        kind: Total(
            kind, s.count, s.amount_fen, s.hash, len(s.hashes), settled(s) if kind is None else kind not in hidden
        )
        for kind, s in sorted(totals.items(), key=lambda kv: rank.get(kv[0], -1) if kv[0] else -1)
    }
    return rows, out


def settled(s: "Sum") -> bool:
    """What the totals hold beyond the published rows may be published by subtraction: it must be nothing
    (no payment, no amount) or at least 3 payments of at least 3 families, like a row."""
    return (s.count == 0 and s.amount_fen == 0) or s.shown


def _rest(items, rows, kinds) -> "Sum":
    published = {h for r in rows for h in r.hashes}
    rest = Sum()
    for item in items:
        if item.kind in kinds and item.row_hash not in published:
            rest.add(item)
    return rest


def _smallest(rows):
    return sorted(rows, key=lambda r: (r.count, r.amount_fen, r.hash))


def _as_other(kind, pool: "Sum") -> Row:
    return Row(PROVINCE_OTHER, None, None, kind, pool.count, pool.amount_fen, pool.hash, tuple(pool.hashes))


def secondary(rows: list[Row], items, totals) -> tuple[list[Row], set]:
    """THE SECONDARY RULE, so that no total minus the rows published under it points at 1 or 2 payments
    (or fewer than 3 families). Per kind: if what its total holds beyond its rows is not settled, that rest
    and the kind's "Other (combined)" row and then its other rows, smallest first, are pooled into one
    "Other (combined)" row until the pool can be shown; when even the whole kind cannot, the kind has no row
    and its total is only inside the overall total (hidden). Then overall: what the hidden kinds hold beyond
    their rows (the overall total minus the shown kinds' totals minus the hidden kinds' rows) must be settled
    too, else the smallest shown kind is hidden as well and its rows, smallest first, go to that rest. Returns
    the rows and the hidden kinds; the overall total is published only if every entry of the year is settled."""
    items = list(items)
    kinds = [k for k in totals if k is not None]
    hidden = set()
    for kind in kinds:
        rest = _rest(items, rows, {kind})
        if settled(rest):
            continue
        mine = [r for r in rows if r.kind == kind]
        pool = rest
        queue = [r for r in mine if r.level == PROVINCE_OTHER] + _smallest(r for r in mine if r.level != PROVINCE_OTHER)
        taken = []
        for row in queue:
            if settled(pool):
                break
            taken.append(row)
            for item in items:
                if item.row_hash in row.hashes:
                    pool.add(item)
        rows = [r for r in rows if r not in taken]
        if pool.shown:
            rows.append(_as_other(kind, pool))
        elif not settled(pool):
            hidden.add(kind)  # every row of the kind folded, and still too few: no row, no total of its own
    shown_kinds = sorted((k for k in kinds if k not in hidden), key=lambda k: (totals[k].count, totals[k].amount_fen))
    while hidden and not settled(_rest(items, rows, hidden)):
        if not shown_kinds:
            break
        kind = shown_kinds.pop(0)
        hidden.add(kind)
        for row in _smallest(r for r in rows if r.kind == kind):
            if settled(_rest(items, rows, hidden)):
                break
            rows = [r for r in rows if r is not row]
    return rows, hidden


def year_items(year: int) -> list[Item]:
    entries = LedgerEntry.objects.filter(paid_on__year=year).values_list(
        "paid_on", "prefecture_id", "kind", "amount_fen", "payment__family_id", "row_hash"
    )
    return [Item(paid_on.month, pref, kind, amount, family, h) for paid_on, pref, kind, amount, family, h in entries]


def years_with_payments() -> list[int]:
    """The years that have ledger entries, newest first."""
    return sorted({d.year for d in LedgerEntry.objects.dates("paid_on", "year")}, reverse=True)


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= timezone.localdate().year


def latest_year() -> int:
    years = [y for y in years_with_payments() if year_in_range(y)]
    return years[0] if years else timezone.localdate().year


@dataclass
class PublicTable:
    year: int
    rows: list
    totals: dict  # kind -> Total; None -> the year's overall Total
    prefectures: dict  # code -> name
    months: list  # [(month, net amount of its shown rows)] for the chart

    @property
    def kind_totals(self) -> list:
        return [self.totals[k] for k in KIND_ORDER if k in self.totals]

    @property
    def overall(self) -> Total:
        return self.totals.get(None) or Total(None, 0, 0, rows_hash([]), 0)


def public_rows(year: int) -> PublicTable:
    """The public, anonymised ledger of ``year`` (see the module's docstring for the exact rule)."""
    rows, totals = fold(year_items(year))
    codes = {r.prefecture for r in rows if r.prefecture}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    by_month = defaultdict(int)
    for row in rows:
        if row.level == MONTH:
            by_month[row.month] += row.amount_fen
    return PublicTable(year, rows, totals, names, [(m, by_month.get(m, 0)) for m in range(1, 13)])


def month_chart(months: list, *, width: int = 360, height: int = 220) -> dict:
    """Bars of the month amounts as SVG coordinates (no inline style): one bar per month, scaled to the
    largest; a month whose rows net below zero draws no bar."""
    top, bottom, left = 16, 28, 8
    plot = height - top - bottom
    step = (width - 2 * left) / 12
    peak = max([amount for _m, amount in months] + [1])
    bars = []
    for i, (month, amount) in enumerate(months):
        h = round(plot * max(amount, 0) / peak, 1)
        x = round(left + i * step + step * 0.15, 1)
        bars.append(
            {
                "month": month,
                "amount": amount,
                "x": x,
                "y": round(top + plot - h, 1),
                "w": round(step * 0.7, 1),
                "h": h,
                "cx": round(x + step * 0.35, 1),
            }
        )
    return {"width": width, "height": height, "bars": bars, "base": top + plot, "label_y": height - 10}


# ---- the check against the system and the audit chain


@dataclass(frozen=True)
class Mismatch:
    entry_id: int | None
    payment_id: int | None
    problem: str


def audited_hashes(payment_ids) -> dict:
    """``{(payment id, "paid" | "reversed"): [row_hash, …]}`` from the audit entries of the payment
    workflow's pay and reverse steps on those payments (a set of ids)."""
    found: dict = defaultdict(list)
    # With BOAI_AUDIT_SEAL_DEFERRED a payment's entry may not be sealed yet: the unsealed ones count too,
    # read first (one sealed in between is then read with the sealed ones as well, and counted once).
    fields = ("object_id", "action", "changes", "created_at")
    wanted = {"object_type": "care.payment", "action__in": PAY_ACTIONS + REVERSE_ACTIONS, "success": True}
    unsealed = {
        (o, a, repr(c), t): (o, a, c) for o, a, c, t in AuditPending.objects.filter(**wanted).values_list(*fields)
    }

    def rows():
        for object_id, action, changes, created_at in (
            AuditEntry.objects.filter(**wanted).values_list(*fields).iterator()
        ):
            if unsealed:
                unsealed.pop((object_id, action, repr(changes), created_at), None)
            yield object_id, action, changes
        yield from list(unsealed.values())

    for object_id, action, changes in rows():
        if not (object_id.isdecimal() and int(object_id) in payment_ids):
            continue
        value = (changes or {}).get("row_hash")
        if isinstance(value, list):  # a (before, after) pair
            value = value[-1]
        step = "paid" if action in PAY_ACTIONS else "reversed"
        found[(int(object_id), step)].append(value or "")
    return found


def check_entries(entries, payment_ids=None) -> tuple[int, list[Mismatch]]:
    """Recompute each entry's hash and compare it with the stored ``row_hash`` and with the one its
    audit entry carries; and every hash the audit log records for ``payment_ids`` (default: the entries'
    payments) must still be in the ledger (else a row was deleted)."""
    entries = list(entries)
    payment_ids = set(payment_ids) if payment_ids is not None else {e.payment_id for e in entries}
    audited = audited_hashes(payment_ids)
    problems: list[Mismatch] = []
    stored = set()
    for entry in entries:
        stored.add((entry.payment_id, entry.row_hash))
        if entry_hash(entry) != entry.row_hash:
            problems.append(
                Mismatch(entry.pk, entry.payment_id, _("The entry was changed after it was written: its hash differs."))
            )
        step = "reversed" if entry.reverses_id else "paid"
        carried = audited.get((entry.payment_id, step), [])
        if not carried:
            problems.append(Mismatch(entry.pk, entry.payment_id, _("No audit entry records this payment or reversal.")))
        elif entry.row_hash not in carried:
            problems.append(
                Mismatch(entry.pk, entry.payment_id, _("The hash in the audit log differs from the entry's hash."))
            )
    for (payment_id, _step), hashes in audited.items():
        for value in hashes:
            if (payment_id, value) not in stored:
                problems.append(
                    Mismatch(
                        None, payment_id, _("The audit log records a ledger entry that is no longer in the ledger.")
                    )
                )
    return len(entries), problems
