"""API of publicity events and partners: ``/api/v1/events/`` (list with the filters ``year``, ``kind``,
``campaign`` and ``region`` (a code or its beginning), retrieve, create, update with the ``version``
read) and ``/api/v1/partners/`` (list; create for managers). Scoped like the pages; the same services
write (photos are added on the pages)."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.core.rest import (
    VersionedUpdates,
    body_into,
    check_perm,
    number_param,
    region_filter,
    version_sent,
    year_param,
)

from ..models import Event, EventKind, Mode, Partner
from ..services import events as services


class OutreachPartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "active", "version"]


class OutreachEventSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    campaign_title = serializers.CharField(source="campaign.title", read_only=True, default="")
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "campaign",
            "campaign_title",
            "starts_on",
            "ends_on",
            "place",
            "region",
            "region_name",
            "organisers",
            "partners",
            "mode",
            "audience",
            "volunteers",
            "report",
            "version",
            "created_at",
            "updated_at",
        ]


class OutreachEventBody(serializers.Serializer):
    """What a client sends; the service checks every rule (scope, dates, campaign, partners)."""

    title = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    kind = serializers.CharField(max_length=24, allow_blank=True, required=False, default="")
    campaign = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    organisers = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, default=Mode.OFFLINE)
    audience = serializers.IntegerField(required=False, allow_null=True, default=None)
    volunteers = serializers.IntegerField(required=False, allow_null=True, default=None)
    report = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


class OutreachPartnerBody(serializers.Serializer):
    name = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    kind = serializers.ChoiceField(choices=Partner.Kind.choices, required=False, default=Partner.Kind.GOVERNMENT)
    active = serializers.BooleanField(required=False, default=True)


def _filtered(request, qs):
    kind = request.query_params.get("kind", "")
    if kind:
        if kind not in EventKind.values:
            raise ValidationError({"kind": [_("Choose the kind of event from the list.")]})
        qs = qs.filter(kind=kind)
    year = year_param(request)
    if year is not None:
        qs = qs.filter(starts_on__year=year)
    campaign = number_param(request, "campaign", _("A campaign's id, a whole number."))
    if campaign is not None:
        qs = qs.filter(campaign_id=campaign)
    return region_filter(request, qs)


class EventViewSet(VersionedUpdates, viewsets.ModelViewSet):
    serializer_class = OutreachEventSerializer
    permission_classes = [require("outreach.view")]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        qs = visible(self.request.user, Event, perm="outreach.view").select_related("region", "campaign")
        return _filtered(self.request, qs.prefetch_related("partners")).order_by("-starts_on", "-id")

    def get_object(self):
        qs = Event.objects.select_related("region", "campaign").prefetch_related("partners")
        return get_for_user(self.request.user, qs, self.kwargs["pk"])

    def _answer(self, pk, status=200):
        obj = Event.objects.select_related("region", "campaign").prefetch_related("partners").get(pk=pk)
        return Response(self.serializer_class(obj).data, status=status)

    def create(self, request):
        check_perm(request, "outreach.manage")
        data = body_into(OutreachEventBody, request, services.EventData())
        event = services.event_create(actor=request.user, data=data)
        return self._answer(event.pk, status=201)

    def _update(self, request, *, partial):
        check_perm(request, "outreach.manage")
        event = get_for_user(request.user, visible(request.user, Event, perm="outreach.manage"), self.kwargs["pk"])
        version = version_sent(request)
        data = body_into(OutreachEventBody, request, services.EventData.of(event), partial=partial)
        event = services.event_update(event=event, actor=request.user, data=data, version=version)
        return self._answer(event.pk)


class PartnerViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The shared list of partners (nothing personal: every outreach viewer reads all of it)."""

    serializer_class = OutreachPartnerSerializer
    permission_classes = [require("outreach.view")]
    queryset = Partner.objects.order_by("name")

    def create(self, request):
        check_perm(request, "outreach.manage")
        body = OutreachPartnerBody(data=request.data)
        body.is_valid(raise_exception=True)
        partner = services.partner_create(actor=request.user, data=services.PartnerData(**body.validated_data))
        return Response(self.serializer_class(partner).data, status=201)


def register(router) -> None:
    router.register("events", EventViewSet, basename="outreach-event")
    router.register("partners", PartnerViewSet, basename="outreach-partner")
