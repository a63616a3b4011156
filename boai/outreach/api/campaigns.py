"""API of campaigns: ``/api/v1/campaigns/`` (list, retrieve with the registrations attributed, create,
update with the ``version`` read) and ``/api/v1/campaigns/<id>/registrations/`` (the three breakdowns).
Scoped like the pages (a branch also reads the campaigns of the areas above it); the same services
write; counts are of registrants in the caller's area."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.interface import parse_version
from boai.core.rest import body_into, check_perm, version_sent

from ..models import Campaign
from ..selectors import campaigns as selectors
from ..services import campaigns as services


class CampaignsCampaignSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    events = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "code",
            "description",
            "starts_on",
            "ends_on",
            "region",
            "region_name",
            "target_registrations",
            "partners",
            "events",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_events(self, campaign) -> list[int]:
        """The campaign's events that you see (held in your area)."""
        user = self.context["request"].user
        return sorted(selectors.events_of(campaign, user=user).values_list("pk", flat=True))


class CampaignsDetailSerializer(CampaignsCampaignSerializer):
    registrations = serializers.SerializerMethodField(help_text="registrations attributed, in your area")

    class Meta(CampaignsCampaignSerializer.Meta):
        fields = [*CampaignsCampaignSerializer.Meta.fields, "registrations"]

    def get_registrations(self, campaign) -> int:
        user = self.context["request"].user
        return selectors.attributed(user=user, codes=selectors.codes_of(campaign)).count()


class CampaignsBodySerializer(serializers.Serializer):
    """What a client sends; the service checks every rule (code, scope, dates, partners)."""

    title = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    code = serializers.CharField(max_length=24, allow_blank=True, required=False, default="")
    description = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    target_registrations = serializers.IntegerField(required=False, allow_null=True, default=None)
    partners = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, max_length=50)
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


class CampaignsDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    registrations = serializers.IntegerField()


class CampaignsPrefectureSerializer(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    registrations = serializers.IntegerField()


class CampaignsChannelSerializer(serializers.Serializer):
    channel = serializers.CharField()
    label = serializers.CharField()
    registrations = serializers.IntegerField()


class CampaignsBreakdownSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    per_day = CampaignsDaySerializer(many=True, help_text="Beijing calendar days")
    per_prefecture = CampaignsPrefectureSerializer(many=True)
    per_channel = CampaignsChannelSerializer(many=True)


class CampaignViewSet(viewsets.ModelViewSet):
    permission_classes = [require("outreach.view")]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        return CampaignsCampaignSerializer if self.action == "list" else CampaignsDetailSerializer

    def get_queryset(self):
        qs = selectors.campaigns_for(self.request.user).select_related("region").prefetch_related("partners")
        return qs.order_by("-starts_on", "-id")

    def get_object(self):
        campaign = selectors.campaign_for(self.request.user, self.kwargs["pk"]) if self._pk() else None
        if campaign is None:
            get_for_user(self.request.user, Campaign, self.kwargs["pk"])  # out of scope: audited, then 404
            raise Http404
        return campaign

    def _pk(self) -> int | None:
        return parse_version(str(self.kwargs.get("pk", "")))

    def _body(self, request, *, partial=False, data=None):
        check_perm(request, "outreach.manage")
        return body_into(CampaignsBodySerializer, request, data or services.CampaignData(), partial=partial)

    @extend_schema(request=CampaignsBodySerializer, responses={201: CampaignsDetailSerializer})
    def create(self, request):
        data = self._body(request)
        campaign = services.campaign_create(actor=request.user, data=data)
        return Response(CampaignsDetailSerializer(campaign, context={"request": request}).data, status=201)

    @extend_schema(request=CampaignsBodySerializer, responses=CampaignsDetailSerializer)
    def update(self, request, pk=None):
        """Replace the campaign's fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=False)

    @extend_schema(request=CampaignsBodySerializer, responses=CampaignsDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change some fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        check_perm(request, "outreach.manage")
        self.get_object()  # 404 when not seen at all
        campaign = selectors.campaign_to_change(request.user, self._pk())
        if campaign is None:
            raise PermissionDenied()  # seen (an area above the user's), not theirs to change
        version = version_sent(request)
        data = self._body(request, partial=partial, data=services.CampaignData.of(campaign))
        campaign = services.campaign_update(campaign=campaign, actor=request.user, data=data, version=version)
        return Response(CampaignsDetailSerializer(campaign, context={"request": request}).data)

    @extend_schema(responses=CampaignsBreakdownSerializer)
    @action(detail=True, methods=["get"])
    def registrations(self, request, pk=None):
        """The registrations attributed to the campaign (its code and its events'), in your area: the
        total, per Beijing day, per prefecture and per channel."""
        data = selectors.breakdowns(user=request.user, campaign=self.get_object())
        return Response(
            CampaignsBreakdownSerializer(
                {
                    "total": data["total"],
                    "per_day": [{"day": d, "registrations": n} for d, n in data["days"]],
                    "per_prefecture": [
                        {"region": r.code, "name": r.name, "registrations": n} for r, n in data["prefectures"]
                    ],
                    "per_channel": [
                        {"channel": v, "label": label, "registrations": n} for v, label, n in data["channels"]
                    ],
                }
            ).data
        )


def register(router) -> None:
    router.register("campaigns", CampaignViewSet, basename="campaign")
