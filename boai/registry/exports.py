"""Streaming exports of the filtered list: CSV row by row, XLSX in openpyxl's write-only mode.
Neither loads the whole list into memory."""

import csv
import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _

from boai.lib import ethnic
from boai.lib.masking import mask_id_number, mask_phone, mask_text


def header() -> list[str]:
    return [
        _("Registration number"),
        _("Name"),
        _("Sex"),
        _("Ethnic group"),
        _("ID type"),
        _("ID number"),
        _("Birth date"),
        _("Phone"),
        _("County code"),
        _("County"),
        _("Address"),
        _("Donates"),
        _("Channel"),
        _("Campaign"),
        _("Status"),
        _("Registered"),
    ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def row(r, *, unmasked: bool) -> list:
    return [cell(v) for v in _row(r, unmasked=unmasked)]


def _row(r, *, unmasked: bool) -> list:
    return [
        r.number,
        r.name,
        r.get_sex_display(),
        ethnic.label(r.ethnic_group) if r.ethnic_group else "",
        r.get_id_type_display(),
        r.id_number if unmasked else mask_id_number(r.id_number),
        r.birth_date.isoformat(),
        r.phone if unmasked else mask_phone(r.phone),
        r.region_id,
        r.region.name,
        r.address if unmasked else mask_text(r.address),
        r.what_label(),
        r.get_channel_display(),
        r.campaign,
        r.get_status_display(),
        timezone.localtime(r.registered_at).strftime("%Y-%m-%d %H:%M"),
    ]


class _Echo:
    def write(self, value):
        return value


def csv_stream(queryset, *, unmasked: bool):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so that Excel opens the UTF-8 file in Chinese correctly
    yield writer.writerow(header())
    for r in queryset.iterator(chunk_size=2000):
        yield writer.writerow(row(r, unmasked=unmasked))


def xlsx_file(queryset, *, unmasked: bool):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Registrations"))
    ws.append(header())
    for r in queryset.iterator(chunk_size=2000):
        ws.append(row(r, unmasked=unmasked))
    target = tempfile.TemporaryFile()
    wb.save(target)
    target.seek(0)
    return target
