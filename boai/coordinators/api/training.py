"""Training API: ``/api/v1/trainings/`` (classes: list, retrieve, create), ``/api/v1/training-enrolments/``
(list, create, ``result``) and ``/api/v1/training-attendance/`` (list, create; a second record for the
same enrolment and session corrects it). Filters: ``year``, ``kind``, ``class``; each list's ``export/``
answers it as Excel (masked, audited: ``api/exports``). Same services and scoping as the pages: classes
are seen by every holder of coordinators.view, enrolments and attendance through the coordinator's area."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.lib.masking import mask_id_number
from boai.lib.numbers import plain_number

from ..models import Attendance, ClassSession, Coordinator, Course, Enrolment, TrainingClass, TrainingKind
from ..selectors import training as selectors
from ..services import training as services
from .exports import Exportable


class ClassSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    region = serializers.CharField(source="region_id", read_only=True)
    kind = serializers.ChoiceField(choices=TrainingKind.choices, required=False)
    sessions = serializers.SerializerMethodField()

    class Meta:
        model = TrainingClass
        fields = [
            "id",
            "course",
            "title",
            "kind",
            "kind_label",
            "organiser",
            "region",
            "starts_on",
            "ends_on",
            "hours",
            "place",
            "capacity",
            "sessions",
            "version",
        ]
        read_only_fields = ["version"]

    def get_sessions(self, obj) -> list[dict]:
        return [{"id": s.pk, "day": s.day, "topic": s.topic, "hours": str(s.hours)} for s in obj.sessions.all()]


class EnrolmentSerializer(serializers.ModelSerializer):
    training_class = serializers.PrimaryKeyRelatedField(source="training_class_id", read_only=True)
    coordinator_name = serializers.CharField(source="coordinator.name", read_only=True)
    nominated_by = serializers.CharField(source="nominated_by.code", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "training_class",
            "coordinator",
            "coordinator_name",
            "nominated_by",
            "nominated_at",
            "result",
            "result_label",
            "score",
            "certificate_number",
        ]
        read_only_fields = fields


class EnrolRequest(serializers.Serializer):
    training_class = serializers.IntegerField()
    coordinator = serializers.IntegerField()


class ResultRequest(serializers.Serializer):
    result = serializers.ChoiceField(choices=[r.value for r in services.RESULTS])
    score = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)


class AttendanceSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "enrolment", "session", "status", "status_label", "recorded_at"]
        read_only_fields = fields


class AttendanceRequest(serializers.Serializer):
    enrolment = serializers.IntegerField()
    session = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


def _int_param(params, name):
    value = params.get(name, "")
    if not value:
        return None
    number = plain_number(value, digits=9)
    if number is None:
        raise ValidationError({name: [_("Enter a whole number.")]})
    return number


def _kind_param(params):
    kind = params.get("kind", "")
    if kind and kind not in TrainingKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    return kind


def _day(value) -> str:
    return value.isoformat() if value else ""


class ClassViewSet(Exportable, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ClassSerializer
    permission_classes = [require("coordinators.view")]
    export_name, export_stem, export_title = "class", "training-classes", gettext_lazy("Training classes")

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.class_list(user=self.request.user, year=_int_param(p, "year"), kind=_kind_param(p))
        return qs.prefetch_related("sessions")

    def get_object(self):
        return selectors.class_get(self.request.user, self.kwargs["pk"])

    def export_rows(self, qs):
        header = [
            _("Title"),
            _("Kind"),
            _("Organiser"),
            _("Run by"),
            _("First day"),
            _("Last day"),
            _("Hours"),
            _("Place"),
            _("Capacity"),
            _("Enrolled"),
        ]
        rows = (
            [
                c.title,
                c.get_kind_display(),
                c.organiser,
                c.region.name,
                _day(c.starts_on),
                _day(c.ends_on),
                str(c.hours),
                c.place,
                c.capacity,
                c.enrolled,
            ]
            for c in qs
        )
        return header, rows

    def create(self, request, *args, **kwargs):
        """A class of a course (coordinators.training): national and provincial by the provincial
        branch, a prefecture class by a prefecture branch for its own prefecture."""
        if not request.user.has_perm("coordinators.training"):
            self.permission_denied(request)
        body = ClassSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        training_class = services.class_create(actor=request.user, **data)
        return Response(ClassSerializer(training_class).data, status=201)


class EnrolmentViewSet(Exportable, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    body_names_records = True  # the coordinator enrolled: 404 if not one the caller sees (core.schema)
    serializer_class = EnrolmentSerializer
    permission_classes = [require("coordinators.view")]
    export_name, export_stem, export_title = "enrolment", "training-enrolments", gettext_lazy("Training enrolments")

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.enrolments(self.request.user).select_related("coordinator", "nominated_by", "training_class")
        year, kind, klass = _int_param(p, "year"), _kind_param(p), _int_param(p, "class")
        if year:
            qs = qs.filter(training_class__starts_on__year=year)
        if kind:
            qs = qs.filter(training_class__kind=kind)
        if klass:
            qs = qs.filter(training_class_id=klass)
        return qs

    def get_object(self):
        return selectors.enrolment_get(self.request.user, self.kwargs["pk"])

    def export_rows(self, qs):
        header = [
            _("Class"),
            _("First day"),
            _("Coordinator"),
            _("ID number"),
            _("Nominated by"),
            _("Nominated at"),
            _("Result"),
            _("Score"),
            _("Certificate number"),
        ]
        rows = (
            [
                e.training_class.title,
                _day(e.training_class.starts_on),
                e.coordinator.name,
                mask_id_number(e.coordinator.id_number),
                e.nominated_by.name,
                timezone.localtime(e.nominated_at).date().isoformat(),
                e.get_result_display(),
                "" if e.score is None else str(e.score),
                e.certificate_number,
            ]
            for e in qs.order_by("-training_class__starts_on", "training_class_id", "coordinator__name", "id")
        )
        return header, rows

    @extend_schema(request=EnrolRequest, responses={201: EnrolmentSerializer})
    def create(self, request, *args, **kwargs):
        """A branch nominates a coordinator of its area to a class (coordinators.manage)."""
        if not request.user.has_perm("coordinators.manage"):
            self.permission_denied(request)
        body = EnrolRequest(data=request.data)
        body.is_valid(raise_exception=True)
        training_class = selectors.class_get(request.user, body.validated_data["training_class"])
        coordinator = get_for_user(request.user, Coordinator, body.validated_data["coordinator"])
        enrolment = services.enrol(actor=request.user, training_class=training_class, coordinator=coordinator)
        return Response(EnrolmentSerializer(enrolment).data, status=201)

    @extend_schema(request=ResultRequest, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request, pk=None):
        """Passed, failed or absent, with a score 0–100 (coordinators.training, the branch running the class)."""
        if not request.user.has_perm("coordinators.training"):
            self.permission_denied(request)
        enrolment = self.get_object()
        body = ResultRequest(data=request.data)
        body.is_valid(raise_exception=True)
        enrolment = services.result_record(actor=request.user, enrolment=enrolment, **body.validated_data)
        return Response(EnrolmentSerializer(enrolment).data)


class AttendanceViewSet(Exportable, mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    body_names_records = True  # the enrolment: 404 if not one the caller sees (core.schema)
    serializer_class = AttendanceSerializer
    permission_classes = [require("coordinators.view")]
    export_name, export_stem, export_title = "attendance", "training-attendance", gettext_lazy("Training attendance")

    def get_queryset(self):
        p = self.request.query_params
        qs = selectors.attendance(self.request.user)
        year, kind, klass = _int_param(p, "year"), _kind_param(p), _int_param(p, "class")
        if year:
            qs = qs.filter(session__day__year=year)
        if kind:
            qs = qs.filter(session__training_class__kind=kind)
        if klass:
            qs = qs.filter(session__training_class_id=klass)
        return qs.order_by("session__day", "id")

    def export_rows(self, qs):
        header = [_("Class"), _("Day"), _("Topic"), _("Coordinator"), _("ID number"), _("Attendance")]
        qs = qs.select_related("session__training_class", "enrolment__coordinator")
        rows = (
            [
                a.session.training_class.title,
                _day(a.session.day),
                a.session.topic,
                a.enrolment.coordinator.name,
                mask_id_number(a.enrolment.coordinator.id_number),
                a.get_status_display(),
            ]
            for a in qs
        )
        return header, rows

    @extend_schema(request=AttendanceRequest, responses={201: AttendanceSerializer})
    def create(self, request, *args, **kwargs):
        """Record (or correct) one enrolment's attendance at one session (coordinators.training)."""
        if not request.user.has_perm("coordinators.training"):
            self.permission_denied(request)
        body = AttendanceRequest(data=request.data)
        body.is_valid(raise_exception=True)
        enrolment = selectors.enrolment_get(request.user, body.validated_data["enrolment"])
        session = ClassSession.objects.filter(pk=body.validated_data["session"]).first()
        if session is None:
            raise ValidationError({"session": [_("No such session.")]})
        attendance = services.attendance_record(
            actor=request.user, enrolment=enrolment, session=session, status=body.validated_data["status"]
        )
        return Response(AttendanceSerializer(attendance).data, status=201)


def register(router) -> None:
    router.register("trainings", ClassViewSet, basename="training")
    router.register("training-enrolments", EnrolmentViewSet, basename="training-enrolment")
    router.register("training-attendance", AttendanceViewSet, basename="training-attendance")
