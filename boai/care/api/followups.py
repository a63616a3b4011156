"""Contacts API: ``/api/v1/family-contacts/`` (list, retrieve, create through ``contact_record``).
Scoped by the family's county like the pages; filters ``family``, ``channel``, ``year``. What was found
and the family's needs are shown only to holders of care.manage."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import visible
from boai.lib.numbers import plain_number

from ..models import Channel, Contact, Family
from ..selectors import followups as selectors
from ..services import followups as services


class ContactSerializer(serializers.ModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    family_reference = serializers.CharField(source="family.reference", read_only=True)
    members_met = serializers.SerializerMethodField()
    people_met = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    # Shown only to holders of care.manage (``to_representation`` leaves them out for the rest), so the
    # schema must not call them required. Not marked read-only for that reason alone (the schema makes
    # every read-only field required): this serializer only writes answers, a new contact's body is
    # ``ContactRequest``.
    findings = serializers.CharField(required=False, help_text="only for those who manage family care")
    needs = serializers.CharField(required=False, help_text="only for those who manage family care")

    class Meta:
        model = Contact
        fields = [
            "id",
            "family",
            "family_reference",
            "follow_up",
            "channel",
            "channel_label",
            "occurred_on",
            "staff",
            "members_met",
            "others_met",
            "people_met",
            "findings",
            "needs",
            "photos",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_members_met(self, obj) -> list[int]:
        return sorted(m.pk for m in obj.members_met.all())

    def get_people_met(self, obj) -> int:
        return len(obj.members_met.all()) + obj.others_met

    def get_photos(self, obj) -> int:
        return selectors.photos(obj).count()

    def to_representation(self, obj):
        data = super().to_representation(obj)
        request = self.context.get("request")
        if not (request and request.user.has_perm("care.manage")):
            data.pop("findings", None)
            data.pop("needs", None)
        return data


class ContactRequest(serializers.Serializer):
    family = serializers.IntegerField()
    follow_up = serializers.IntegerField(required=False, allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    occurred_on = serializers.DateField()
    staff = serializers.CharField(max_length=services.MAX_STAFF)
    members_met = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    others_met = serializers.IntegerField(min_value=0, max_value=50, required=False, default=0)
    findings = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.MAX_NOTES)
    needs = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.MAX_NOTES)


def _int_param(params, name):
    value = params.get(name, "")
    if not value:
        return None
    number = plain_number(value, digits=9)
    if number is None:
        raise ValidationError({name: [_("Enter a whole number.")]})
    return number


class ContactViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ContactSerializer
    permission_classes = [require("care.view")]

    def get_queryset(self):
        p = self.request.query_params
        channel = p.get("channel", "")
        if channel and channel not in Channel.values:
            raise ValidationError({"channel": [_("Unknown channel.")]})
        year = _int_param(p, "year")
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError({"year": [_("Give a year from 1900 to 2100.")]})
        return selectors.contact_list(self.request.user, family=_int_param(p, "family"), channel=channel, year=year)

    def get_object(self):
        contact = visible(self.request.user, Contact, perm="care.view").filter(pk=self.kwargs["pk"]).first()
        if contact is None:
            raise NotFound
        return contact

    @extend_schema(request=ContactRequest, responses={201: ContactSerializer})
    def create(self, request, *args, **kwargs):
        """Record a contact or visit (care.manage) for a family in the caller's area."""
        if not request.user.has_perm("care.manage"):
            self.permission_denied(request)
        body = ContactRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        family = visible(request.user, Family, perm="care.manage").filter(pk=data.pop("family")).first()
        if family is None:
            raise ValidationError({"family": [_("No such family in your area.")]})
        contact = services.contact_record(actor=request.user, family=family, **data)
        return Response(ContactSerializer(contact, context={"request": request}).data, status=201)


def register(router) -> None:
    router.register("family-contacts", ContactViewSet, basename="family-contact")
