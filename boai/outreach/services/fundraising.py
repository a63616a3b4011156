"""Online fundraising days: projects (add, change), their results typed in day by day or imported from
the platform's export (.xlsx/.csv), with a row error report. Every write checks its rules first and is
saved in one transaction with its audit entry; a refusal writes nothing.

Money is integer fen (``boai.lib.money``). A day already recorded is replaced only when the caller says
so (``replace=True``: the confirmation of the day's form, or of an import after ``results_check`` listed
the days it would replace); the audit entry keeps the old and new values."""

import contextlib
import hashlib
import secrets
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import check_perm
from boai.accounts.scoping import sees, user_region_prefix
from boai.audit.services import audit_log
from boai.care.models import PaymentKind
from boai.core.errors import Conflict, InvalidFields, InvalidInput
from boai.core.models import Region
from boai.core.services import checks
from boai.core.storage import encrypted_storage
from boai.core.workflow import stale_check
from boai.lib.dates import BadDate, parse_day
from boai.lib.money import AmountError, format_fen, parse_yuan
from boai.lib.text import free_text_problem
from boai.registry.parsing import ImportFileError, read_rows

from ..models import FundraisingDay, FundraisingImport, FundraisingProject

PERM = "outreach.fundraising"
STALE = gettext_lazy("Someone else changed this record in the meantime. Reload it and try again.")
PLATFORMS = ("腾讯公益", "支付宝公益", "字节跳动公益")
EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366)  # a project being planned: at most a year ahead
LONGEST = timedelta(days=366)  # a giving day runs days or weeks, never more than a year
MAX_DONORS = 100_000_000
MAX_ROWS = 5000  # a platform's export holds a few hundred days at most
MAX_UPLOAD = 5 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")

# key, the headers a platform's export may use (compared without case and spaces)
COLUMNS = [
    ("day", ("日期", "date", "day", "捐款日期", "筹款日期")),
    ("amount", ("金额", "amount", "金额（元）", "金额(元)", "捐款金额", "筹款金额", "筹款金额（元）", "筹款金额(元)")),
    ("donors", ("捐款人次", "donors", "人次", "捐款人数", "donor count")),
]
COLUMN_NAMES = {"day": "日期", "amount": "金额", "donors": "捐款人次"}


# --- shared checks --------------------------------------------------------------------------------


def _text(errors, name, value, *, max_length, required_message=None) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if required_message and not value:
        errors.append((name, required_message))
    elif len(value) > max_length:
        errors.append((name, _("At most %(n)s characters.") % {"n": max_length}))
    elif problem := free_text_problem(value):
        errors.append((name, problem))
    return value


# --- projects -------------------------------------------------------------------------------------


@dataclass
class ProjectData:
    """What a form or an API body says about a project: ``target`` in yuan as typed ("200,000"),
    ``region`` a code."""

    title: str = ""
    purpose: str = ""
    care_kind: str = ""
    target: str = ""
    platform: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    region: str = ""

    FIELDS = ("title", "purpose", "care_kind", "target", "platform", "starts_on", "ends_on", "region")

    @classmethod
    def of(cls, p: FundraisingProject) -> "ProjectData":
        return cls(
            title=p.title,
            purpose=p.purpose,
            care_kind=p.care_kind,
            target=format_fen(p.target_fen),
            platform=p.platform,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            region=p.region_id,
        )


