"""API of practice: ``/api/v1/coordinator-assessments/``, ``/api/v1/coordinator-awards/`` and
``/api/v1/on-call-shifts/`` (list, retrieve, create; ``export/`` as Excel). Lists filter by ``year``,
``coordinator`` and ``region`` (a code prefix), and are scoped like the pages; the same services write."""

from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.core.rest import number_param, year_param
from boai.lib.numbers import plain_number

from ..models import Assessment, Award, Coordinator, OnCallShift
from ..services import practice as services
from .exports import Exportable


class AssessmentSerializer(serializers.ModelSerializer):
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)
    assessor = serializers.CharField(source="assessor.username", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "coordinator",
            "coordinator_name",
            "year",
            "score",
            "rating",
            "assessor",
            "comment",
            "assessed_on",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]
        validators: list = []  # once per coordinator and year: the service refuses, with its message


class AwardSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", required=False, allow_blank=True)
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "kind",
            "title",
            "year",
            "coordinator",
            "name",
            "organisation",
            "region",
            "document_number",
            "awarded_on",
            "awarded_by",
            "created_at",
        ]
        read_only_fields = ["region", "created_at"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}
        validators: list = []  # once per kind, year and person: the service refuses, with its message


class ShiftSerializer(serializers.ModelSerializer):
    prefecture = serializers.CharField(source="region_id")
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)

    class Meta:
        model = OnCallShift
        fields = ["id", "prefecture", "coordinator", "coordinator_name", "starts_on", "ends_on", "note", "created_at"]
        read_only_fields = ["created_at"]


def _filters(request, qs, *, region_path: str, coordinator_path: str = "coordinator_id", year_path: str | None):
    year = year_param(request)
    if year is not None:
        if year_path:
            qs = qs.filter(**{year_path: year})
        else:  # shifts: those overlapping the year
            qs = qs.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    coordinator = number_param(request, "coordinator", _("A coordinator id."))
    if coordinator is not None:
        qs = qs.filter(**{coordinator_path: coordinator})
    region = request.query_params.get("region", "")
    if region:
        if plain_number(region, digits=6) is None:
            raise ValidationError({"region": [_("A region code or its beginning, such as 5301.")]})
        qs = qs.filter(**{f"{region_path}__startswith": region})
    return qs


def _coordinator(request, pk):
    return get_for_user(request.user, Coordinator, pk)  # out of scope: 404, audited


class AssessmentViewSet(Exportable, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [require("coordinators.view")]
    export_name = "assessment"

    def get_queryset(self):
        qs = visible(self.request.user, Assessment, perm="coordinators.view").select_related("coordinator", "assessor")
        qs = _filters(self.request, qs, region_path="coordinator__region__code", year_path="year")
        return qs.order_by("-year", "coordinator__name", "id")

    def get_object(self):
        qs = Assessment.objects.select_related("coordinator", "assessor")
        return get_for_user(self.request.user, qs, self.kwargs["pk"])

    def export_rows(self, qs):
        header = [_("Year"), _("Coordinator"), _("Score"), _("Rating"), _("Assessor"), _("Assessed on")]
        rows = (
            [a.year, a.coordinator.name, str(a.score), a.get_rating_display(), a.assessor.username, str(a.assessed_on)]
            for a in qs
        )
        return header, rows

    def create(self, request):
        """Record a yearly assessment (coordinators.assess): once per coordinator and year."""
        if not request.user.has_perm("coordinators.assess"):
            raise PermissionDenied()
        body = AssessmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        assessment = services.assessment_record(
            actor=request.user,
            coordinator=_coordinator(request, d["coordinator"].pk),
            year=d["year"],
            score=d["score"],
            rating=d["rating"],
            assessed_on=d["assessed_on"],
            comment=d.get("comment", ""),
        )
        return Response(AssessmentSerializer(assessment).data, status=201)


class AwardViewSet(Exportable, viewsets.ReadOnlyModelViewSet):
    serializer_class = AwardSerializer
    permission_classes = [require("coordinators.view")]
    export_name = "award"

    def get_queryset(self):
        qs = visible(self.request.user, Award, perm="coordinators.view").select_related("organisation")
        qs = _filters(self.request, qs, region_path="region__code", year_path="year")
        return qs.order_by("-year", "kind", "name", "id")

    def get_object(self):
        return get_for_user(self.request.user, Award.objects.select_related("organisation"), self.kwargs["pk"])

    def export_rows(self, qs):
        header = [_("Year"), _("Award"), _("Name"), _("Organisation"), _("Document number"), _("Awarded on")]
        rows = (
            [a.year, a.get_kind_display(), a.name, a.organisation.name, a.document_number, str(a.awarded_on)]
            for a in qs
        )
        return header, rows

    def create(self, request):
        """Record an award (coordinators.award): to a coordinator (``coordinator``) or to hospital staff
        (``name`` and ``organisation`` code). Once per kind, year and person."""
        if not request.user.has_perm("coordinators.award"):
            raise PermissionDenied()
        body = AwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        coordinator = d.get("coordinator")
        award = services.award_record(
            actor=request.user,
            kind=d["kind"],
            title=d.get("title", ""),
            year=d["year"],
            coordinator=_coordinator(request, coordinator.pk) if coordinator else None,
            name=d.get("name", ""),
            organisation=d.get("organisation", {}).get("code", ""),
            document_number=d["document_number"],
            awarded_on=d["awarded_on"],
            awarded_by=d["awarded_by"],
        )
        return Response(AwardSerializer(award).data, status=201)


class ShiftViewSet(Exportable, viewsets.ReadOnlyModelViewSet):
    serializer_class = ShiftSerializer
    permission_classes = [require("coordinators.view")]
    export_name = "shift"

    def get_queryset(self):
        qs = visible(self.request.user, OnCallShift, perm="coordinators.view").select_related("coordinator")
        qs = _filters(self.request, qs, region_path="region__code", year_path=None)
        return qs.order_by("-starts_on", "id")

    def get_object(self):
        return get_for_user(self.request.user, OnCallShift.objects.select_related("coordinator"), self.kwargs["pk"])

    def export_rows(self, qs):
        header = [_("Prefecture"), _("Coordinator"), _("From"), _("To"), _("Note")]
        rows = ([s.region_id, s.coordinator.name, str(s.starts_on), str(s.ends_on), s.note] for s in qs)
        return header, rows

    def create(self, request):
        """Put a coordinator on call (coordinators.manage): qualified, area covering the prefecture,
        no overlapping shift."""
        if not request.user.has_perm("coordinators.manage"):
            raise PermissionDenied()
        body = ShiftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        shift = services.shift_add(
            actor=request.user,
            prefecture=d["region_id"],
            coordinator=_coordinator(request, d["coordinator"].pk),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            note=d.get("note", ""),
        )
        return Response(ShiftSerializer(shift).data, status=201)


def register(router) -> None:
    router.register("coordinator-assessments", AssessmentViewSet, basename="coordinator-assessment")
    router.register("coordinator-awards", AwardViewSet, basename="coordinator-award")
    router.register("on-call-shifts", ShiftViewSet, basename="on-call-shift")
