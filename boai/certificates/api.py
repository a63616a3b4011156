"""Certificate API: ``/api/v1/certificates/`` (list, retrieve, issue, void; consent forms are listed with
``kind=organ_consent``) and ``/api/v1/certificate-batches/`` (list, retrieve, record a batch of a kind).
Same services and scoping as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.cases.models import BodyCase, OrganCase

from . import selectors, services
from .models import STOCK_KINDS, Certificate, CertificateBatch, Kind, State
from .serializers import BatchSerializer, CertificateSerializer, IssueRequestSerializer, VoidRequestSerializer


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    body_names_records = True  # the case a certificate is for: 404 if not one the caller sees (core.schema)
    serializer_class = CertificateSerializer
    permission_classes = [require("certificates.view")]

    def get_queryset(self):
        p = self.request.query_params
        kind, state = p.get("kind", ""), p.get("state", "")
        if kind and kind not in Kind.values:
            raise ValidationError({"kind": [_("Unknown kind.")]})
        if state and state not in State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        return selectors.certificate_list(user=self.request.user, kind=kind, state=state)

    def get_object(self):
        return get_for_user(self.request.user, Certificate, self.kwargs["pk"])

    @extend_schema(request=IssueRequestSerializer, responses={201: CertificateSerializer})
    def create(self, request):
        """Issue a certificate. Organ: a blank your unit received (``serial``) for one of its closed cases,
        to a family member. Body (reception, honour): the province numbers it now for the case."""
        body = IssueRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["kind"] == Kind.ORGAN:
            case = get_for_user(request.user, OrganCase, data["case"])
            cert = services.organ_certificate_issue(
                actor=request.user,
                case=case,
                serial=data["serial"],
                recipient_name=data["recipient_name"],
                recipient_relationship=data["recipient_relationship"],
                issued_on=data["issued_on"],
            )
        else:
            case = get_for_user(request.user, BodyCase, data["case"])
            cert = services.body_certificate_issue(actor=request.user, case=case, kind=data["kind"])
        return Response(CertificateSerializer(cert).data, status=201)

    @extend_schema(request=VoidRequestSerializer, responses=CertificateSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void with a reason (the number is kept, never reused). A spoiled blank also needs a photo:
        send it as ``photo`` in a multipart body."""
        certificate = self.get_object()  # out of scope: 404 before anything else
        body = VoidRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cert = services.certificate_void(
            actor=request.user,
            certificate=certificate,
            reason=body.validated_data["reason"],
            photo=request.FILES.get("photo"),
            version=body.validated_data.get("version"),
        )
        return Response(CertificateSerializer(cert).data)


class BatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BatchSerializer
    permission_classes = [require("certificates.stock")]

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in STOCK_KINDS:
            raise ValidationError({"kind": [_("Unknown kind.")]})
        qs = CertificateBatch.objects.all()
        return qs.filter(kind=kind) if kind else qs

    def create(self, request, *args, **kwargs):
        """Record a batch of blank stock received by the province: organ certificates (``kind`` organ,
        the default) or organ donation consent forms (``organ_consent``)."""
        body = BatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = services.batch_receive(actor=request.user, **body.validated_data)
        return Response(BatchSerializer(batch).data, status=201)
