"""The national registry exchange's file layout (中国人体器官捐献志愿登记管理系统, run by the Red Cross
Society of China): the column mapping (a tested default of Chinese headers, overridable per import or
by the ``BOAI_NATIONAL_COLUMNS`` setting), reading a row of the national export, and the rows of the
upload file sent back. No database writes here: see ``services.national``."""

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from boai.core.errors import DomainError, InvalidInput
from boai.core.people import OrganWish, Tissue, clean_id_number, name_problem
from boai.lib.sheets import cell as sheet_cell

from .parsing import ImportFileError, RowError, _choice, _date, _lookup, _text

# field: (default header, English header). The national export's columns, as the province receives them.
COLUMNS = {
    "national_number": ("登记编号", "National registration number"),
    "name": ("姓名", "Name"),
    "id_type": ("证件类型", "ID type"),
    "id_number": ("证件号码", "ID number"),
    "what": ("捐献意愿", "Donates"),
    "registered_on": ("登记日期", "Registration date"),
    "status": ("登记状态", "Status"),
}
# what each field means, in the reader's language (the page's table of the default mapping)
MEANINGS = {
    "national_number": gettext_lazy("National registration number"),
    "name": gettext_lazy("Name"),
    "id_type": gettext_lazy("ID type"),
    "id_number": gettext_lazy("ID number"),
    "what": gettext_lazy("What the person donates: organs (or single organs), tissues, body"),
    "registered_on": gettext_lazy("Date of the national registration"),
    "status": gettext_lazy("Status: 有效 (active) or 已撤销 (withdrawn)"),
}
REQUIRED = ("national_number", "name", "id_number", "what")
LOCAL_NUMBER = ("local_number", "本地登记编号", "Local registration number")  # the upload file's own key

# the words of the national export's "what" column, and the codes they stand for
WHAT_WORDS = {
    "器官": ("organ", OrganWish.ALL),
    "全部器官": ("organ", OrganWish.ALL),
    "所有器官": ("organ", OrganWish.ALL),
    "多器官": ("organ", OrganWish.ALL),
    "肾": ("organ", "kidney"),
    "肾脏": ("organ", "kidney"),
    "肝": ("organ", "liver"),
    "肝脏": ("organ", "liver"),
    "心": ("organ", "heart"),
    "心脏": ("organ", "heart"),
    "肺": ("organ", "lung"),
    "肺脏": ("organ", "lung"),
    "胰腺": ("organ", "pancreas"),
    "小肠": ("organ", "small_intestine"),
    "组织": ("tissue", "all"),
    "眼角膜": ("tissue", Tissue.CORNEA),
    "角膜": ("tissue", Tissue.CORNEA),
    "其他组织": ("tissue", Tissue.OTHER),
    "遗体": ("body", True),
    "遗体捐献": ("body", True),
}
STATUS_WORDS = {
    "active": "active",
    "有效": "active",
    "正常": "active",
    "已登记": "active",
    "withdrawn": "withdrawn",
    "撤销": "withdrawn",
    "已撤销": "withdrawn",
    "撤回": "withdrawn",
    "已撤回": "withdrawn",
    "注销": "withdrawn",
    "已注销": "withdrawn",
}
_SEPARATORS = re.compile(r"[,，、；;/\s]+")


def default_mapping() -> dict[str, str]:
    """{field: header}: the built-in Chinese headers, overridden by the BOAI_NATIONAL_COLUMNS setting."""
    mapping = {key: zh for key, (zh, _en) in COLUMNS.items()}
    mapping.update(getattr(settings, "BOAI_NATIONAL_COLUMNS", None) or {})
    return mapping


def clean_mapping(text) -> dict[str, str]:
    """A mapping given for one import (JSON text or a dict, {field: header}) over the default: only the
    fields it names change. Raises InvalidInput naming what is wrong."""
    if not text:
        return {}
    if isinstance(text, str):
        try:
            text = json.loads(text)
        except (ValueError, RecursionError) as exc:  # deep nesting: the decoder's recursion gives up
            raise InvalidInput(
                _('Write the column mapping as JSON, e.g. {"national_number": "编号"}.'), field="mapping"
            ) from exc
    if not isinstance(text, dict) or not all(isinstance(v, str) and v.strip() for v in text.values()):
        raise InvalidInput(_('Write the column mapping as JSON, e.g. {"national_number": "编号"}.'), field="mapping")
    unknown = set(text) - set(COLUMNS) - {LOCAL_NUMBER[0]}
    if unknown:
        raise InvalidInput(
            _("Unknown fields in the column mapping: %(names)s (known: %(known)s)")
            % {"names": ", ".join(sorted(unknown)), "known": ", ".join(COLUMNS)},
            field="mapping",
        )
    return {k: v.strip() for k, v in text.items()}


def header_map(mapping: dict[str, str], required=REQUIRED):
    """The ``parsing.read_rows`` header reader for this mapping: headers matched ignoring case and
    spaces; the field's own name and English header are accepted as well."""

    def read(header: list) -> dict[int, str]:
        names = {}
        for key, header_text in mapping.items():
            english = COLUMNS[key][1] if key in COLUMNS else LOCAL_NUMBER[2]
            for label in (key, english, header_text):
                names[re.sub(r"\s+", "", label).lower()] = key
        found = {}
        for index, value in enumerate(header):
            key = names.get(re.sub(r"\s+", "", str(value or "")).lower())
            if key and key not in found.values():
                found[index] = key
        missing = [mapping[k] for k in required if k not in found.values()]
        if missing:
            raise ImportFileError(
                _("The first row must hold the columns of the national export; missing: %(names)s")
                % {"names": "、".join(missing)}
            )
        return found

    return read


