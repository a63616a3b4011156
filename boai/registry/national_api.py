"""REST endpoints of refusals made in life and of the national registry exchange: thin, calling the
same services and selectors as the pages."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user, visible
from boai.core.errors import Conflict, QueueUnavailable
from boai.core.queue import enqueue
from boai.core.ratelimits import ExportThrottle

from . import services
from .models import HeldEntry, ImportJob, Refusal
from .serializers import (
    HeldAnswerSerializer,
    ImportCommitSerializer,
    ImportJobSerializer,
    NationalExportSerializer,
    NationalImportSerializer,
    NationalNumbersSerializer,
    RefusalCreateSerializer,
    RefusalRevokeSerializer,
    RefusalSerializer,
)
from .tasks import import_check_task, import_commit_task
from .transfer_views import XLSX

PERM = "registry.national"


class RefusalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Refusals made in life (生前拒绝捐献), recorded by a branch from the person's signed statement;
    listed in the user's area. A later registration of the person revokes one (``revoked_by_registration``);
    a branch revokes one on the person's written statement (``revoke``)."""

    serializer_class = RefusalSerializer
    permission_classes = [require("records.view")]

    def get_permissions(self):
        if self.action in ("create", "revoke"):
            return [require("records.refusal")()]
        return super().get_permissions()

    def get_queryset(self):
        return visible(self.request.user, Refusal).select_related("revoked_by_registration")

    def get_object(self):
        return get_for_user(self.request.user, self.get_queryset(), self.kwargs["pk"])

    @extend_schema(request=RefusalCreateSerializer, responses={201: RefusalSerializer, 202: HeldAnswerSerializer})
    def create(self, request):
        """Record a refusal; an active registration of the person is withdrawn (the later statement wins).
        202 ``held_for_review`` (with a reference) when a record outside your area stands in the way:
        held for review at province level, as for a registration."""
        body = RefusalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        refusal = services.refusal_record(actor=request.user, region_code=data.pop("region"), **data)
        if isinstance(refusal, HeldEntry):  # the same shape as a held registration (services.held)
            return Response(
                {"code": services.HELD_CODE, "detail": str(services.HELD_MESSAGE), "reference": refusal.reference},
                status=202,
            )
        return Response(RefusalSerializer(refusal).data, status=201)

    @extend_schema(request=RefusalRevokeSerializer, responses=RefusalSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke on the person's written statement (its date and the reason); the refusal stays on record."""
        refusal = get_for_user(request.user, self.get_queryset(), pk, write=True)
        body = RefusalRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        refusal = services.refusal_revoke(refusal=refusal, actor=request.user, **body.validated_data)
        return Response(RefusalSerializer(refusal).data)


class NationalImportViewSet(viewsets.ReadOnlyModelViewSet):
    """Imports of the national registry's export: upload (the check runs in the background), follow the
    job (state, progress, row errors), then import all rows or the valid ones."""

    serializer_class = ImportJobSerializer
    permission_classes = [require(PERM)]

    def get_queryset(self):
        return visible(self.request.user, ImportJob).filter(kind=ImportJob.Kind.NATIONAL)

    def get_object(self):
        return get_for_user(self.request.user, self.get_queryset(), self.kwargs["pk"], write=True)

    @extend_schema(request={"multipart/form-data": NationalImportSerializer}, responses={201: ImportJobSerializer})
    def create(self, request):
        body = NationalImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.national_import_create(
            actor=request.user, upload=body.validated_data["file"], mapping=body.validated_data.get("mapping") or ""
        )
        if not enqueue(import_check_task, job.pk):  # kept, stalled at once, to be resumed (the job says why)
            services.import_job_not_queued(job_id=job.pk)
            job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=201)

    @extend_schema(request=ImportCommitSerializer, responses={202: ImportJobSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Import the checked file: ``all`` (only when no row has an error) or ``valid`` rows only."""
        job = self.get_object()
        body = ImportCommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        valid_only = body.validated_data["mode"] == "valid"
        if job.state != ImportJob.State.CHECKED or (job.error_rows and not valid_only):
            raise Conflict(_("This list cannot be imported that way: see the check below."), code="import_state")
        if not enqueue(import_commit_task, job.pk, request.user.pk, valid_only):
            raise QueueUnavailable()
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=202)

    @extend_schema(request=None, responses={200: ImportJobSerializer, 409: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Take a stalled job up again without a new upload: a stalled check runs again, a stalled import
        (which wrote nothing) goes back to ``checked``. 409 when the job is not stalled."""
        job = services.import_job_resume(job=self.get_object(), actor=request.user)
        if job.state == ImportJob.State.UPLOADED and not enqueue(import_check_task, job.pk):
            services.import_job_not_queued(job_id=job.pk)
            job.refresh_from_db()
        return Response(ImportJobSerializer(job).data)

    @extend_schema(request=None, responses={200: ImportJobSerializer, 409: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Give up a job waiting to be checked or imported, or stalled. 409 while it runs or once finished."""
        job = services.import_job_cancel(job=self.get_object(), actor=request.user)
        return Response(ImportJobSerializer(job).data)


class NationalExportView(generics.GenericAPIView):
    """The upload file for the national system (.xlsx): the paper and event registrations not yet sent,
    then marked sent. Needs a reason; audited."""

    permission_classes = [require(PERM)]
    serializer_class = NationalExportSerializer
    throttle_classes = [ExportThrottle]
    exports = True

    @extend_schema(responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY), 409: OpenApiTypes.OBJECT})
    def post(self, request):
        body = NationalExportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        content, _count = services.national_export(actor=request.user, reason=body.validated_data["reason"])
        response = HttpResponse(content, content_type=XLSX)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="national-upload-{stamp}.xlsx"'
        return response


class NationalNumbersView(generics.GenericAPIView):
    """Record the national numbers the national system returned (all rows, or none when one is wrong)."""

    permission_classes = [require(PERM)]
    serializer_class = NationalNumbersSerializer

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        body = NationalNumbersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        count = services.national_numbers_record(actor=request.user, upload=body.validated_data["file"])
        return Response({"recorded": count})
