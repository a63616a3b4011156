"""Family care's published figures (``core.figures``): days in Beijing time, the family's county."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .models import Family


def families(year: int, region_prefix: str) -> int:
    return Family.objects.filter(donated_on__lte=date(year, 12, 31), region__code__startswith=region_prefix).count()


FIGURES: list = [
    Figure(
        code="care.families",
        label=_("Donor families in the database"),
        definition=_(
            "Family records whose date of donation is on or before the end of the year, counted in the family's county."
        ),
        count=families,
    ),
]
