"""The memorials' published figures (``core.figures``): days in Beijing time."""

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .models import MemorialEvent, MemorialSite


def _held_in(year: int, region_prefix: str):
    return MemorialEvent.objects.filter(
        held_on__gte=date(year, 1, 1), held_on__lt=date(year + 1, 1, 1), region__code__startswith=region_prefix
    )


def memorial_sites_new(year: int, region_prefix: str) -> int:
    return MemorialSite.objects.filter(
        opened_on__gte=date(year, 1, 1), opened_on__lt=date(year + 1, 1, 1), region__code__startswith=region_prefix
    ).count()


def memorial_events(year: int, region_prefix: str) -> int:
    return _held_in(year, region_prefix).count()


def memorial_participants(year: int, region_prefix: str) -> int:
    return _held_in(year, region_prefix).aggregate(n=Sum("participants"))["n"] or 0


FIGURES = [
    # sites and events
    Figure(
        code="memorials.memorial_sites_new",
        label=_("New memorial sites"),
        definition=_(
            "Memorial sites (parks, walls, rooms at medical schools and others) whose opening day (Beijing"
            " time) falls in the"
            " year, whether open or closed today; counted in the county or prefecture where the site stands."
        ),
        count=memorial_sites_new,
    ),
    Figure(
        code="memorials.memorial_events",
        label=_("Memorial events held"),
        definition=_(
            "Memorial events (on Qingming, the Winter Solstice or other occasions) held on a day (Beijing"
            " time) of the year; counted in"
            " the area of the event (for an event at a memorial site, where the site stands)."
        ),
        count=memorial_events,
    ),
    Figure(
        code="memorials.memorial_participants",
        label=_("Participants in memorial events"),
        definition=_(
            "The participants recorded for the memorial events dated in the year, summed (people, not"
            " households; a person at two events counts twice); in the area of the event."
        ),
        count=memorial_participants,
    ),
]
