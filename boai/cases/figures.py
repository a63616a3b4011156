"""The donation figures (``core.figures``): a case counts in the year its donation was counted —
an organ donation when the first organ was recovered, a body donation when the body was received."""

from django.utils.translation import gettext_lazy as _

from boai.core.figures import Figure

from .selectors import beneficiaries_in_year, body_donations_in_year, organ_donations_in_year

FIGURES = [
    Figure(
        code="cases.organ_donations",
        label=_("Organ donations completed"),
        definition=_(
            "Organ donation cases in which at least one organ was recovered, counted at the recovery of the first"
            " organ (Beijing time), in the donor's county of residence; a case with no organ recovered is not counted."
        ),
        count=organ_donations_in_year,
    ),
    Figure(
        code="cases.beneficiaries",
        label=_("People who received an organ"),
        definition=_(
            "The recipients recorded at allocation, for the organ donations counted in the year (Beijing time, at"
            " the first organ's recovery), in the donor's county of residence."
        ),
        count=beneficiaries_in_year,
    ),
    Figure(
        code="cases.body_donations",
        label=_("Body donations completed"),
        definition=_(
            "Body donation cases in which the reception station received the body, counted when it was received"
            " (Beijing time), in the donor's county of residence; a body the station refused is not counted."
        ),
        count=body_donations_in_year,
    ),
]
