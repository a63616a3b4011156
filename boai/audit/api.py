from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from boai.accounts.permissions import require

from . import selectors
from .serializers import AuditEntrySerializer


def _date(params, name):
    raw = params.get(name, "")
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: [_("Use a date like 2026-01-31.")]})
    return value


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for auditors only (system and security administrators cannot read it)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [require("audit.view")]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.entry_list(
            action=p.get("action", ""),
            actor=p.get("actor", ""),
            object_type=p.get("object_type", ""),
            object_id=p.get("object_id", ""),
            date_from=_date(p, "date_from"),
            date_to=_date(p, "date_to"),
        )