def _clean_project(data: ProjectData, *, actor, today: date) -> dict:
    errors: list = []
    values: dict = {
        "title": _text(errors, "title", data.title, max_length=128, required_message=_("Give the project's title.")),
    }
    if data.purpose not in FundraisingProject.Purpose.values:
        errors.append(("purpose", _("Choose what the money is for from the list.")))
    values["purpose"] = data.purpose
    care_kind = data.care_kind or ""
    if data.purpose == FundraisingProject.Purpose.FAMILY_CARE:
        if care_kind not in PaymentKind.values:
            errors.append(("care_kind", _("Choose which family care payments the money funds.")))
    else:
        care_kind = ""  # only a family care project funds care payments
    values["care_kind"] = care_kind
    try:
        values["target_fen"] = parse_yuan(data.target, field="target")
    except AmountError as exc:
        errors.append(("target", exc.message))
    values["platform"] = _text(
        errors, "platform", data.platform, max_length=64, required_message=_("Give the platform, such as 腾讯公益.")
    )
    starts, ends = data.starts_on, data.ends_on
    for name, value in (("starts_on", starts), ("ends_on", ends)):
        if not isinstance(value, date):
            errors.append((name, _("Give the date, such as 2025-05-08.")))
        elif value < EARLIEST:
            errors.append((name, _("The date cannot be before 2000.")))
        elif value > today + AHEAD:
            errors.append((name, _("The date cannot be more than a year from today.")))
    if isinstance(starts, date) and isinstance(ends, date):
        if ends < starts:
            errors.append(("ends_on", _("The last day cannot be before the first day.")))
        elif ends - starts > LONGEST:
            errors.append(("ends_on", _("A project lasts at most a year.")))
    values["starts_on"], values["ends_on"] = starts, ends
    region = Region.objects.filter(code=(data.region or "").strip()).first()
    prefix = user_region_prefix(actor)
    if region is None or not region.code.startswith("53"):
        errors.append(("region", _("Choose the area: a county, a prefecture or the province.")))
    elif not (prefix and region.code.startswith(prefix)):
        errors.append(("region", _("Refused by rule area in scope: this area is outside your own.")))
    values["region"] = region
    if errors:
        raise InvalidFields(errors)
    return values


@transaction.atomic
def project_create(*, actor, data: ProjectData, now=None) -> FundraisingProject:
    """A new fundraising project in the actor's area."""
    check_perm(actor, PERM)
    now = now or timezone.now()
    values = _clean_project(data, actor=actor, today=timezone.localdate(now))
    project = FundraisingProject(created_by=actor)
    changes = checks.values_set(project, values)
    project.save()
    audit_log(action="outreach.project.created", actor=actor, obj=project, changes=changes, now=now)
    return project


@transaction.atomic
def project_update(*, project: FundraisingProject, actor, data: ProjectData, version: int | None, now=None):
    """Change a project. ``version`` is the one the editor read: a save in between refuses this one.
    The dates cannot leave out a day whose results are recorded."""
    check_perm(actor, PERM)
    now = now or timezone.now()
    # two editors (or an editor and an import) of one project queue here
    current = FundraisingProject.objects.select_for_update().get(pk=project.pk)
    stale_check(current, version, required=True, message=STALE, code="stale")
    if not sees(actor, current, perm=PERM):
        raise InvalidInput(_("Refused by rule area in scope: this project is outside your area."), field="region")
    values = _clean_project(data, actor=actor, today=timezone.localdate(now))
    outside = current.days.exclude(day__range=(values["starts_on"], values["ends_on"])).order_by("day").first()
    if outside is not None:
        raise InvalidFields(
            [
                (
                    "starts_on" if outside.day < values["starts_on"] else "ends_on",
                    _("Results are recorded for %(day)s: the dates must include that day.")
                    % {"day": outside.day.isoformat()},
                )
            ]
        )
    changes = checks.values_set(current, values)
    if not changes:
        return current
    current.version += 1
    current.save()
    audit_log(action="outreach.project.changed", actor=actor, obj=current, changes=changes, now=now)
    return current


# --- one day's results ----------------------------------------------------------------------------


