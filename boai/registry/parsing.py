"""Reading registration lists (.xlsx, .csv in UTF-8 or GB18030), turning rows into PersonData, and
writing the template and the error report. No database writes here: see services.import_*."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from boai.core.people import DOCUMENT_SEXES
from boai.lib import ethnic
from boai.lib.dates import BadDate, parse_day
from boai.lib.sheets import cell as sheet_cell
from boai.lib.sheets import decode_text

from .data import PersonData
from .models import Registration

# key, Chinese header, English header
COLUMNS = [
    ("name", "姓名", "Name"),
    ("sex", "性别", "Sex"),
    ("ethnic_group", "民族", "Ethnic group"),
    ("id_type", "证件类型", "ID type"),
    ("id_number", "证件号码", "ID number"),
    ("birth_date", "出生日期", "Birth date"),
    ("phone", "手机号", "Phone"),
    ("region", "县（市、区）代码", "County code"),
    ("address", "住址", "Address"),
    ("organs", "捐献器官", "Organs"),
    ("tissues", "捐献组织", "Tissues"),
    ("body", "遗体捐献", "Body"),
    ("family", "知情家属", "Family informed"),
    ("executor_name", "执行人", "Executor"),
    ("executor_relationship", "执行人关系", "Executor's relationship"),
    ("executor_phone", "执行人手机号", "Executor's phone"),
    ("signed_on", "签署日期", "Date signed"),
]
REQUIRED = ("name", "id_number", "phone", "region")
ERROR_COLUMN = gettext_lazy("Errors")
DATE_FORMS = gettext_lazy("Write the date as 1970-01-31 (1970/1/31, 1970.1.31 and 1970年1月31日 are read too).")
MAX_ROWS = 200_000

_YES = {"是", "y", "yes", "1", "true", "t", "√", "✓"}
_NO = {"否", "n", "no", "0", "false", "f", ""}
_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ",", " ": ","})


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str


def _header_map(header: list) -> dict[int, str]:
    names = {}
    for key, zh, en in COLUMNS:
        for label in (key, zh, en):
            names[label.strip().lower()] = key
    mapping = {}
    for index, cell in enumerate(header):
        key = names.get(str(cell or "").strip().lower())
        if key:
            mapping[index] = key
    missing = [zh for key, zh, _en in COLUMNS if key in REQUIRED and key not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column names of the template; missing: %(names)s")
            % {"names": "、".join(missing)}
        )
    return mapping


def read_rows(path: Path, filename: str, header_map=None):
    """Yield (row number as the user sees it, {key: raw value}) for every non-empty row.
    ``header_map(header) -> {column index: key}`` reads the header (the registration template's by default)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    else:
        raise ImportFileError(_("Upload the list as .xlsx or .csv (use the template)."))
    rows = _guarded(rows)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    header = [v.replace("\ufeff", "") if isinstance(v, str) else v for v in header]  # a mark inside a cell
    mapping = (header_map or _header_map)(header)
    count = 0
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS})
        yield number, {key: values[i] if i < len(values) else "" for i, key in mapping.items()}


def _guarded(rows):
    """Whatever breaks while reading (a damaged sheet, a CSV field over the limit) is a file error."""
    try:
        yield from rows
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine and csv raise many kinds
        raise ImportFileError(_("This file cannot be read to the end. Save it again from Excel or WPS.")) from exc


def _xlsx_rows(path):

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for every kind of damage
        raise ImportFileError(_("This .xlsx file cannot be read. Save it again from Excel or WPS.")) from exc
    yield from sheet.iter_rows()


def _csv_rows(path):
    text = decode_text(Path(path).read_bytes())  # UTF-8 or GB18030, a byte-order mark or none
    if text is None:
        raise ImportFileError(_("The .csv file must be in UTF-8 or GB18030."))
    yield from csv.reader(io.StringIO(text))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _choice(value, lookup: dict, field: str, errors: list, row: int, default: str = "") -> str:
    text = _text(value)
    if not text:
        return default
    code = lookup.get(text.lower())
    if code is None:
        errors.append(RowError(row, field, _("Unknown value: %(value)s") % {"value": text}))
        return default
    return code


@lru_cache(maxsize=16)
def _lookup(name: str) -> dict:
    """{code or label in either language, lower-cased: code} for one column; built once."""

    choices = {
        "sex": DOCUMENT_SEXES,  # a registrant's ID document says male or female
        "id_type": Registration.IdType.choices,
        "organs": Registration.Organ.choices,
        "tissues": Registration.Tissue.choices,
    }
    table = {}
    if name == "ethnic_group":
        for code, zh, en in ethnic.GROUPS:
            table.update({code: code, zh: code, zh[:-1]: code, en.lower(): code})
        return table
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for code, label in choices[name]:
                table[str(code).lower()] = code
                table[str(label).lower()] = code
    if name == "sex":
        table.update({"男性": "M", "女性": "F"})
    if name == "organs":
        table.update({"全部": "all", "全部器官": "all"})
    return table


def _list(value, name: str, errors: list, row: int) -> list:
    text = _text(value).translate(_SEPARATORS)
    result = []
    for part in [p for p in text.split(",") if p]:
        code = _choice(part, _lookup(name), name, errors, row)
        if code and code not in result:
            result.append(code)
    return result


def _bool(value, field: str, errors: list, row: int) -> bool:
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    errors.append(RowError(row, field, _("Write 是 or 否 (yes or no).")))
    return False


def _date(value, field: str, errors: list, row: int):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_day(_text(value))  # 1970-01-31, 1970/1/31, 1970.1.31, 1970年1月31日 …
    except BadDate:
        errors.append(RowError(row, field, str(DATE_FORMS)))
        return None


