import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.errors import DomainError
from boai.core.ratelimits import LookupThrottle, SearchThrottle
from boai.core.rest import exception_handler
from boai.core.services import idempotent
from boai.lib.context import current_context
from boai.lib.masking import mask_name

from . import notices, selectors, services
from .models import HeldEntry, Registration
from .serializers import (
    ConsentNoticeSerializer,
    DeceasedRequestSerializer,
    DetailSerializer,
    HeldAnswerSerializer,
    IdNumberSerializer,
    PhoneSerializer,
    PublicRegistrationSerializer,
    RegisteredSerializer,
    RegistrationAmendSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    SearchRequestSerializer,
    UnmaskedSerializer,
    UnmaskRequestSerializer,
    VerifySerializer,
    WithdrawRequestSerializer,
)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=Registration.Status.values),
        OpenApiParameter("region", str, pattern="^[0-9]{1,6}$", description="region code prefix"),
    ]
)
class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [require("records.view")]

    def get_permissions(self):
        if self.action in ("create", "partial_update", "withdraw", "deceased"):
            return [require("records.change")()]
        return super().get_permissions()

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer, 202: HeldAnswerSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=(
                    "the same key and body twice create one registration; a key is remembered for "
                    "BOAI_IDEMPOTENCY_RETENTION_DAYS days (7 by default), after that it is a new request"
                ),
            )
        ],
    )
    def create(self, request):
        """Enter a registration (paper form, event, import). 409 when the person already has an
        active registration in your area (``person_deceased`` when their registration there is marked
        deceased); 202 ``held_for_review`` (with a reference) when the entry
        was held for review at province level, for whatever reason; with an Idempotency-Key a retry
        gets the first answer."""
        body = RegistrationCreateSerializer(data=request.data)

        def perform():
            body.is_valid(raise_exception=True)
            reg = services.registration_create(
                actor=request.user,
                data=body.person_data(),
                channel=body.validated_data["channel"],
                consent_version=body.validated_data["consent_version"],
                ip=current_context().ip,
            )
            if isinstance(reg, HeldEntry):  # one shape for every hold, whatever its reason (services.held)
                return 202, {
                    "code": services.HELD_CODE,
                    "detail": str(services.HELD_MESSAGE),
                    "reference": reg.reference,
                }
            return 201, RegistrationSerializer(reg).data

        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            status, data = perform()
            return Response(data, status=status)
        digest = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()

        def perform_as_answer():
            try:
                status, data = perform()
            except (DomainError, ValidationError) as exc:
                response = exception_handler(exc, {"request": request})
                return response.status_code, response.data
            return status, json.loads(json.dumps(data, cls=DjangoJSONEncoder))

        status, data = idempotent(
            scope=f"registrations.create:{request.user.pk}", key=key, request_hash=digest, perform=perform_as_answer
        )
        return Response(data, status=status)

    @extend_schema(request=RegistrationAmendSerializer, responses=RegistrationSerializer)
    def partial_update(self, request, pk=None):
        """Change a registration. Send the ``version`` you read; if it is stale the answer is 409."""
        body = RegistrationAmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reg = get_for_user(request.user, Registration, pk, write=True)
        reg = services.registration_amend(
            registration=reg, actor=request.user, changes=body.changes(), version=body.validated_data["version"]
        )
        return Response(RegistrationSerializer(reg).data)

    @extend_schema(request=WithdrawRequestSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw on the person's request (a withdrawal, not a refusal)."""
        body = WithdrawRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reg = get_for_user(request.user, Registration, pk, write=True)
        reg = services.registration_withdraw(
            registration=reg, actor=request.user, reason=body.validated_data["reason"], ip=current_context().ip
        )
        return Response(RegistrationSerializer(reg).data)

    @extend_schema(request=DeceasedRequestSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def deceased(self, request, pk=None):
        """Mark the registrant deceased (the branch was told of the death). The wish stays the
        person's written intent if the registration was active. Send the ``version`` you read."""
        reg = get_for_user(request.user, Registration, pk, write=True)
        body = DeceasedRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reg = services.registration_mark_deceased(
            registration=reg,
            actor=request.user,
            died_on=body.validated_data["died_on"],
            version=body.validated_data["version"],
        )
        return Response(RegistrationSerializer(reg).data)

    def get_queryset(self):
        p = self.request.query_params
        qs = self._filtered(search="", status=p.get("status", ""), region=p.get("region", ""))
        return qs.prefetch_related("revoked_refusals")

    def _filtered(self, *, search, status, region):
        if status and status not in Registration.Status.values:
            raise ValidationError({"status": [_("Unknown status.")]})
        return selectors.registration_list(user=self.request.user, search=search, status=status, region=region.strip())

    @extend_schema(request=SearchRequestSerializer, responses=RegistrationSerializer(many=True), parameters=[])
    @action(detail=False, methods=["post"], throttle_classes=[SearchThrottle])
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


class PublicSmsCodeView(generics.GenericAPIView):
    """Send a registration code to a phone (rate-limited per phone and per address: 429)."""

    permission_classes = [AllowAny]
    serializer_class = PhoneSerializer
    rate_limited = True  # the schema lists 429 (core.schema)

    @extend_schema(responses={202: DetailSerializer})
    def post(self, request):
        body = PhoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.registration_send_code(phone=body.validated_data["phone"], ip=current_context().ip)
        return Response({"detail": _("We sent a 6-digit code to your phone. It is valid for 10 minutes.")}, status=202)


class PublicConsentNoticeView(generics.GenericAPIView):
    """The current notice on personal information, in Chinese and English, with its SHA-256, so that a
    kiosk or mini-program shows the very text and sends its ``version`` back as ``consent_version``.

    ``sha256`` is the hash every consent record keeps: SHA-256 of the UTF-8 bytes of ``text["zh-hans"]``,
    a newline, then ``text["en"]``; ``sha256_by_language`` hashes each text alone. Not rate-limited: it
    is the same for everyone and tells nothing about anyone."""

    permission_classes = [AllowAny]
    serializer_class = ConsentNoticeSerializer

    def get(self, request):
        return Response(ConsentNoticeSerializer(notices.document()).data)


class PublicRegistrationView(generics.GenericAPIView):
    """Register a wish: the consent version, the form and the SMS code, or nothing is stored."""

    permission_classes = [AllowAny]
    serializer_class = PublicRegistrationSerializer

    @extend_schema(
        responses={
            201: RegisteredSerializer,
            200: RegisteredSerializer,
            202: DetailSerializer,
        },
        description="201: registered. 200: this ID number was already registered with the very phone whose "
        "code was given: that registration (`created` false). 202: the neutral answer: nothing was added; "
        "if the ID number is registered with another phone, that phone was told (the same answer when the "
        "person recorded a refusal, the entry then being held for review by staff, or is registered as deceased).",
    )
    def post(self, request):
        body = PublicRegistrationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.registration_register_online(
            data=body.person_data(),
            code=body.validated_data["code"],
            consent_version=body.validated_data["consent_version"],
            ip=current_context().ip,
        )
        reg = result.registration
        if reg is None:
            return Response({"detail": str(services.RECEIVED_ANSWER)}, status=202)
        body = {**_verify_body(reg), "verify_code": reg.verify_code, "created": result.created}
        return Response(body, status=201 if result.created else 200)


class PublicLookupCodeView(generics.GenericAPIView):
    """Ask for a look-up code. The answer is the same whether or not the ID number is registered."""

    permission_classes = [AllowAny]
    serializer_class = IdNumberSerializer
    throttle_classes = [LookupThrottle]  # per address; the SMS limits (core.services.sms) too: 429

    @extend_schema(responses={202: DetailSerializer})
    def post(self, request):
        body = IdNumberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.lookup_send_code(id_number=body.validated_data["id_number"], ip=current_context().ip)
        return Response({"detail": str(services.LOOKUP_ANSWER)}, status=202)


def _verify_body(reg):
    return {
        "number": reg.number,
        "masked_name": mask_name(reg.name),
        "status": reg.status,
        "date": timezone.localtime(reg.registered_at).date().isoformat(),
    }


class PublicVerifyView(generics.GenericAPIView):
    """What an e-card's QR code shows: number, masked name, status, date."""

    permission_classes = [AllowAny]
    serializer_class = VerifySerializer
    throttle_classes = [LookupThrottle]  # per address: 429

    def get(self, request, code):
        reg = get_object_or_404(Registration, verify_code=code[:32], erased_at__isnull=True)
        return Response(_verify_body(reg))
