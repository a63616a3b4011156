import re

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from boai.accounts.permissions import require

from . import selectors
from .models import Organisation, Region, region_prefix
from .ratelimits import SearchThrottle
from .serializers import OrganisationSerializer, RegionSerializer

CODE_RE = re.compile(r"^\d{6}$")


def _region_code_param(request, name):
    value = request.query_params.get(name, "").strip()
    if not value:
        return ""
    if not CODE_RE.match(value):
        raise ValidationError({name: [_("A region code has 6 digits, e.g. 530000.")]})
    if not Region.objects.filter(code=value).exists():
        raise ValidationError({name: [_("Unknown region code: %(code)s") % {"code": value}]})
    return value


@extend_schema(
    parameters=[
        OpenApiParameter(
            "parent",
            str,
            pattern="^[0-9]{6}$",
            description="6-digit code of the parent region (530000 lists Yunnan's prefectures); one that names "
            "no region is a 400",
        ),
        OpenApiParameter("level", str, enum=Region.Level.values),
    ]
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """GB/T 2260 divisions. Public: the registration form needs the list of counties."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    queryset = Region.objects.all()

    def get_queryset(self):
        if self.action != "list":
            return Region.objects.all()
        level = self.request.query_params.get("level", "")
        if level and level not in Region.Level.values:
            raise ValidationError(
                {"level": [_("Choose one of: %(levels)s") % {"levels": ", ".join(Region.Level.values)}]}
            )
        return selectors.region_list(parent=_region_code_param(self.request, "parent"), level=level)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    permission_classes = [require("orgs.view")]
    throttle_classes = [SearchThrottle]  # counts a list asked with q
    queryset = Organisation.objects.all()

    def get_queryset(self):
        org_type = self.request.query_params.get("type", "")
        if org_type and org_type not in Organisation.Type.values:
            raise ValidationError({"type": [_("Unknown organisation type.")]})
        code = _region_code_param(self.request, "region") if self.action == "list" else ""
        return selectors.organisation_list(
            search=self.request.query_params.get("q", ""),
            type=org_type,
            region_prefix=region_prefix(code) if code else "",
        )
