"""``export/`` for every list of the coordinators API: a GET with the list's own filters answers the
filtered, scoped list as Excel (coordinators.export; audited through ``services.exports``). A viewset
names the audit's noun (``export_name``) and says its columns (``export_rows``); personal data only
masked (names are fine, ID numbers and phones through ``boai.lib.masking``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from boai.core.ratelimits import ExportThrottle
from boai.core.responses import XLSX, table_download

from ..services.exports import list_exported


class Exportable:
    export_name = ""  # the audit's noun: coordinators.<export_name>.exported
    export_stem = ""  # the file's name; coordinator-<export_name>s unless said
    export_title = ""  # the sheet's title; export_name unless said

    def export_rows(self, qs):  # pragma: no cover - each viewset says
        raise NotImplementedError

    @extend_schema(responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=False, methods=["get"], throttle_classes=[ExportThrottle])
    def export(self, request):
        """The filtered list as Excel (coordinators.export; audited)."""
        if not request.user.has_perm("coordinators.export"):
            raise PermissionDenied()
        qs = self.filter_queryset(self.get_queryset())
        list_exported(actor=request.user, what=self.export_name, filters=dict(request.query_params.items()))
        header, rows = self.export_rows(qs)
        return table_download(
            stem=self.export_stem or f"coordinator-{self.export_name}s",
            title=str(self.export_title or self.export_name),
            header=header,
            rows=rows,
        )
