"""The annual and period figures API: ``/api/v1/stats/annual/?year=2025[&region=5301]`` gives every
published figure of a year (``selectors.annual.PUBLISHED``) inside an area, ``/api/v1/stats/period/
?from=2021&to=2025[&region=5301]`` the same summed over the years. The area defaults to the user's
own; one outside it is refused (403), an unknown region or a bad year is a 400 with a message."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from boai.accounts.permissions import require
from boai.core.errors import InvalidInput

from ..selectors import params
from ..selectors.annual import PUBLISHED, annual_figures, period_figures

FiguresSerializer = type(
    "StatsFiguresSerializer",
    (serializers.Serializer,),
    {name: serializers.IntegerField(help_text=f"figure {code}") for name, code in PUBLISHED},
)


def _region_field():
    return serializers.CharField(help_text="the area's 6-digit code (530000, 530100, 530102)")


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


# a year from the first of the records to the current one; no maximum here, since a schema made in
# December would otherwise refuse January's year until the next restart (the answer says 400 past it)
YEAR = {"type": "integer", "minimum": params.FIRST_YEAR}
REGION = OpenApiParameter(
    "region",
    str,
    pattern="^([0-9]{2}|[0-9]{4}|[0-9]{6})$",
    description="an area code (530100) or its prefix (53, 5301); default: the caller's own area",
)
REFUSALS = {
    400: OpenApiResponse(StatsProblemSerializer, description="a bad year or an unknown region code"),
    403: OpenApiResponse(
        StatsProblemSerializer, description="no right to the statistics, or an area outside one's own"
    ),
}


def _year(request, name: str) -> int:
    try:
        return params.parse_year(request.query_params.get(name, ""), field=name)
    except InvalidInput as exc:
        raise ValidationError({name: [str(exc.message)]}) from exc


def _area(request) -> tuple[str, str, str]:
    """The area asked for (the caller's own by default): its prefix, its 6-digit code and its name. 400
    for a code that names no region, 403 for one outside the caller's area."""
    try:
        region, prefix = params.parse_region(request.user, request.query_params.get("region", ""))
    except params.OutsideArea as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except InvalidInput as exc:
        raise ValidationError({"region": [str(exc.message)]}) from exc
    return prefix, region.code, region.name


class AnnualFiguresView(APIView):
    permission_classes = [require("stats.view")]

    @extend_schema(
        parameters=[OpenApiParameter("year", YEAR, required=True, description="the year, Beijing time"), REGION],
        responses={200: StatsAnnualSerializer, **REFUSALS},
    )
    def get(self, request):
        """Every published figure of one year inside an area (see docs/figures.md)."""
        year = _year(request, "year")
        prefix, code, name = _area(request)
        return Response({"year": year, "region": code, "region_name": name, "figures": annual_figures(year, prefix)})


class PeriodFiguresView(APIView):
    permission_classes = [require("stats.view")]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", YEAR, required=True, description="the first year, included"),
            OpenApiParameter(
                "to", YEAR, required=True, description=f"the last year, included (at most {params.MAX_SPAN} years)"
            ),
            REGION,
        ],
        responses={200: StatsPeriodSerializer, **REFUSALS},
    )
    def get(self, request):
        """Every published figure summed over the years ``from`` to ``to`` inside an area."""
        first, last = _year(request, "from"), _year(request, "to")
        try:
            params.check_span(first, last)
        except InvalidInput as exc:
            raise ValidationError({"to": [str(exc.message)]}) from exc
        prefix, code, name = _area(request)
        figures = period_figures(first, last, prefix)
        return Response({"from": first, "to": last, "region": code, "region_name": name, "figures": figures})


urlpatterns = [
    path("stats/annual/", AnnualFiguresView.as_view(), name="stats-annual"),
    path("stats/period/", PeriodFiguresView.as_view(), name="stats-period"),
]
