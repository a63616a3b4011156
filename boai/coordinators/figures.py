"""The coordinators' published figures (``core.figures``). Dates are days in Beijing time; the area is
the coordinator's (awards: the award's)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .models import Award, Enrolment, Qualification, TrainingKind


def _in_year(year: int) -> dict:
    return {"gte": date(year, 1, 1), "lt": date(year + 1, 1, 1)}


def national_training(year: int, region_prefix: str) -> int:
    span = _in_year(year)
    return (
        Enrolment.objects.filter(
            training_class__kind=TrainingKind.NATIONAL,
            training_class__starts_on__gte=span["gte"],
            training_class__starts_on__lt=span["lt"],
            coordinator__region__code__startswith=region_prefix,
        )
        .exclude(result=Enrolment.Result.ABSENT)
        .values("coordinator_id")
        .distinct()
        .count()
    )


def newly_qualified(year: int, region_prefix: str) -> int:
    span = _in_year(year)
    return (
        Qualification.objects.filter(
            issued_on__gte=span["gte"],
            issued_on__lt=span["lt"],
            coordinator__region__code__startswith=region_prefix,
        )
        .values("coordinator_id")
        .distinct()
        .count()
    )


def excellent(year: int, region_prefix: str) -> int:
    return Award.objects.filter(
        kind=Award.Kind.EXCELLENT_COORDINATOR, year=year, region__code__startswith=region_prefix
    ).count()


FIGURES = [
    Figure(
        code="coordinators.national_training",
        label=_("People sent to national coordinator trainings"),
        definition=_(
            "Distinct people enrolled in a national class whose first day falls in the year, unless marked"
            " absent (days in Beijing time); counted in the area of the coordinator."
        ),
        count=national_training,
    ),
    Figure(
        code="coordinators.newly_qualified",
        label=_("Newly qualified coordinators"),
        definition=_(
            "Distinct coordinators whose national qualification is dated (Beijing day) in the year,"
            " whatever became of it"
            " later; counted in the area of the coordinator."
        ),
        count=newly_qualified,
    ),
    Figure(
        code="coordinators.excellent",
        label=_("Provincial excellent coordinators"),
        definition=_(
            "Awards of provincial excellent coordinator given for the year (the year of the award, not the day"
            " it was recorded), in the area of the award."
        ),
        count=excellent,
    ),
]
