"""The shape of what a registration form, an import row or an API body says (read by ``parsing``,
checked and written by ``services``)."""

from dataclasses import dataclass, field
from datetime import date

from boai.core.people import Person


@dataclass
class PersonData(Person):
    """What a registration form, an import row or an API body says about a person and their wish."""

    organs: list = field(default_factory=list)
    tissues: list = field(default_factory=list)
    body: bool = False
    family_informed: list = field(default_factory=list)
    executor_name: str = ""
    executor_relationship: str = ""
    executor_phone: str = ""
    campaign: str = ""
    signed_on: date | None = None  # the day the person signed (a paper form is typed in later); None: today
