"""API of the media area: ``/api/v1/media-reports/`` (list, retrieve, create, update with the
``version`` read). Scoped like the pages; the same services write. The list filters by ``year``,
``kind``, ``event`` and ``campaign``."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.core.rest import VersionedUpdates, body_into, check_perm, number_param, version_sent, year_param
from boai.core.schema import RECORD_ID, YEAR

from ..models import MediaReport
from ..selectors import media as selectors
from ..services import media as services


class OutreachMediaReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    event_title = serializers.CharField(source="event.title", read_only=True, default="")
    campaign_title = serializers.CharField(source="campaign.title", read_only=True, default="")

    class Meta:
        model = MediaReport
        fields = [
            "id",
            "outlet",
            "title",
            "url",
            "published_on",
            "kind",
            "national",
            "reach",
            "event",
            "event_title",
            "campaign",
            "campaign_title",
            "region",
            "region_name",
            "version",
            "created_at",
            "updated_at",
        ]


class OutreachMediaReportBody(serializers.Serializer):
    """What a client sends; the service checks every rule (link, date, scope, event and campaign)."""

    outlet = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    url = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    kind = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    national = serializers.BooleanField(required=False, default=False)
    reach = serializers.IntegerField(required=False, allow_null=True, default=None)
    event = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    campaign = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", YEAR, description="published in this year, such as 2025"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=MediaReport.Kind.values),
            OpenApiParameter("event", RECORD_ID, description="linked to this publicity event"),
            OpenApiParameter("campaign", RECORD_ID, description="linked to this campaign"),
        ]
    ),
    create=extend_schema(request=OutreachMediaReportBody, responses={201: OutreachMediaReportSerializer}),
    update=extend_schema(request=OutreachMediaReportBody, responses=OutreachMediaReportSerializer),
    partial_update=extend_schema(request=OutreachMediaReportBody, responses=OutreachMediaReportSerializer),
)
class MediaReportViewSet(VersionedUpdates, viewsets.ModelViewSet):
    serializer_class = OutreachMediaReportSerializer
    permission_classes = [require("outreach.view")]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        request = self.request
        kind = request.query_params.get("kind", "")
        if kind and kind not in MediaReport.Kind.values:
            raise ValidationError({"kind": [_("Choose the kind of coverage from the list.")]})
        return selectors.media_list(
            user=request.user,
            year=year_param(request),
            kind=kind,
            event=number_param(request, "event", _("Give a record's number.")),
            campaign=number_param(request, "campaign", _("Give a record's number.")),
        )

    def get_object(self):
        qs = MediaReport.objects.select_related("region", "event", "campaign")
        return get_for_user(self.request.user, qs, self.kwargs["pk"])

    def _respond(self, pk, status=200):
        return Response(self.serializer_class(self.get_queryset().get(pk=pk)).data, status=status)

    def create(self, request):
        check_perm(request, "outreach.manage")
        data = body_into(OutreachMediaReportBody, request, services.MediaData())
        report = services.media_create(actor=request.user, data=data)
        return self._respond(report.pk, status=201)

    def _update(self, request, *, partial):
        check_perm(request, "outreach.manage")
        report = get_for_user(
            request.user, visible(request.user, MediaReport, perm="outreach.manage"), self.kwargs["pk"]
        )
        version = version_sent(request)
        data = body_into(OutreachMediaReportBody, request, services.MediaData.of(report), partial=partial)
        report = services.media_update(report=report, actor=request.user, data=data, version=version)
        return self._respond(report.pk)


def register(router) -> None:
    router.register("media-reports", MediaReportViewSet, basename="media-report")
