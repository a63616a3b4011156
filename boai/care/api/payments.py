"""Payments API: ``/api/v1/payments/`` — list (filters ``state``, ``kind``, ``year``, ``county``,
``mine=1`` awaiting my decision, ``payable=1`` approved for me to pay), retrieve, create (= apply;
multipart or JSON, ``amount_fen`` an integer of fen, or ``amount`` in yuan as text), and the actions
``decide``, ``withdraw``, ``pay`` and ``reverse`` through the same workflow and services as the pages.
Amounts in fen; scoped like the rest."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.interface import parse_version
from boai.core.review_api import DecisionSerializer as LevelDecisionSerializer
from boai.core.review_api import LevelsSerializer
from boai.core.review_api import ReviewSerializer as LevelReviewSerializer
from boai.lib.money import MAX_FEN, AmountError, parse_yuan
from boai.lib.numbers import plain_number

from ..models import Family, LedgerEntry, Payment, PaymentKind, PaymentReview
from ..selectors import payments as selectors
from ..services import payments as services


class PaymentReviewSerializer(LevelReviewSerializer):
    class Meta(LevelReviewSerializer.Meta):
        model = PaymentReview


class LedgerSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "amount_fen", "kind", "prefecture", "paid_on", "method", "voucher", "reverses", "row_hash"]


class PaymentSerializer(LevelsSerializer, serializers.ModelSerializer):
    family_reference = serializers.CharField(source="family.reference", read_only=True)
    reviews = PaymentReviewSerializer(many=True, read_only=True)
    ledger = LedgerSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "family",
            "family_reference",
            "kind",
            "amount_fen",
            "reason",
            "region",
            "year",
            "state",
            "levels",
            "current_level",
            "applied_at",
            "decided_at",
            "version",
            "reviews",
            "ledger",
            "documents",
        ]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        if request is None or not selectors.sees_reason(request.user):
            data["reason"] = _("(Seen only by those who handle and review payments.)")
        return data

    def get_documents(self, obj) -> list[dict]:
        return [
            {"id": d.pk, "content_type": d.content_type, "size": d.size, "sha256": d.sha256}
            for d in selectors.documents(obj)
        ]


class ApplySerializer(serializers.Serializer):
    family = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=PaymentKind.choices)
    amount_fen = serializers.IntegerField(min_value=1, max_value=MAX_FEN, required=False)  # the cap: the service
    amount = serializers.CharField(max_length=40, required=False)
    reason = serializers.CharField(max_length=2000)
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    def validate(self, attrs):
        if "amount_fen" not in attrs:
            if "amount" not in attrs:
                raise ValidationError({"amount_fen": [_("Give the amount in fen (amount_fen) or in yuan (amount).")]})
            try:
                attrs["amount_fen"] = parse_yuan(attrs["amount"])
            except AmountError as exc:
                raise ValidationError({"amount": [str(exc.message)]}) from exc
        return attrs


class DecisionSerializer(LevelDecisionSerializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, default=None)


class PaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    method = serializers.ChoiceField(choices=LedgerEntry.Method.choices)
    voucher = serializers.CharField(max_length=64)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, default=None)


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, default=None)


def _out(request, payment, status=200):
    return Response(PaymentSerializer(payment, context={"request": request}).data, status=status)


class PaymentWithdrawSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="the version you read: a stale one is 409")


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    body_names_records = True  # the family paid: 404 if not one the caller sees (core.schema)
    serializer_class = PaymentSerializer
    permission_classes = [require("care.view")]

    def get_queryset(self):
        p = self.request.query_params
        state, kind, year, county = p.get("state", ""), p.get("kind", ""), p.get("year", ""), p.get("county", "")
        if state and state not in Payment.State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        if kind and kind not in PaymentKind.values:
            raise ValidationError({"kind": [_("Unknown kind of payment.")]})
        if year and plain_number(year, digits=4) is None:
            raise ValidationError({"year": [_("Give a year, for example 2026.")]})
        if county and plain_number(county, digits=6) is None:
            raise ValidationError({"county": [_("Give a region code, for example 530102.")]})
        return selectors.payment_list(
            user=self.request.user,
            state=state,
            kind=kind,
            year=int(year) if year else None,
            county=county,
            mine=p.get("mine") in ("1", "true"),
            payable=p.get("payable") in ("1", "true"),
        ).prefetch_related("reviews__reviewer", "reviews__organisation", "ledger")

    def get_object(self):
        return get_for_user(self.request.user, Payment.objects.select_related("family"), self.kwargs["pk"])

    def _need(self, perm):
        if not self.request.user.has_perm(perm):
            self.permission_denied(self.request)

    @extend_schema(request=ApplySerializer, responses={201: PaymentSerializer})
    def create(self, request):
        """Apply for a payment to a family (care.apply): ``amount_fen`` (integer fen) or ``amount`` (yuan
        text), ``kind``, ``reason``, optional ``documents`` (multipart; PDF, JPEG or PNG)."""
        self._need("care.apply")
        data = {
            k: request.data.get(k) for k in ("family", "kind", "amount_fen", "amount", "reason") if k in request.data
        }
        body = ApplySerializer(data={**data, "documents": request.FILES.getlist("documents")})
        body.is_valid(raise_exception=True)
        values = body.validated_data
        family = get_for_user(request.user, Family, values["family"])
        payment = services.payment_apply(
            actor=request.user,
            family=family,
            kind=values["kind"],
            amount_fen=values["amount_fen"],
            reason=values["reason"],
            documents=values["documents"],
        )
        return _out(request, payment, 201)

    @extend_schema(request=DecisionSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The decision of the level now reviewing: ``approved``, or ``rejected`` with a ``reason``."""
        payment = self.get_object()
        self._need("care.review")
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_review(actor=request.user, payment=payment, **body.validated_data)
        return _out(request, payment)

    @extend_schema(request=PaymentWithdrawSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an application before any level has decided it (care.apply)."""
        payment = self.get_object()
        self._need("care.apply")
        version = parse_version(request.data.get("version")) if hasattr(request.data, "get") else None
        payment = services.payment_withdraw(actor=request.user, payment=payment, version=version)
        return _out(request, payment)

    @extend_schema(request=PaySerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record an approved payment as paid (care.pay; never by one who approved it): the ledger entry."""
        payment = self.get_object()
        self._need("care.pay")
        body = PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_pay(actor=request.user, payment=payment, **body.validated_data)
        return _out(request, payment)

    @extend_schema(request=ReverseSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Reverse a paid payment with a ``reason`` (care.pay): a second, negative ledger entry."""
        payment = self.get_object()
        self._need("care.pay")
        body = ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = services.payment_reverse(actor=request.user, payment=payment, **body.validated_data)
        return _out(request, payment)


def register(router) -> None:
    router.register("payments", PaymentViewSet, basename="payment")
