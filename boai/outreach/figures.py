"""Outreach's published figures (``core.figures``): days and instants in Beijing time; the region is
the event's (or the media report's, the fundraising project's) for what outreach holds, and the
registrant's county for registrations attributed to a campaign."""

from datetime import date

from django.db.models import Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure
from boai.registry.selectors import registrations_by

from .models import Campaign, Event, EventKind, FundraisingDay, MediaReport


def _in_year(field: str, year: int) -> dict:
    return {f"{field}__gte": date(year, 1, 1), f"{field}__lt": date(year + 1, 1, 1)}


def events_held(year: int, region_prefix: str, kind: str | None = None) -> int:
    qs = Event.objects.filter(**_in_year("starts_on", year), region__code__startswith=region_prefix)
    return (qs.filter(kind=kind) if kind else qs).count()


def events_of_kind(kind: str):
    def count(year: int, region_prefix: str) -> int:
        return events_held(year, region_prefix, kind)

    return count


def audience(year: int, region_prefix: str) -> int:
    qs = Event.objects.filter(**_in_year("starts_on", year), region__code__startswith=region_prefix)
    return qs.aggregate(s=Sum("audience"))["s"] or 0


def outreach_codes() -> set[str]:
    """The codes a registration can be attributed to: every campaign's and every event's."""
    codes = set(Campaign.objects.values_list("code", flat=True)) | set(Event.objects.values_list("code", flat=True))
    return {code for code in codes if code}


def campaign_registrations(year: int, region_prefix: str) -> int:
    """The registrations attributed to a campaign or an event, by the day they were signed, read from the
    registry's tally (``registrations_by("campaign", ...)``, the dashboard's campaign breakdown): the same
    registration counts in the same year on both pages."""
    codes = outreach_codes()
    return sum(n for code, n in registrations_by("campaign", year, region_prefix).items() if code in codes)


def media_reports(year: int, region_prefix: str) -> int:
    return MediaReport.objects.filter(**_in_year("published_on", year), region__code__startswith=region_prefix).count()


def _fundraising_days(year: int, region_prefix: str):
    return FundraisingDay.objects.filter(**_in_year("day", year), project__region__code__startswith=region_prefix)


def funds_raised(year: int, region_prefix: str) -> int:
    return _fundraising_days(year, region_prefix).aggregate(s=Sum("amount_fen"))["s"] or 0


def fundraising_donors(year: int, region_prefix: str) -> int:
    return _fundraising_days(year, region_prefix).aggregate(s=Sum("donors"))["s"] or 0


FIGURES: list = [
    Figure(
        code="outreach.events",
        label=_("Publicity events held"),
        definition=_(
            "Publicity events whose first day (Beijing time) is in the year, of every kind, online or on"
            " site; counted in the"
            " region of the event (an event of the province counts only for the province)."
        ),
        count=events_held,
    ),
    *[
        Figure(
            code=f"outreach.events_{kind}",
            label=format_lazy("{}: {}", _("Publicity events held"), label),
            definition=_(
                "Publicity events of this kind whose first day is in the year; counted in the event's region."
            ),
            count=events_of_kind(kind),
        )
        for kind, label in EventKind.choices
    ],
    Figure(
        code="outreach.audience",
        label=_("Audience of publicity events"),
        definition=_(
            "The audience recorded for the publicity events whose first day is in the year, summed (an event"
            " whose audience is not recorded yet adds nothing); counted in the event's region."
        ),
        count=audience,
    ),
    Figure(
        code="outreach.campaign_registrations",
        label=_("Registrations attributed to campaigns"),
        definition=_(
            "Intent registrations signed in the year (the signing day, Beijing time; for an online registration the"
            " day it was made) through a campaign's or an event's link or QR code, or entered from a paper form"
            " or an offline entry collected at one; each registration counts once, in the registrant's county,"
            " whatever became of it later. The same count as the campaign breakdown of the statistics dashboard."
        ),
        count=campaign_registrations,
    ),
    Figure(
        code="outreach.media_reports",
        label=_("Media reports"),
        definition=_("Media reports published in the year; counted in the region of the branch that recorded them."),
        count=media_reports,
    ),
    Figure(
        code="outreach.funds_raised",
        label=_("Funds raised online (fen)"),
        definition=_(
            "The amounts raised on the days of the year by the online fundraising projects, in fen, as recorded"
            " or imported from the platform; counted in the project's region."
        ),
        count=funds_raised,
    ),
    Figure(
        code="outreach.fundraising_donors",
        label=_("Online donors"),
        definition=_(
            "The donors counted by the platform on each day of the year, summed over the days and projects (a"
            " person who gave on two days counts twice, as the platforms report it); counted in the project's region."
        ),
        count=fundraising_donors,
    ),
]
