"""The annual and period figures API: ``/api/v1/stats/annual/?year=2025[&region=5301]`` gives every
published figure of a year (``selectors.annual.PUBLISHED``) inside an area, ``/api/v1/stats/period/
?from=2021&to=2025[&region=5301]`` the same summed over the years. The area defaults to the user's
own; one outside it is refused (403), an unknown region or a bad year is a 400 with a message."""

from datetime import datetime

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from boai.accounts.permissions import require
from boai.accounts.scoping import user_region_prefix
from boai.core.figures import SHANGHAI
from boai.core.models import Region, region_prefix
from boai.lib.numbers import plain_number

from ..selectors.annual import PUBLISHED, annual_figures, period_figures

FIRST_YEAR = 2000
MAX_SPAN = 10  # years in one period


FiguresSerializer = type(
    "StatsFiguresSerializer",
    (serializers.Serializer,),
    {name: serializers.IntegerField(help_text=f"figure {code}") for name, code in PUBLISHED},
)


def _region_field():
    return serializers.CharField(help_text="the area's code prefix (53, 5301, 530102)")


class StatsAnnualSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = _region_field()
    region_name = serializers.CharField()
    figures = FiguresSerializer()


StatsPeriodSerializer = type(  # "from" is a keyword: the fields are given by name
    "StatsPeriodSerializer",
    (serializers.Serializer,),
    {
        "from": serializers.IntegerField(help_text="the first year"),
        "to": serializers.IntegerField(help_text="the last year"),
        "region": _region_field(),
        "region_name": serializers.CharField(),
        "figures": FiguresSerializer(help_text="each figure summed over the years"),
    },
)


class StatsProblemSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


REGION = OpenApiParameter(
    "region", str, description="an area code or its prefix (53, 5301, 530102); default: the caller's own area"
)
REFUSALS = {
    400: OpenApiResponse(StatsProblemSerializer, description="a bad year or an unknown region code"),
    403: OpenApiResponse(
        StatsProblemSerializer, description="no right to the statistics, or an area outside one's own"
    ),
}


def _year(request, name: str) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        raise ValidationError({name: [_("Give the year, such as 2025.")]})
    number = plain_number(raw, digits=4)
    last = datetime.now(SHANGHAI).year + 1
    if number is None or len(raw) != 4:
        raise ValidationError({name: [_("A year such as 2025.")]})
    if not FIRST_YEAR <= number <= last:
        raise ValidationError(
            {name: [_("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last}]}
        )
    return number


def _area(request) -> tuple[str, str]:
    """The area asked for (the caller's own by default): its prefix and its name. 400 for a code that
    names no region, 403 for one outside the caller's area."""
    own = user_region_prefix(request.user)
    if not own:
        raise PermissionDenied(_("Your account has no area: ask an administrator to attach it to a branch."))
    raw = request.query_params.get("region", "").strip() or own
    if plain_number(raw, digits=6) is None or len(raw) not in (2, 4, 6):
        raise ValidationError({"region": [_("A region code or its beginning, such as 5301.")]})
    prefix = region_prefix(raw.ljust(6, "0"))
    region = Region.objects.filter(code=prefix.ljust(6, "0")).first()
    if region is None or (len(prefix) != len(raw) and len(raw) != 6):  # 5300 is no prefix
        raise ValidationError({"region": [_("No region has the code %(code)s.") % {"code": raw}]})
    if not prefix.startswith(own):
        raise PermissionDenied(_("The region %(code)s is outside your area.") % {"code": raw})
    return prefix, region.name


class AnnualFiguresView(APIView):
    permission_classes = [require("stats.view")]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True, description="the year, Beijing time"), REGION],
        responses={200: StatsAnnualSerializer, **REFUSALS},
    )
    def get(self, request):
        """Every published figure of one year inside an area (see docs/figures.md)."""
        year = _year(request, "year")
        prefix, name = _area(request)
        return Response({"year": year, "region": prefix, "region_name": name, "figures": annual_figures(year, prefix)})


class PeriodFiguresView(APIView):
    permission_classes = [require("stats.view")]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True, description="the first year, included"),
            OpenApiParameter(
                "to", int, required=True, description=f"the last year, included (at most {MAX_SPAN} years)"
            ),
            REGION,
        ],
        responses={200: StatsPeriodSerializer, **REFUSALS},
    )
    def get(self, request):
        """Every published figure summed over the years ``from`` to ``to`` inside an area."""
        first, last = _year(request, "from"), _year(request, "to")
        if first > last:
            raise ValidationError({"to": [_("The last year cannot come before the first.")]})
        if last - first + 1 > MAX_SPAN:
            raise ValidationError({"to": [_("A period is at most %(n)s years.") % {"n": MAX_SPAN}]})
        prefix, name = _area(request)
        figures = period_figures(first, last, prefix)
        return Response({"from": first, "to": last, "region": prefix, "region_name": name, "figures": figures})


urlpatterns = [
    path("stats/annual/", AnnualFiguresView.as_view(), name="stats-annual"),
    path("stats/period/", PeriodFiguresView.as_view(), name="stats-period"),
]