SIGNED_ON_FORMS = gettext_lazy(
    "Date signed: write the day the person signed as 2025-03-15 (2025/3/15 and Excel date cells are read too)."
)
SIGNED_ON_MISSING = gettext_lazy("Date signed: write the day the person signed the form.")
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's (1900) date serials
EXCEL_SERIALS = range(1, 2958466)  # 1900-01-01 .. 9999-12-31


def _signed_on(raw: dict, errors: list, row: int) -> date | None:
    """The day the person signed: required in every row when the list has the column; without the
    column, None (the day of the import, ``services.registration_from_data``)."""
    if "signed_on" not in raw:
        return None
    value = raw["signed_on"]
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # a date cell read as its serial
        if float(value).is_integer() and int(value) in EXCEL_SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(value))
        errors.append(RowError(row, "signed_on", str(SIGNED_ON_FORMS)))
        return None
    text = _text(value)
    if not text:
        errors.append(RowError(row, "signed_on", str(SIGNED_ON_MISSING)))
        return None
    try:
        return parse_day(text)
    except BadDate:
        errors.append(RowError(row, "signed_on", str(SIGNED_ON_FORMS)))
        return None


def _family(value) -> list:
    """ "张三（儿子），李四（女儿）" or "张三/儿子, 李四/女儿"."""
    members = []
    for part in [p for p in _text(value).replace("，", ",").replace("、", ",").split(",") if p.strip()]:
        part = part.replace("（", "(").replace("）", ")").replace("/", "(").rstrip(")")
        name, _sep, relationship = part.partition("(")
        members.append({"name": name.strip(), "relationship": relationship.strip()})
    return members


def parse_row(number: int, raw: dict) -> tuple[PersonData, list[RowError]]:
    errors: list[RowError] = []
    id_number = raw.get("id_number")
    if isinstance(id_number, float):  # Excel turned the number into a float and lost its last digits
        errors.append(RowError(number, "id_number", _("Store ID numbers as text in Excel, not as numbers.")))
    data = PersonData(
        name=_text(raw.get("name")),
        sex=_choice(raw.get("sex"), _lookup("sex"), "sex", errors, number),
        ethnic_group=_choice(raw.get("ethnic_group"), _lookup("ethnic_group"), "ethnic_group", errors, number),
        id_type=_choice(
            raw.get("id_type"), _lookup("id_type"), "id_type", errors, number, default=Registration.IdType.RESIDENT_ID
        ),
        id_number=_text(id_number),
        birth_date=_date(raw.get("birth_date"), "birth_date", errors, number),
        phone=_text(raw.get("phone")),
        region_code=_text(raw.get("region")),
        address=_text(raw.get("address")),
        organs=_list(raw.get("organs"), "organs", errors, number),
        tissues=_list(raw.get("tissues"), "tissues", errors, number),
        body=_bool(raw.get("body"), "body", errors, number),
        family_informed=_family(raw.get("family")),
        executor_name=_text(raw.get("executor_name")),
        executor_relationship=_text(raw.get("executor_relationship")),
        executor_phone=_text(raw.get("executor_phone")),
        signed_on=_signed_on(raw, errors, number),
    )
    return data, errors


# The template's second sheet: how to fill it in (in Chinese, like its column names).
TEMPLATE_NOTES = [
    gettext_lazy("One person per row; keep the column names of the first row."),
    gettext_lazy("ID number: keep the column as text, so that Excel keeps all 18 digits."),
    gettext_lazy(
        "Birth date (only for documents other than a resident ID card): write it as 1979-03-15; "
        "1979/3/15, 1979.3.15, 1979年3月15日 and Excel date cells are read too."
    ),
    gettext_lazy("Organs and tissues: several separated by 、 or commas. Family informed: 李四（配偶）."),
    gettext_lazy(
        "Date signed: the day the person signed the form, written as 2025-03-15 (2025/3/15 and Excel date cells"
        " are read too); the registration counts on that day in the figures, and the day of the import is kept"
        " beside it. It may not be in the future, nor before the person turned 18. When the list has this column,"
        " every row needs a date; a list without the column is counted on the day it is imported."
    ),
    gettext_lazy("Save as .xlsx, or as .csv in UTF-8 or GB18030 (with or without a byte-order mark)."),
]


NOTES_TITLE = gettext_lazy("Notes")


def template_xlsx() -> bytes:

    wb = Workbook()
    ws = wb.active
    ws.title = "registrations"
    ws.append([zh for _key, zh, _en in COLUMNS])
    ws.append(
        [
            "张三",
            "男",
            "汉族",
            "居民身份证",
            "（18位，设为文本格式）",
            "",
            "13800001111",
            "530102",
            "五华区某路1号",
            "全部",
            "眼角膜",
            "否",
            "李四（配偶）",
            "",
            "",
            "",
            "2025-03-15",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = 16
        for cell in column:
            cell.number_format = "@"  # text: Excel must not turn ID numbers into floats
    with translation.override("zh-hans"):
        notes = wb.create_sheet(str(NOTES_TITLE))
        for note in TEMPLATE_NOTES:
            notes.append([str(note)])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def error_report_xlsx(path: Path, filename: str, errors_by_row: dict[int, list[str]], target) -> None:
    """The original rows, in order, with an error column; written in openpyxl's write-only mode."""

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("errors")
    suffix = Path(filename).suffix.lower()
    rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    header = next(rows, [])

    ws.append([*(sheet_cell(_text(v)) for v in header), str(ERROR_COLUMN)])
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue
        ws.append([*(sheet_cell(_text(v)) for v in values), "；".join(errors_by_row.get(number, []))])
    wb.save(target)