def _donors(value) -> int | None:
    """A donor count as typed or read from a sheet ("1,234", 12, 12.0), or None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(",", "").replace("，", "")
    if text.startswith("-") and text[1:].isdecimal():
        return -1
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 12 else None


def _check_day(project, day, amount, donors) -> tuple[list, dict]:
    """The errors of one day's results ``[(field, message)]`` and the clean values."""
    errors, values = [], {}
    if not isinstance(day, date):
        errors.append(("day", _("Give the date, such as 2025-05-08.")))
    elif not project.starts_on <= day <= project.ends_on:
        errors.append(
            (
                "day",
                _("The day must be within the project's dates (%(start)s to %(end)s).")
                % {"start": project.starts_on.isoformat(), "end": project.ends_on.isoformat()},
            )
        )
    values["day"] = day
    try:
        values["amount_fen"] = parse_yuan(amount, field="amount", allow_zero=True)
    except AmountError as exc:
        errors.append(("amount", exc.message))
    count = _donors(donors)
    if count is None or count < 0:
        errors.append(("donors", _("Give the number of donors, a whole number from 0.")))
    elif count > MAX_DONORS:
        errors.append(("donors", _("The number of donors is too large.")))
    values["donors"] = count
    return errors, values


def _save_day(project, values, *, actor, now, source=None) -> tuple[FundraisingDay, dict | None]:
    """Save one day's results; returns the row and, when it replaced one, the old values."""
    day = project.days.filter(day=values["day"]).first()
    old = None
    if day is None:
        day = FundraisingDay(project=project, day=values["day"])
    else:
        old = {"amount_fen": day.amount_fen, "donors": day.donors}
    day.amount_fen, day.donors = values["amount_fen"], values["donors"]
    day.source, day.recorded_by, day.recorded_at = source, actor, now
    day.save()
    return day, old


@transaction.atomic
def day_record(
    *, project: FundraisingProject, actor, day, amount, donors, replace: bool = False, now=None
) -> tuple[FundraisingDay, bool]:
    """One day's results typed in (``amount`` in yuan as typed). A day already recorded is replaced only
    with ``replace=True`` (the page's confirmation); otherwise refused with the recorded values.
    Returns the row and whether it replaced one."""
    check_perm(actor, PERM)
    now = now or timezone.now()
    # a typist and an import of the same project queue here
    current = FundraisingProject.objects.select_for_update().get(pk=project.pk)
    if not sees(actor, current, perm=PERM):
        raise InvalidInput(_("Refused by rule area in scope: this project is outside your area."), field="day")
    errors, values = _check_day(current, day, amount, donors)
    if errors:
        raise InvalidFields(errors)
    existing = current.days.filter(day=values["day"]).first()
    if existing is not None and not replace:
        raise Conflict(
            _(
                "Results are already recorded for %(day)s: ¥%(amount)s from %(donors)s donors. "
                "Tick the box to replace them, then save again."
            )
            % {"day": values["day"].isoformat(), "amount": format_fen(existing.amount_fen), "donors": existing.donors},
            code="day_recorded",
            field="replace",
        )
    row, old = _save_day(current, values, actor=actor, now=now)
    changes = {"day": values["day"].isoformat()}
    changes["amount_fen"] = [old["amount_fen"] if old else None, row.amount_fen]
    changes["donors"] = [old["donors"] if old else None, row.donors]
    changes["replaced"] = old is not None
    audit_log(action="outreach.results.recorded", actor=actor, obj=current, changes=changes, now=now)
    return row, old is not None


# --- imports --------------------------------------------------------------------------------------


def _header_map(header: list) -> dict[int, str]:
    names = {}
    for key, labels in COLUMNS:
        for label in labels:
            names["".join(label.split()).lower()] = key
    mapping = {}
    for index, cell in enumerate(header):
        key = names.get("".join(str(cell or "").split()).lower())
        if key and key not in mapping.values():
            mapping[index] = key
    missing = [COLUMN_NAMES[key] for key, _labels in COLUMNS if key not in mapping.values()]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns 日期, 金额 and 捐款人次 (or date, amount, donors);"
                " missing: %(names)s"
            )
            % {"names": "、".join(missing)}
        )
    return mapping


