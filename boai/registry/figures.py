"""The registry's published figures (``core.figures``)."""

from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .selectors import registrations_in_year

FIGURES = [
    Figure(
        code="registry.registrations",
        label=_("Intent registrations"),
        definition=_(
            "Registrations of the wish to donate made in the year (Beijing time), online, on paper, at events"
            " or by import, whatever became of them later: a registration withdrawn in a later year still"
            " counts in the year it was made."
        ),
        count=registrations_in_year,
    )
]
