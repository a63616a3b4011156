"""API of memorial sites and events: ``/api/v1/memorial-sites/`` and ``/api/v1/memorial-events/`` (list,
retrieve, create, update with the ``version`` read). Scoped like the pages; the same services write
(photos are added on the pages). Lists filter by ``kind``/``occasion``, ``year`` and ``region`` (a code
prefix)."""

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.core.rest import VersionedUpdates, body_into, check_perm, region_filter, version_sent, year_param

from ..models import MemorialEvent, MemorialSite, Offer
from ..services import sites as services


class MemorialSiteSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = MemorialSite
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "region_name",
            "address",
            "opened_on",
            "offers",
            "description",
            "organisation",
            "manager",
            "active",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_organisation(self, site) -> str:
        return site.organisation.code if site.organisation_id else ""


class MemorialEventSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True, default="")

    class Meta:
        model = MemorialEvent
        fields = [
            "id",
            "title",
            "occasion",
            "held_on",
            "site",
            "site_name",
            "region",
            "region_name",
            "organisers",
            "participants",
            "families_invited",
            "families_attended",
            "report",
            "version",
            "created_at",
            "updated_at",
        ]


class SiteBody(serializers.Serializer):
    """What a client sends; the service checks every rule (scope, dates, organisation)."""

    name = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    kind = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    address = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    opened_on = serializers.DateField(required=False, allow_null=True, default=None)
    offers = serializers.ListField(
        child=serializers.ChoiceField(choices=Offer.choices), required=False, default=list, max_length=10
    )
    description = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    organisation = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    manager = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    active = serializers.BooleanField(required=False, default=True)
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


class EventBody(serializers.Serializer):
    title = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    occasion = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    site = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    organisers = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    participants = serializers.IntegerField(required=False, allow_null=True, default=None)
    families_invited = serializers.IntegerField(required=False, allow_null=True, default=None)
    families_attended = serializers.IntegerField(required=False, allow_null=True, default=None)
    report = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


def _filtered(request, qs, *, choice: str, values, refusal, dated: str):
    """A list's filters from the query string: ``choice`` (one of ``values``, else 400 with ``refusal``),
    ``year`` (of the ``dated`` field) and ``region`` (a code or its beginning)."""
    value = request.query_params.get(choice, "")
    if value:
        if value not in values:
            raise ValidationError({choice: [refusal]})
        qs = qs.filter(**{choice: value})
    year = year_param(request)
    if year:
        qs = qs.filter(**{f"{dated}__year": year})
    return region_filter(request, qs)


class _Writes(VersionedUpdates):
    """create, update (PUT: every field) and partial_update (PATCH: some) through the services."""

    body_class: type
    data_class: type
    instance_name: str

    def create(self, request):
        check_perm(request, "memorials.manage")
        obj = self.create_with(request.user, body_into(self.body_class, request, self.data_class()))
        return Response(self.serializer_class(self.get_object_by_pk(obj.pk)).data, status=201)

    def _update(self, request, *, partial):
        check_perm(request, "memorials.manage")
        obj = get_for_user(
            request.user, visible(request.user, self.queryset_model, perm="memorials.manage"), self.kwargs["pk"]
        )
        version = version_sent(request)
        data = body_into(self.body_class, request, self.data_class.of(obj), partial=partial)
        obj = self.update_with(request.user, obj, data, version)
        return Response(self.serializer_class(self.get_object_by_pk(obj.pk)).data)

    def get_object_by_pk(self, pk):
        return self.get_queryset().get(pk=pk)


class SiteViewSet(_Writes, viewsets.ModelViewSet):
    serializer_class = MemorialSiteSerializer
    permission_classes = [require("memorials.view")]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    body_class = SiteBody
    data_class = services.SiteData
    queryset_model = MemorialSite

    def get_queryset(self):
        qs = visible(self.request.user, MemorialSite, perm="memorials.view").select_related("region", "organisation")
        qs = _filtered(
            self.request,
            qs,
            choice="kind",
            values=MemorialSite.Kind.values,
            refusal=_("Choose the kind of site from the list."),
            dated="opened_on",
        )
        return qs.order_by("-opened_on", "name", "id")

    def get_object(self):
        qs = MemorialSite.objects.select_related("region", "organisation")
        return get_for_user(self.request.user, qs, self.kwargs["pk"])

    def create_with(self, actor, data):
        return services.site_create(actor=actor, data=data)

    def update_with(self, actor, obj, data, version):
        return services.site_update(site=obj, actor=actor, data=data, version=version)


class EventViewSet(_Writes, viewsets.ModelViewSet):
    serializer_class = MemorialEventSerializer
    permission_classes = [require("memorials.view")]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    body_class = EventBody
    data_class = services.EventData
    queryset_model = MemorialEvent

    def get_queryset(self):
        qs = visible(self.request.user, MemorialEvent, perm="memorials.view").select_related("region", "site")
        qs = _filtered(
            self.request,
            qs,
            choice="occasion",
            values=MemorialEvent.Occasion.values,
            refusal=_("Choose the occasion from the list."),
            dated="held_on",
        )
        return qs.order_by("-held_on", "-id")

    def get_object(self):
        qs = MemorialEvent.objects.select_related("region", "site")
        return get_for_user(self.request.user, qs, self.kwargs["pk"])

    def create_with(self, actor, data):
        return services.event_create(actor=actor, data=data)

    def update_with(self, actor, obj, data, version):
        return services.event_update(event=obj, actor=actor, data=data, version=version)


def register(router) -> None:
    router.register("memorial-sites", SiteViewSet, basename="memorial-site")
    router.register("memorial-events", EventViewSet, basename="memorial-event")
