"""``/api/v1/coordinators/``: list (filters: state, region prefix, organisation code), ``search`` (a POST
whose body holds ``q`` — a name, or an exact ID number or phone — and the same filters: no personal data
in a URL), retrieve,
create, update (PUT the whole record, PATCH a part; both with the ``version`` read), and ``export``
(POST a reason: the filtered list as xlsx or csv, masked, audited). Protected fields are masked here,
on the server, and every write goes through the same services as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from boai.accounts.permissions import require
from boai.accounts.scoping import get_for_user
from boai.core.people.serializers import PersonSerializerMixin
from boai.core.ratelimits import ExportThrottle, SearchThrottle
from boai.core.responses import XLSX
from boai.core.rest import version_sent
from boai.lib.masking import mask_id_number, mask_phone, mask_text
from boai.lib.numbers import plain_number
from boai.lib.text import validate_free_text

from ..models import Coordinator, Education
from ..selectors import people as selectors
from ..services import people as services
from ..views.people import export_response


class CoordinatorSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    birth_year = serializers.IntegerField(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_type = serializers.CharField(source="organisation.type", read_only=True)
    account = serializers.SerializerMethodField()

    class Meta:
        model = Coordinator
        fields = [
            "id",
            "name",
            "sex",
            "birth_year",
            "id_type",
            "id_number",
            "region",
            "region_name",
            "organisation",
            "organisation_name",
            "organisation_type",
            "state",
            "profession",
            "department",
            "education",
            "title",
            "phone",
            "email",
            "account",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_id_number(self, obj) -> str:
        return mask_id_number(obj.id_number)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_email(self, obj) -> str:
        return mask_text(obj.email) if obj.email else ""

    def get_account(self, obj) -> str | None:
        return obj.user.get_username() if obj.user_id else None


class CoordinatorWriteSerializer(PersonSerializerMixin):
    """A coordinator as a client sends it. ``region``: the area code (county, prefecture or province);
    ``organisation``: the organisation's code (``RC530102``, ``OPO-KMU1``)."""

    region = serializers.RegexField(r"^\d{6}$", help_text="6-digit area code: a county, a prefecture or 530000")
    organisation = serializers.CharField(max_length=32)
    profession = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    department = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="the version you read (update: required)")

    def validate_profession(self, value):
        validate_free_text(value)
        return value


class ExportRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    q = serializers.CharField(max_length=64, required=False, allow_blank=True, default="", help_text="as in search")
    format = serializers.ChoiceField(choices=["xlsx", "csv"], default="xlsx")


class CoordinatorSearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    state = serializers.ChoiceField(choices=Coordinator.State.choices, required=False, allow_blank=True, default="")
    region = serializers.RegexField(r"^\d{0,6}$", required=False, allow_blank=True, default="")
    organisation = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


FILTERS = [
    OpenApiParameter("state", str, enum=Coordinator.State.values),
    OpenApiParameter("region", str, pattern="^[0-9]{1,6}$", description="area code prefix (53, 5301, 530102)"),
    OpenApiParameter("organisation", str, description="organisation code (RC530102, OPO-KMU1)"),
]


@extend_schema(parameters=FILTERS)
class CoordinatorViewSet(viewsets.GenericViewSet):
    serializer_class = CoordinatorSerializer
    permission_classes = [require("coordinators.view")]
    throttle_classes = [SearchThrottle]  # the list's q (the search and export actions say their own)

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update"):
            return [require("coordinators.manage")()]
        if self.action == "export":
            return [require("coordinators.export")()]
        return super().get_permissions()

    def _query(self, params=None) -> dict:
        p = self.request.query_params if params is None else params
        state = p.get("state", "")
        if state and state not in Coordinator.State.values:
            raise ValidationError({"state": [_("Unknown state.")]})
        region = p.get("region", "").strip()
        if region and plain_number(region, digits=6) is None:
            raise ValidationError({"region": [_("A region code or its beginning, such as 5301.")]})
        return {
            "state": state,
            "region": region,
            "organisation": p.get("organisation", "").strip()[:32],
            "search": str(p.get("q", "")).strip()[:64] if params is not None else "",
        }

    def get_queryset(self):
        return selectors.coordinator_list(user=self.request.user, **self._query())

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._get(pk)).data)

    def _get(self, pk, *, write=False):
        return get_for_user(
            self.request.user, Coordinator.objects.select_related("region", "organisation", "user"), pk, write=write
        )

    @extend_schema(request=CoordinatorWriteSerializer, responses={201: CoordinatorSerializer})
    def create(self, request):
        """Create a record (state: applicant). 409 ``coordinators.one_record_per_person`` when the person
        already has one; 400 with each refusal under its field otherwise."""
        body = CoordinatorWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        coordinator = services.coordinator_create(actor=request.user, data=_data(body.validated_data))
        return Response(self.get_serializer(coordinator).data, status=201)

    @extend_schema(request=CoordinatorWriteSerializer, responses=CoordinatorSerializer)
    def update(self, request, pk=None):
        """Replace the record's fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, pk, partial=False)

    @extend_schema(request=CoordinatorWriteSerializer, responses=CoordinatorSerializer)
    def partial_update(self, request, pk=None):
        """Change some fields. Send the ``version`` you read: a stale one is 409."""
        return self._update(request, pk, partial=True)

    def _update(self, request, pk, *, partial):
        coordinator = self._get(pk, write=True)
        body = CoordinatorWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        version = version_sent(request)
        current = services.CoordinatorData.of(coordinator)
        data = {name: getattr(current, name) for name in services.CoordinatorData.FIELDS}
        data.update({k: v for k, v in body.validated_data.items() if k in services.CoordinatorData.FIELDS})
        if "id_number" in body.validated_data and "birth_date" not in body.validated_data:
            data["birth_date"], data["sex"] = None, body.validated_data.get("sex", "")  # from the new number
        coordinator = services.coordinator_update(
            coordinator=coordinator, actor=request.user, data=services.CoordinatorData(**data), version=version
        )
        coordinator = self._get(coordinator.pk)
        return Response(self.get_serializer(coordinator).data)

    @extend_schema(request=CoordinatorSearchSerializer, responses=CoordinatorSerializer(many=True), parameters=[])
    @action(detail=False, methods=["post"], throttle_classes=[SearchThrottle])
    def search(self, request):
        """Search by a part of the name, or an exact ID number or phone (``q``), with the list's filters.
        A POST, so that personal data never appears in a URL."""
        body = CoordinatorSearchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        qs = selectors.coordinator_list(user=request.user, **self._query(body.validated_data))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ExportRequestSerializer,
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["post"], throttle_classes=[ExportThrottle])
    def export(self, request):
        """The filtered list (the query's filters) as xlsx or csv, masked; the reason is audited."""
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        query = self._query() | {"search": body.validated_data["q"].strip()}
        qs = selectors.coordinator_list(user=request.user, **query)
        services.coordinator_export_logged(
            actor=request.user,
            filters=query,
            fmt=body.validated_data["format"],
            reason=body.validated_data["reason"],
            count=qs.count(),
        )
        return export_response(qs, body.validated_data["format"])


def _data(validated: dict) -> services.CoordinatorData:
    return services.CoordinatorData(
        **{name: validated.get(name) or "" for name in services.CoordinatorData.FIELDS}
        | {"birth_date": validated.get("birth_date")}
    )


def register(router) -> None:
    router.register("coordinators", CoordinatorViewSet, basename="coordinator")
