"""Application API: ``/api/v1/coordinator-applications/`` — list (filters ``state``, ``level``,
``coordinator``, ``mine=1`` for those awaiting my decision; ``export/`` the filtered list as Excel),
retrieve, submit (multipart, ``documents`` several files), ``review`` (a level's decision) and
``withdraw``. Same services and scoping as the pages."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.review_api import DecisionSerializer as LevelDecisionSerializer
from boai.core.review_api import LevelsSerializer
from boai.core.review_api import ReviewSerializer as LevelReviewSerializer
from boai.lib.masking import mask_id_number, mask_phone
from boai.lib.numbers import plain_number

from ..models import Application, ApplicationReview, Coordinator, ReviewLevel
from ..selectors import applications as selectors
from ..services import applications as services
from .exports import Exportable


class ApplicationReviewSerializer(LevelReviewSerializer):
    class Meta(LevelReviewSerializer.Meta):
        model = ApplicationReview


class ApplicationSerializer(LevelsSerializer, serializers.ModelSerializer):
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)
    reviews = ApplicationReviewSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "coordinator",
            "coordinator_name",
            "state",
            "levels",
            "current_level",
            "motivation",
            "submitted_at",
            "decided_at",
            "reviews",
            "documents",
            "version",
        ]

    def get_documents(self, obj) -> list[dict]:
        return [
            {"id": d.pk, "content_type": d.content_type, "size": d.size, "sha256": d.sha256}
            for d in selectors.documents(obj)
        ]


class SubmitSerializer(serializers.Serializer):
    coordinator = serializers.IntegerField(min_value=1)
    motivation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ApplicationDecisionSerializer(LevelDecisionSerializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class ApplicationViewSet(Exportable, viewsets.ReadOnlyModelViewSet):
    body_names_records = True  # the coordinator applied for: 404 if not one the caller sees (core.schema)
    serializer_class = ApplicationSerializer
    permission_classes = [require("coordinators.view")]
    export_name, export_stem, export_title = "application", "coordinator-applications", gettext_lazy("Applications")

    def get_queryset(self):
        p = self.request.query_params
        state, level, coordinator = p.get("state", ""), p.get("level", ""), p.get("coordinator", "")
        if state and state not in Application.State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        if level and level not in ReviewLevel.values:
            raise ValidationError({"level": [_("Unknown review level.")]})
        if coordinator and plain_number(coordinator) is None:
            raise ValidationError({"coordinator": [_("Give a coordinator's id.")]})
        return selectors.application_list(
            user=self.request.user,
            state=state,
            level=level,
            mine=p.get("mine") in ("1", "true"),
            coordinator=int(coordinator) if coordinator else None,
        ).prefetch_related("reviews__reviewer", "reviews__organisation")

    def get_object(self):
        return get_for_user(self.request.user, Application.objects.select_related("coordinator"), self.kwargs["pk"])

    def export_rows(self, qs):
        header = [
            _("Coordinator"),
            _("ID number"),
            _("Phone"),
            _("Area"),
            _("State"),
            _("Current level"),
            _("Submitted"),
            _("Decided at"),
        ]

        def level(a):
            if a.state != Application.State.IN_REVIEW:
                return ""
            current = services.current_level(a)
            return str(ReviewLevel(current).label) if current in ReviewLevel.values else ""

        rows = (
            [
                a.coordinator.name,
                mask_id_number(a.coordinator.id_number),
                mask_phone(a.coordinator.phone),
                a.coordinator.region.name,
                a.get_state_display(),
                level(a),
                _moment(a.submitted_at),
                _moment(a.decided_at),
            ]
            for a in qs
        )
        return header, rows

    @extend_schema(request=SubmitSerializer, responses={201: ApplicationSerializer})
    def create(self, request):
        """Submit an application for a coordinator (an applicant, or someone rejected before): multipart,
        with one or several scans as ``documents`` (PDF, JPEG or PNG). Needs coordinators.manage."""
        if not request.user.has_perm("coordinators.manage"):
            self.permission_denied(request)
        data = {key: request.data.get(key) for key in ("coordinator", "motivation") if key in request.data}
        body = SubmitSerializer(data={**data, "documents": request.FILES.getlist("documents")})
        body.is_valid(raise_exception=True)
        values = body.validated_data
        coordinator = get_for_user(request.user, Coordinator, values["coordinator"])
        application = services.application_submit(
            actor=request.user,
            coordinator=coordinator,
            motivation=values["motivation"],
            documents=values["documents"],
        )
        return Response(ApplicationSerializer(application).data, status=201)

    @extend_schema(request=ApplicationDecisionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The decision of the level now reviewing: ``approved``, or ``rejected`` with a ``reason``. Only
        the Red Cross branch of that level whose area covers the applicant's decides."""
        application = self.get_object()  # out of scope: 404 before anything else
        if not request.user.has_perm("coordinators.review"):
            self.permission_denied(request)
        body = ApplicationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_review(actor=request.user, application=application, **body.validated_data)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(request=VersionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an application before any level has decided it. Needs coordinators.manage."""
        application = self.get_object()
        if not request.user.has_perm("coordinators.manage"):
            self.permission_denied(request)
        body = VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_withdraw(
            actor=request.user, application=application, version=body.validated_data["version"]
        )
        return Response(ApplicationSerializer(application).data)


def register(router) -> None:
    router.register("coordinator-applications", ApplicationViewSet, basename="coordinator-application")
