"""The columns of a registration list export (``core.responses.table_download`` streams them)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from boai.lib import ethnic
from boai.lib.masking import mask_birth_date, mask_id_number, mask_phone, mask_text


def header(*, unmasked: bool) -> list[str]:
    """A masked list shows the birth year only: beside a masked ID number the date would complete it."""
    return [
        _("Registration number"),
        _("Name"),
        _("Sex"),
        _("Ethnic group"),
        _("ID type"),
        _("ID number"),
        _("Birth date") if unmasked else _("Birth year"),
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


def row_values(r, *, unmasked: bool) -> list:
    return [
        r.number,
        r.name,
        r.get_sex_display(),
        ethnic.label(r.ethnic_group) if r.ethnic_group else "",
        r.get_id_type_display(),
        r.id_number if unmasked else mask_id_number(r.id_number),
        r.birth_date.isoformat() if unmasked else mask_birth_date(r.birth_date),
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
