from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user

from . import selectors, services
from .models import Registration
from .serializers import RegistrationSerializer, SearchRequestSerializer, UnmaskedSerializer, UnmaskRequestSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Registration.Status.values),
        OpenApiParameter("region", str, description="region code prefix"),
    ]
)
class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [require("records.view")]

    def get_queryset(self):
        p = self.request.query_params
        return self._filtered(search="", status=p.get("status", ""), region=p.get("region", ""))

    def _filtered(self, *, search, status, region):
        if status and status not in Registration.Status.values:
            raise ValidationError({"status": [_("Unknown status.")]})
        return selectors.registration_list(user=self.request.user, search=search, status=status, region=region.strip())

    @extend_schema(request=SearchRequestSerializer, responses=RegistrationSerializer(many=True), parameters=[])
    @action(detail=False, methods=["post"])
    def search(self, request):
        """Search by registration number, name, or an exact ID number or phone. A POST, so that
        personal data never appears in a URL."""
        body = SearchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        qs = self._filtered(**body.validated_data)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        return get_for_user(self.request.user, Registration, self.kwargs["pk"])

    @extend_schema(request=UnmaskRequestSerializer, responses=UnmaskedSerializer)
    @action(detail=True, methods=["post"], permission_classes=[require("records.unmask")])
    def unmask(self, request, pk=None):
        """The full ID number, phone and address of one record; needs a reason and is audited."""
        body = UnmaskRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = self.get_object()
        values = services.registration_unmask(
            registration=registration, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(UnmaskedSerializer(values).data)
