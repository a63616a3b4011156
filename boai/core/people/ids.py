"""ID documents and contact details: each checked once here, in the reader's language, whichever
programme records the person. A refusal is ``InvalidInput`` naming the field."""

import re
from datetime import date

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.errors import InvalidInput
from boai.lib import crypto
from boai.lib.idnumbers import InvalidIdNumber, ResidentId, parse_resident_id

from . import nationality
from .vocabulary import IdType

ID_ERRORS = {
    "length": gettext_lazy("The ID number must have 18 characters."),
    "format": gettext_lazy("The ID number may contain only digits and a final X."),
    "checksum": gettext_lazy("The ID number's check digit is wrong: please check the number."),
    "birth_date": gettext_lazy("The birth date inside the ID number is not a valid date."),
    "region": gettext_lazy("The first six digits of the ID number are not a known region code."),
}
MOBILE = re.compile(r"1[3-9][0-9]{9}")
ID_TYPES = frozenset(IdType.values)


def normalise_mobile(value: str, *, field: str = "phone") -> str:
    """A mainland mobile number, 11 digits, or InvalidInput."""
    digits = crypto.normalise_phone(value or "")
    if MOBILE.fullmatch(digits):  # the common case, without phonenumbers' full parse
        return digits
    try:
        parsed = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if (
        parsed is None
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed)
        not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        raise InvalidInput(_("Enter an 11-digit mobile phone number, e.g. 13812345678."), field=field)
    return str(parsed.national_number)


def parse_id(number: str, *, today: date) -> ResidentId:
    """A resident ID number parsed (GB 11643: length, check digit, birth date, a county that exists or
    once existed — see ``lib.idnumbers``), or InvalidInput with the reason in the reader's language."""
    try:
        return parse_resident_id(number, today=today)
    except InvalidIdNumber as exc:
        raise InvalidInput(str(ID_ERRORS[exc.reason]), field="id_number") from exc


def _document_number(number: str) -> str:
    """Passports and permits: 5 to 30 letters and digits, upper case, spaces and dashes dropped.

    Kept as broad as the registry first accepted: a Hong Kong/Macao permit (H/M and 8 or 10 digits),
    a Taiwan permit (8 digits), their residence permits (18 digits from 810000/820000/830000) and both
    foreign permanent resident ID formats (15 characters, and the 18-digit one from 2023) all pass."""
    number = crypto.normalise(number or "")
    if not (5 <= len(number) <= 30) or not number.isalnum():
        raise InvalidInput(_("Enter the document number (5 to 30 letters and digits)."), field="id_number")
    return number


def clean_id_number(id_type: str, number: str, *, today: date) -> str:
    """The ID number in its stored form (resident IDs checked, others letters and digits), or InvalidInput."""
    if id_type not in ID_TYPES:
        raise InvalidInput(_("Choose the type of ID document."), field="id_type")
    if id_type == IdType.RESIDENT_ID:
        return parse_id(number, today=today).number
    return _document_number(number)


def clean_nationality(code: str) -> str:
    """A GB/T 2659 alpha-3 code (upper case), "" when none is given, or InvalidInput naming the code."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if not nationality.is_known(code):
        raise InvalidInput(
            _("Unknown nationality code: %(code)s. Choose the country that issued the passport from the list.")
            % {"code": code[:8]},
            field="nationality",
        )
    return code
