"""Streaming exports of the filtered list: CSV row by row, XLSX in openpyxl's write-only mode.
Neither loads the whole list into memory."""

from django.utils import timezone
from django.utils.translation import gettext as _

from boai.lib import ethnic, sheets
from boai.lib.masking import mask_id_number, mask_phone, mask_text
from boai.lib.sheets import cell


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


def row(r, *, unmasked: bool) -> list:
    return [cell(v) for v in _row(r, unmasked=unmasked)]  # cell: see boai.lib.sheets


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


def csv_stream(queryset, *, unmasked: bool):
    return sheets.csv_stream(header(), (_row(r, unmasked=unmasked) for r in queryset.iterator(chunk_size=2000)))


def xlsx_file(queryset, *, unmasked: bool):
    rows = (_row(r, unmasked=unmasked) for r in queryset.iterator(chunk_size=2000))
    return sheets.xlsx_file(_("Registrations"), header(), rows)