def _sheet_day(value):
    """A day as a sheet holds it: a date cell, or text such as 2025-05-08 or 2025/5/8."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return None
    try:
        return parse_day(value)
    except BadDate:
        return None


def _sheet_amount(value):
    """An amount as a sheet holds it: a number cell (1234.5), or text ("1,234.50", "￥1234.5")."""
    if isinstance(value, float):
        try:
            return format(Decimal(repr(value)).normalize(), "f")
        except InvalidOperation:
            return ""
    return value if isinstance(value, str | int) else ""


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


def read_results(*, project: FundraisingProject, filename: str, content: bytes):
    """Every row of a platform's export checked: ``(good [(row, values)], problems [RowProblem], total)``.
    A file that cannot be read as a whole raises ``InvalidInput`` on ``file``."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(_("Upload the platform's export as .xlsx or .csv."), field="file")
    if not content:
        raise InvalidInput(_("The file is empty."), field="file")
    if len(content) > MAX_UPLOAD:
        raise InvalidInput(_("The file is too large (at most 5 MB)."), field="file")
    good, problems, seen, total = [], [], {}, 0
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(content)
        handle.flush()
        try:
            for number, raw in read_rows(Path(handle.name), filename, header_map=_header_map):
                total += 1
                if total > MAX_ROWS:
                    raise InvalidInput(
                        _("The file has more than %(n)s rows. Split it into smaller files.") % {"n": MAX_ROWS},
                        field="file",
                    )
                day = _sheet_day(raw.get("day"))
                errors, values = _check_day(project, day, _sheet_amount(raw.get("amount")), raw.get("donors"))
                if day is None and str(raw.get("day") or "").strip():
                    errors = [
                        ("day", _("This is not a date. Write it as 2025-05-08.")) if f == "day" else (f, m)
                        for f, m in errors
                    ]
                if not errors and values["day"] in seen:
                    errors.append(
                        (
                            "day",
                            _("The same day is already on row %(row)d of this file.") % {"row": seen[values["day"]]},
                        )
                    )
                if errors:
                    problems += [RowProblem(number, COLUMN_NAMES[f], str(m)) for f, m in errors]
                else:
                    seen[values["day"]] = number
                    good.append((number, values))
        except ImportFileError as exc:
            raise InvalidInput(str(exc), field="file") from exc
    if total == 0:
        raise InvalidInput(_("The file has no rows of results under its column names."), field="file")
    return good, problems, total


@dataclass
class Replacement:
    """A recorded day that an import would replace: the old and the new values."""

    day: date
    old_amount_fen: int
    old_donors: int
    amount_fen: int
    donors: int

    def as_list(self) -> list:
        return [self.day.isoformat(), self.old_amount_fen, self.old_donors, self.amount_fen, self.donors]


@dataclass
class ImportCheck:
    """What an import of a file would do, nothing written: the good rows, the row errors, and the
    recorded days it would replace."""

    filename: str
    sha256: str
    good: list
    problems: list
    total: int
    replacing: list[Replacement]

    @property
    def new_days(self) -> int:
        return len(self.good) - len(self.replacing)

    @property
    def refused_rows(self) -> int:
        return len({p.row for p in self.problems})


def _check(project: FundraisingProject, filename: str, content: bytes) -> ImportCheck:
    good, problems, total = read_results(project=project, filename=filename, content=content)
    recorded = {d.day: d for d in project.days.filter(day__in=[v["day"] for _n, v in good])}
    replacing = [
        Replacement(v["day"], recorded[v["day"]].amount_fen, recorded[v["day"]].donors, v["amount_fen"], v["donors"])
        for _n, v in good
        if v["day"] in recorded
    ]
    return ImportCheck(
        filename=Path(filename).name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        good=good,
        problems=problems,
        total=total,
        replacing=sorted(replacing, key=lambda r: r.day),
    )


def results_check(*, project: FundraisingProject, actor, filename: str, content: bytes) -> ImportCheck:
    """Check a platform's export before importing it: every row checked and the recorded days it would
    replace listed (old and new values). Nothing is written."""
    check_perm(actor, PERM)
    if not sees(actor, project, perm=PERM):
        raise InvalidInput(_("Refused by rule area in scope: this project is outside your area."), field="file")
    return _check(project, filename, content)


def _days_text(days) -> str:
    return "、".join(d.isoformat() for d in days)


