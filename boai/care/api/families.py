"""``/api/v1/families/``: list (filters ``region``: a code prefix, ``reference``: exact), retrieve, and
create (a family of an older case, with its first member). Members' phones and ID numbers are masked
here, on the server, and the address is never sent; every write goes through the pages' services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.people import IdType, Relationship, Sex
from boai.lib.masking import mask_id_number, mask_phone
from boai.lib.numbers import plain_number

from ..models import Channel, DonationKind, Family, FamilyMember
from ..selectors import families as selectors
from ..services import families as services


class MemberSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = FamilyMember
        fields = ["id", "name", "relationship", "sex", "id_type", "id_number", "phone", "is_main_contact", "active"]

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""


class FamilySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organ_case = serializers.IntegerField(source="organ_case_id", read_only=True, allow_null=True)
    body_case = serializers.IntegerField(source="body_case_id", read_only=True, allow_null=True)
    responsible = serializers.SerializerMethodField()
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Family
        fields = [
            "id",
            "reference",
            "organ_case",
            "body_case",
            "donation_kind",
            "donor_name",
            "donated_on",
            "region",
            "region_name",
            "responsible",
            "contact_allowed",
            "preferred_channel",
            "wants_outcome",
            "members",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_responsible(self, obj) -> str | None:
        return obj.responsible.get_username() if obj.responsible_id else None


class MemberWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class FamilyWriteSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=40, help_text="a case number of your area (linked) or a reference")
    donation_kind = serializers.ChoiceField(choices=DonationKind.choices)
    donor_name = serializers.CharField(max_length=64)
    donated_on = serializers.DateField()
    region = serializers.RegexField(r"^\d{6}$", help_text="the county's 6-digit code")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    living_situation = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    special_needs = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    responsible = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="a user's id")
    contact_allowed = serializers.BooleanField(required=False, default=True)
    preferred_channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.PHONE)
    wants_outcome = serializers.BooleanField(required=False, default=False)
    member = MemberWriteSerializer()


FILTERS = [
    OpenApiParameter("region", str, pattern="^[0-9]{1,6}$", description="area code prefix (53, 5301, 530102)"),
    OpenApiParameter("reference", str, description="exact case number or reference"),
]


@extend_schema(parameters=FILTERS)
class FamilyViewSet(viewsets.GenericViewSet):
    serializer_class = FamilySerializer
    permission_classes = [require("care.view")]

    def get_permissions(self):
        if self.action == "create":
            return [require("care.manage")()]
        return super().get_permissions()

    def _query(self) -> dict:
        p = self.request.query_params
        region = p.get("region", "").strip()
        if region and plain_number(region, digits=6) is None:
            raise ValidationError({"region": [_("A region code or its beginning, such as 5301.")]})
        return {"region": region, "reference": p.get("reference", "").strip()[:40]}

    def get_queryset(self):
        return selectors.family_list(user=self.request.user, **self._query()).prefetch_related("members")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        family = get_for_user(request.user, Family.objects.select_related("region", "responsible"), pk)
        return Response(self.get_serializer(family).data)

    @extend_schema(request=FamilyWriteSerializer, responses={201: FamilySerializer})
    def create(self, request):
        """A family of an older case, with its first member (the main contact); 400 with each refusal
        under its field."""
        body = FamilyWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = dict(body.validated_data)
        member = services.MemberData(**d.pop("member"), is_main_contact=True)
        family = services.family_create(actor=request.user, data=services.FamilyData(**d), member=member)
        return Response(self.get_serializer(family).data, status=201)


def register(router) -> None:
    router.register("families", FamilyViewSet, basename="family")