@dataclass
class NationalRow:
    national_number: str = ""
    name: str = ""
    id_type: str = "resident_id"
    id_number: str = ""
    organs: list = field(default_factory=list)
    tissues: list = field(default_factory=list)
    body: bool = False
    registered_on: date | None = None
    status: str = "active"


def _what(value, errors: list, row: int) -> tuple[list, list, bool]:
    organs, tissues, body = [], [], False
    words = [w for w in _SEPARATORS.split(_text(value)) if w]
    for word in words:
        kind, code = WHAT_WORDS.get(word, WHAT_WORDS.get(word.lower(), (None, None)))
        if kind is None:
            code = _lookup("organs").get(word.lower()) or _lookup("tissues").get(word.lower())
            kind = "organ" if code in OrganWish.values else "tissue" if code in Tissue.values else None
        if kind == "organ" and code not in organs:
            organs.append(code)
        elif kind == "tissue":
            tissues += [t for t in (Tissue.values if code == "all" else [code]) if t not in tissues]
        elif kind == "body":
            body = True
        else:
            errors.append(RowError(row, "what", _("Unknown value: %(value)s") % {"value": word}))
    if OrganWish.ALL in organs:
        organs = [OrganWish.ALL]
    if not words:
        errors.append(RowError(row, "what", _("Say what the person donates (organs, tissues, body).")))
    return organs, tissues, body


def parse_row(number: int, raw: dict, *, today: date) -> tuple[NationalRow, list[RowError]]:
    """One row of the national export, checked: every problem of the row, with its row number."""
    errors: list[RowError] = []
    data = NationalRow(national_number=_text(raw.get("national_number")).upper(), name=_text(raw.get("name")))
    if not re.fullmatch(r"[A-Z0-9-]{4,32}", data.national_number):
        errors.append(
            RowError(number, "national_number", _("The national registration number is missing or malformed."))
        )
    if not data.name or len(data.name) > 64:
        errors.append(RowError(number, "name", _("Enter the name as on the ID document (at most 64 characters).")))
    elif problem := name_problem(data.name):
        errors.append(RowError(number, "name", problem))
    data.id_type = _choice(raw.get("id_type"), _id_types(), "id_type", errors, number, default="resident_id")
    if isinstance(raw.get("id_number"), float):
        errors.append(RowError(number, "id_number", _("Store ID numbers as text in Excel, not as numbers.")))
    else:
        try:
            data.id_number = clean_id_number(data.id_type, _text(raw.get("id_number")), today=today)
        except DomainError as exc:
            errors.append(RowError(number, "id_number", str(exc.message)))
    data.organs, data.tissues, data.body = _what(raw.get("what"), errors, number)
    data.registered_on = _date(raw.get("registered_on"), "registered_on", errors, number)
    if data.registered_on and data.registered_on > today:
        errors.append(RowError(number, "registered_on", _("The date cannot be in the future.")))
    status = _text(raw.get("status"))
    data.status = STATUS_WORDS.get(status.lower(), "") if status else "active"
    if not data.status:
        errors.append(RowError(number, "status", _("Unknown value: %(value)s") % {"value": status}))
    return data, errors


def _id_types() -> dict:
    return {**_lookup("id_type"), "身份证": "resident_id", "二代身份证": "resident_id"}


# --- the upload file sent back to the national registry -----------------------------------------

EXPORT_EXTRA = [("sex", "性别"), ("birth_date", "出生日期"), ("phone", "手机号"), ("county", "县（市、区）代码")]


def export_header(mapping: dict[str, str]) -> list[str]:
    """The national upload layout: the local number first (the returned file maps it to the national
    number), the mapped columns, then what the national system asks for a new registration."""
    return [LOCAL_NUMBER[1], *(mapping[key] for key in COLUMNS), *(zh for _key, zh in EXPORT_EXTRA)]


def what_words(organs: list, tissues: list, body: bool) -> str:
    names = {code: word for word, (_kind, code) in WHAT_WORDS.items() if isinstance(code, str)}
    names.update({OrganWish.ALL: "全部器官", "kidney": "肾脏", "liver": "肝脏", "heart": "心脏", "lung": "肺脏"})
    names.update({Tissue.CORNEA: "眼角膜", Tissue.OTHER: "其他组织"})
    words = [names.get(o, o) for o in organs] + [names.get(t, t) for t in tissues]
    return "、".join(words + (["遗体"] if body else []))


def export_row(reg) -> list:
    id_types = {code: label for code, label in _zh_id_types()}
    return [
        reg.number,
        reg.national_number,
        reg.name,
        id_types.get(reg.id_type, reg.id_type),
        reg.id_number,
        what_words(reg.organs, reg.tissues, reg.body),
        reg.registered_at.date().isoformat(),
        "有效",
        "男" if reg.sex == "M" else "女" if reg.sex == "F" else "",
        reg.birth_date.isoformat(),
        reg.phone,
        reg.region_id,
    ]


def _zh_id_types():
    from django.utils import translation

    from boai.core.people import IdType

    with translation.override("zh-hans"):
        return [(code, str(label)) for code, label in IdType.choices]


def export_xlsx(mapping: dict[str, str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "national-upload"
    ws.append(export_header(mapping))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        ws.append([sheet_cell(v) for v in values])
    for column in ws.columns:
        for c in column:
            c.number_format = "@"  # text: Excel must not turn ID numbers into floats
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
