"""The registry's published figures (``core.figures``)."""

from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .selectors import registrations_in_year

FIGURES = [
    Figure(
        code="registry.registrations",
        label=_("Intent registrations"),
        definition=_(
            "Registrations of the wish to donate signed in the year, online, on paper, at events or by import,"
            " counted on the day the person signed (Beijing time: a registration at 00:30 on 1 January counts in"
            " the new year; a paper form typed in days later counts on the day it was signed), in the county"
            " where the person lives, whatever became of them later: a registration withdrawn or erased in a"
            " later year still counts in the year it was signed."
        ),
        count=registrations_in_year,
    )
]