@transaction.atomic
def results_import(
    *,
    project: FundraisingProject,
    actor,
    filename: str,
    content: bytes,
    replace: bool = False,
    replacing: list[date] | None = None,
    now=None,
) -> FundraisingImport:
    """Import a platform's export: every row checked, the good rows saved together, the bad ones kept
    as the import's row error report. A day already recorded is replaced only with ``replace=True``
    (else refused, naming the days); ``replacing``, when given, is the list of days the user agreed
    to replace after checking the file (``results_check``): if the recorded days changed since, the
    import is refused. ``imp.replaced``: how many recorded days were replaced, ``imp.replaced_days``
    the ``Replacement`` of each (both also in the audit entry)."""
    check_perm(actor, PERM)
    now = now or timezone.now()
    # an import and a typist of the same project queue here: the days replaced are the ones seen
    current = FundraisingProject.objects.select_for_update().get(pk=project.pk)
    if not sees(actor, current, perm=PERM):
        raise InvalidInput(_("Refused by rule area in scope: this project is outside your area."), field="file")
    check = _check(current, filename, content)
    days = [r.day for r in check.replacing]
    if replacing is not None and sorted(replacing) != days:
        raise Conflict(
            _(
                "The results recorded for this project changed after the file was checked. "
                "Check the file again before saving it."
            ),
            code="days_changed",
            field="file",
        )
    if days and not replace:
        raise Conflict(
            _("Results are already recorded for %(days)s. Confirm that the file replaces them.")
            % {"days": _days_text(days)},
            code="days_recorded",
            field="file",
        )
    imp = FundraisingImport.objects.create(
        project=current,
        filename=check.filename,
        sha256=check.sha256,
        uploaded_by=actor,
        uploaded_at=now,
        rows_total=check.total,
        rows_saved=len(check.good),
        errors=[{"row": p.row, "column": p.column, "message": p.message} for p in check.problems],
    )
    for _number, values in check.good:
        _save_day(current, values, actor=actor, now=now, source=imp)
    imp.replaced = len(check.replacing)
    imp.replaced_days = check.replacing
    audit_log(
        action="outreach.results.imported",
        actor=actor,
        obj=imp,
        changes={
            "project": current.pk,
            "file": imp.filename,
            "sha256": imp.sha256,
            "rows_total": check.total,
            "rows_saved": len(check.good),
            "rows_refused": check.refused_rows,
            "replaced": len(check.replacing),
            # each replaced day: [day, old amount_fen, old donors, new amount_fen, new donors]
            "replaced_days": [r.as_list() for r in check.replacing],
        },
        now=now,
    )
    return imp


# --- a checked file waiting for its confirmation ---------------------------------------------------
# The import's page checks a file and saves nothing; the file waits, encrypted, in the private file
# storage under a random name until the user confirms (or checks another); ``checked_files_sweep``
# (a daily job) removes those never confirmed.

CHECKED_DIR = "outreach/fundraising-checks"


def checked_file_keep(content: bytes) -> tuple[str, str]:
    """Keep a checked file: ``(token, storage name)``."""
    token = secrets.token_urlsafe(16)
    return token, encrypted_storage().save(f"{CHECKED_DIR}/{token}", ContentFile(content))


def checked_file_read(name: str, *, sha256: str) -> bytes | None:
    """The kept file, or None when it is gone or not the one checked."""
    try:
        with encrypted_storage().open(name) as handle:
            content = handle.read()
    except (OSError, ValueError):
        return None
    return content if hashlib.sha256(content).hexdigest() == sha256 else None


def checked_file_drop(name: str) -> None:
    with contextlib.suppress(OSError):
        encrypted_storage().delete(name)


def checked_files_sweep(*, older_than: timedelta = timedelta(days=1), now=None) -> int:
    """Remove the checked files never confirmed, older than ``older_than``. Returns how many."""
    now = now or timezone.now()
    storage = encrypted_storage()
    try:
        _dirs, files = storage.listdir(CHECKED_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for filename in files:
        name = f"{CHECKED_DIR}/{filename}"
        if storage.get_modified_time(name) < now - older_than:
            checked_file_drop(name)
            removed += 1
    return removed
