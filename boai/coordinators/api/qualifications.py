"""Qualification API: ``/api/v1/coordinator-qualifications/`` — list (filters ``state``,
``expiring_within`` days, ``coordinator``; ``export/`` the filtered list as Excel), retrieve, record
(POST, multipart with ``scan``) and the steps ``suspend``, ``reinstate``, ``revoke``, ``renew``
(multipart: reason, document_number, scan; renew also valid_until). The same services and scoping as the
pages."""

from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.lib.masking import mask_id_number, mask_phone
from boai.lib.numbers import plain_number

from ..models import Coordinator, Qualification, QualificationEvent
from ..selectors import qualifications as selectors
from ..services import qualifications as services
from .exports import Exportable


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)

    class Meta:
        model = QualificationEvent
        fields = ["step", "from_state", "to_state", "reason", "document_number", "actor", "at"]


class QualificationSerializer(serializers.ModelSerializer):
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "coordinator",
            "coordinator_name",
            "state",
            "number",
            "issued_on",
            "issuing_body",
            "valid_until",
            "provincial_number",
            "registered_on",
            "reminded_on",
            "version",
            "events",
        ]
        read_only_fields = fields


class RecordSerializer(serializers.Serializer):
    coordinator = serializers.IntegerField()
    number = serializers.CharField(max_length=32)
    issued_on = serializers.DateField()
    issuing_body = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    provincial_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class StepSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    document_number = serializers.CharField(max_length=64)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class RenewSerializer(StepSerializer):
    valid_until = serializers.DateField()


@cache
def _with_scan(serializer):
    """``serializer``'s fields and, as a multipart body may carry, the scan of the paper record."""
    return type(
        f"{serializer.__name__.removesuffix('Serializer')}UploadSerializer",
        (serializer,),
        {"scan": serializers.FileField(required=False, help_text="the scan of the paper record (PDF, JPEG or PNG)")},
    )


def _bodies(serializer) -> dict:
    return {"application/json": serializer, "multipart/form-data": _with_scan(serializer)}


def _day(value) -> str:
    return value.isoformat() if value else ""


class QualificationViewSet(Exportable, viewsets.ReadOnlyModelViewSet):
    serializer_class = QualificationSerializer
    permission_classes = [require("coordinators.view")]
    export_name, export_stem, export_title = "qualification", "qualifications", gettext_lazy("Qualifications")

    def get_queryset(self):
        p = self.request.query_params
        state = p.get("state", "")
        if state and state not in Qualification.State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        within = p.get("expiring_within")
        if within not in (None, ""):
            try:
                within = int(within)
            except ValueError:
                raise ValidationError({"expiring_within": [_("Give a number of days.")]}) from None
            if not 0 <= within <= 3650:
                raise ValidationError({"expiring_within": [_("Give a number of days.")]})
        else:
            within = None
        qs = selectors.qualification_list(self.request.user, state=state, expiring_within=within)
        coordinator = p.get("coordinator", "")
        if coordinator:
            if plain_number(coordinator) is None:
                raise ValidationError({"coordinator": [_("A coordinator id.")]})
            qs = qs.filter(coordinator_id=plain_number(coordinator))
        return qs.prefetch_related("events__actor")

    def get_object(self):
        # scoped like the list; a record of another area is a 404 written to the audit log
        qs = Qualification.objects.select_related("coordinator", "coordinator__region")
        return get_for_user(self.request.user, qs.prefetch_related("events__actor"), self.kwargs["pk"])

    def export_rows(self, qs):
        header = [
            _("Coordinator"),
            _("ID number"),
            _("Phone"),
            _("Area"),
            _("Qualification number"),
            _("State"),
            _("Qualified on"),
            _("Issuing body"),
            _("Valid until"),
            _("Provincial registration number"),
        ]
        rows = (
            [
                q.coordinator.name,
                mask_id_number(q.coordinator.id_number),
                mask_phone(q.coordinator.phone),
                q.coordinator.region.name,
                q.number,
                q.get_state_display(),
                _day(q.issued_on),
                q.issuing_body,
                _day(q.valid_until),
                q.provincial_number,
            ]
            for q in qs.select_related("coordinator__region").prefetch_related(None)
        )
        return header, rows

    def _need_qualify(self, request):
        if not request.user.has_perm("coordinators.qualify"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied()

    @extend_schema(request=_bodies(RecordSerializer), responses={201: QualificationSerializer})
    def create(self, request):
        """Record a coordinator's national qualification (province); the scan as ``scan`` (multipart)."""
        self._need_qualify(request)
        body = RecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        coordinator = (
            visible(request.user, Coordinator, perm="coordinators.qualify").filter(pk=data.pop("coordinator")).first()
        )
        if coordinator is None:
            raise ValidationError({"coordinator": [_("No such coordinator in your area.")]})
        q = services.qualification_record(
            actor=request.user, coordinator=coordinator, scan=request.FILES.get("scan"), **data
        )
        return Response(QualificationSerializer(q).data, status=201)

    def _step(self, request, key, serializer):
        self._need_qualify(request)
        q = self.get_object()
        body = serializer(data=request.data)
        body.is_valid(raise_exception=True)
        q = services.STEPS[key](
            actor=request.user, qualification=q, scan=request.FILES.get("scan"), **body.validated_data
        )
        return Response(QualificationSerializer(Qualification.objects.get(pk=q.pk)).data)

    @extend_schema(request=_bodies(StepSerializer), responses=QualificationSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._step(request, "suspend", StepSerializer)

    @extend_schema(request=_bodies(StepSerializer), responses=QualificationSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._step(request, "reinstate", StepSerializer)

    @extend_schema(request=_bodies(StepSerializer), responses=QualificationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._step(request, "revoke", StepSerializer)

    @extend_schema(request=_bodies(RenewSerializer), responses=QualificationSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._step(request, "renew", RenewSerializer)


def register(router) -> None:
    router.register("coordinator-qualifications", QualificationViewSet, basename="coordinator-qualification")
