"""Offline collection API: ``POST /api/v1/events/<event_pk>/collected/`` with ``{"entries": [...]}``
(at most 50), the registrations a staff member took on a phone at the event without network. Each
entry is answered on its own (landed with its number, held for review with its reference, or returned
with the reason), in the order sent; an entry sent again with the same key gets the same answer and
lands once. Only the envelope can make the whole request fail (not a list of at most 50 objects): a
malformed entry, even one without a valid key, is answered "returned" with its reason. Session
(with the CSRF header) or token auth; permission ``outreach.collect``; an event outside the caller's
area is a 404."""

import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from boai.accounts.permissions import require

from ..models import CollectedEntry
from ..selectors import collect as selectors
from ..services import collect as services


class OutreachCollectedPersonSerializer(serializers.Serializer):
    """The registration form's fields, as the phone took them (checked by the registry on sync)."""

    name = serializers.CharField(max_length=200, allow_blank=True, required=False, trim_whitespace=False)
    id_type = serializers.CharField(max_length=32, allow_blank=True, required=False)
    id_number = serializers.CharField(max_length=200, allow_blank=True, required=False, trim_whitespace=False)
    phone = serializers.CharField(max_length=200, allow_blank=True, required=False)
    region = serializers.CharField(max_length=12, allow_blank=True, required=False, help_text="county code")
    address = serializers.CharField(max_length=200, allow_blank=True, required=False, trim_whitespace=False)
    organs = serializers.ListField(child=serializers.CharField(max_length=32), max_length=10, required=False)
    tissues = serializers.ListField(child=serializers.CharField(max_length=32), max_length=10, required=False)
    body = serializers.BooleanField(required=False)
    executor_name = serializers.CharField(max_length=200, allow_blank=True, required=False, trim_whitespace=False)
    executor_relationship = serializers.CharField(max_length=200, allow_blank=True, required=False)
    executor_phone = serializers.CharField(max_length=200, allow_blank=True, required=False)
    ethnic_group = serializers.CharField(max_length=4, allow_blank=True, required=False)
    sex = serializers.CharField(max_length=2, allow_blank=True, required=False)
    birth_date = serializers.CharField(max_length=10, allow_blank=True, required=False, help_text="YYYY-MM-DD")


class OutreachCollectedEntrySerializer(serializers.Serializer):
    key = serializers.UUIDField(help_text="the entry's own idempotency key, made on the phone")
    collected_at = serializers.CharField(max_length=40, help_text="ISO 8601: when the person signed")
    consent_version = serializers.CharField(max_length=32, allow_blank=True)
    attested = serializers.BooleanField(help_text="the staff member checked the person's ID card in person")
    signature = serializers.CharField(
        max_length=len(services.PNG_PREFIX) + services.MAX_SIGNATURE_BYTES * 4 // 3 + 4,
        allow_blank=True,
        trim_whitespace=False,
        help_text="data:image/png;base64,…",
    )
    person = OutreachCollectedPersonSerializer()


class OutreachCollectedBatchSerializer(serializers.Serializer):
    entries = OutreachCollectedEntrySerializer(many=True, max_length=services.MAX_BATCH, allow_empty=True)


class OutreachCollectedEnvelopeSerializer(serializers.Serializer):
    """What the API itself checks: a list of at most 50 objects. Everything inside an entry is checked
    by the service, entry by entry, so that one malformed entry comes back "returned" with its reason
    and never blocks the others (the documented shape is ``OutreachCollectedBatchSerializer``)."""

    entries = serializers.ListField(child=serializers.DictField(), max_length=services.MAX_BATCH, allow_empty=True)


class OutreachCollectedResultSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="the entry's key as sent (empty when it sent none); answers keep the order")
    state = serializers.ChoiceField(choices=CollectedEntry.State.choices)
    number = serializers.CharField(required=False, help_text="the registration number, once landed")
    reference = serializers.CharField(required=False, help_text="the review reference, when held")
    reason = serializers.CharField(required=False, help_text="why it was returned (or held)")


class OutreachCollectedAnswerSerializer(serializers.Serializer):
    results = OutreachCollectedResultSerializer(many=True)


class CollectedViewSet(viewsets.GenericViewSet):
    permission_classes = [require("outreach.collect")]
    serializer_class = OutreachCollectedBatchSerializer
    queryset = CollectedEntry.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("event_pk", int, OpenApiParameter.PATH, description="the event's id")],
        request=OutreachCollectedBatchSerializer,
        responses={200: OutreachCollectedAnswerSerializer},
        summary="Sync the entries taken offline at an event",
    )
    def create(self, request, event_pk=None):
        event = selectors.collect_event(request.user, event_pk)
        batch = OutreachCollectedEnvelopeSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        entries = json.loads(json.dumps(batch.validated_data["entries"], default=str))  # plain JSON values
        results = services.collected_sync(event=event, actor=request.user, entries=entries)
        return Response({"results": results})


def register(router) -> None:
    router.register(r"events/(?P<event_pk>[0-9]+)/collected", CollectedViewSet, basename="event-collected")
