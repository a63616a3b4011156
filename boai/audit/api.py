from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from boai.accounts.permissions import require
from boai.lib.dates import BadDate, parse_day

from . import selectors
from .serializers import AuditEntrySerializer


def _date(params, name):
    try:
        return parse_day(params.get(name))
    except BadDate as exc:
        raise ValidationError({name: [exc.message]}) from exc


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
