"""API of online fundraising: ``/api/v1/fundraising-projects/`` (list, retrieve with its days, create,
update with the ``version`` read; scoped like the pages) and ``POST .../<id>/results/`` (the platform's
export as a multipart upload, answered with the import's summary and its row errors). The same
services write. Amounts: ``*_fen`` integers out; ``target`` in yuan as text in ("200,000.00")."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.interface import parse_version
from boai.core.schema import YEAR

from ..models import FundraisingDay, FundraisingProject
from ..selectors import fundraising as selectors
from ..services import fundraising as services

VIEW, WRITE = "outreach.view", "outreach.fundraising"


class FundraisingDaySerializer(serializers.ModelSerializer):
    imported = serializers.SerializerMethodField()

    class Meta:
        model = FundraisingDay
        fields = ["day", "amount_fen", "donors", "imported"]

    def get_imported(self, day) -> bool:
        return day.source_id is not None


class FundraisingProjectSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    raised_fen = serializers.IntegerField(read_only=True)
    donors = serializers.IntegerField(source="donor_count", read_only=True)

    class Meta:
        model = FundraisingProject
        fields = [
            "id",
            "title",
            "purpose",
            "care_kind",
            "target_fen",
            "platform",
            "starts_on",
            "ends_on",
            "region",
            "region_name",
            "raised_fen",
            "donors",
            "version",
            "created_at",
            "updated_at",
        ]


class FundraisingProjectDetailSerializer(FundraisingProjectSerializer):
    days = FundraisingDaySerializer(many=True, read_only=True)

    class Meta(FundraisingProjectSerializer.Meta):
        fields = [*FundraisingProjectSerializer.Meta.fields, "days"]


class FundraisingProjectBodySerializer(serializers.Serializer):
    """What a client sends; the service checks every rule (scope, dates, amount)."""

    title = serializers.CharField(max_length=128, allow_blank=True, required=False, default="")
    purpose = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    care_kind = serializers.CharField(max_length=16, allow_blank=True, required=False, default="")
    target = serializers.CharField(
        max_length=30, allow_blank=True, required=False, default="", help_text="yuan, such as 200000 or 200,000.00"
    )
    platform = serializers.CharField(max_length=64, allow_blank=True, required=False, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    region = serializers.CharField(max_length=6, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")


class FundraisingUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the platform's export, .xlsx or .csv (UTF-8 or GBK)")
    replace = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true to replace the days already recorded; without it, an import that would replace any is 409",
    )


class FundraisingReplacedDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    old_amount_fen = serializers.IntegerField()
    old_donors = serializers.IntegerField()
    amount_fen = serializers.IntegerField()
    donors = serializers.IntegerField()


class FundraisingDaysRecordedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    days = FundraisingReplacedDaySerializer(many=True, help_text="the recorded days the file would replace")


class FundraisingRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class FundraisingImportSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_saved = serializers.IntegerField()
    replaced = serializers.IntegerField()
    replaced_days = FundraisingReplacedDaySerializer(many=True, help_text="the recorded days replaced")
    errors = FundraisingRowErrorSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("year", YEAR, description="projects whose first day is in this year")]
    )
)
class FundraisingProjectViewSet(viewsets.ModelViewSet):
    permission_classes = [require(VIEW)]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return FundraisingProjectDetailSerializer
        if self.action == "results":
            return FundraisingUploadSerializer
        return FundraisingProjectSerializer

    def get_queryset(self):
        qs = selectors.project_list(user=self.request.user)
        year = self.request.query_params.get("year", "")
        if year:
            if not (len(year) == 4 and year.isascii() and year.isdecimal()):
                raise ValidationError({"year": [_("A year such as 2025.")]})
            qs = qs.filter(starts_on__year=int(year))
        return qs

    def get_object(self):
        obj = get_for_user(self.request.user, FundraisingProject, self.kwargs["pk"])  # out of scope: 404, audited
        return selectors.project_list(user=self.request.user).prefetch_related("days").get(pk=obj.pk)

    def _check_write(self, request):
        if not request.user.has_perm(WRITE):
            raise PermissionDenied()

    def _writable(self, request):
        self._check_write(request)
        return get_for_user(request.user, FundraisingProject, self.kwargs["pk"], write=True)

    def _answer(self, pk, status=200):
        obj = selectors.project_list(user=self.request.user).prefetch_related("days").get(pk=pk)
        return Response(FundraisingProjectDetailSerializer(obj).data, status=status)

    @extend_schema(request=FundraisingProjectBodySerializer, responses={201: FundraisingProjectDetailSerializer})
    def create(self, request):
        self._check_write(request)
        body = FundraisingProjectBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = {k: v for k, v in body.validated_data.items() if k in services.ProjectData.FIELDS}
        project = services.project_create(actor=request.user, data=services.ProjectData(**d))
        return self._answer(project.pk, status=201)

    @extend_schema(request=FundraisingProjectBodySerializer, responses={200: FundraisingProjectDetailSerializer})
    def update(self, request, pk=None):
        """Replace the project's fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=False)

    @extend_schema(request=FundraisingProjectBodySerializer, responses={200: FundraisingProjectDetailSerializer})
    def partial_update(self, request, pk=None):
        """Change some fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        project = self._writable(request)
        version = parse_version(request.data.get("version") if hasattr(request.data, "get") else None)
        if version is None:
            raise ValidationError({"version": [_("Send the version you read.")]})
        body = FundraisingProjectBodySerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = services.ProjectData.of(project)
        for name, value in body.validated_data.items():
            if name in services.ProjectData.FIELDS:
                setattr(data, name, value)
        services.project_update(project=project, actor=request.user, data=data, version=version)
        return self._answer(project.pk)

    @extend_schema(
        request=FundraisingUploadSerializer,
        responses={201: FundraisingImportSummarySerializer, 409: FundraisingDaysRecordedSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def results(self, request, pk=None):
        """Import the platform's export (multipart ``file``): the good rows are saved; a day already
        recorded is replaced only with ``replace=true``, else the answer is 409 listing the days the file
        would replace (nothing saved). The answer is the import's summary with the days replaced and
        every row error."""
        project = self._writable(request)
        body = FundraisingUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > services.MAX_UPLOAD:
            raise ValidationError({"file": [_("The file is too large (at most 5 MB).")]})
        content, replace = upload.read(), body.validated_data["replace"]
        if not replace:
            check = services.results_check(project=project, actor=request.user, filename=upload.name, content=content)
            if check.replacing:
                answer = {
                    "detail": _("Results are already recorded for %(days)s. Send replace=true to replace them.")
                    % {"days": "、".join(r.day.isoformat() for r in check.replacing)},
                    "code": "days_recorded",
                    "days": [vars(r) for r in check.replacing],
                }
                return Response(FundraisingDaysRecordedSerializer(answer).data, status=409)
        imp = services.results_import(
            project=project, actor=request.user, filename=upload.name, content=content, replace=replace
        )
        summary = {
            "id": imp.pk,
            "filename": imp.filename,
            "rows_total": imp.rows_total,
            "rows_saved": imp.rows_saved,
            "replaced": imp.replaced,
            "replaced_days": [vars(r) for r in imp.replaced_days],
            "errors": imp.errors,
        }
        return Response(FundraisingImportSummarySerializer(summary).data, status=201)


def register(router) -> None:
    router.register("fundraising-projects", FundraisingProjectViewSet, basename="fundraising-project")
