"""Chinese resident ID numbers (GB 11643): normalise, validate, derive birth date and sex."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from .crypto import normalise


class InvalidIdNumber(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "length", "format", "checksum", "birth_date", "region"


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" or "F"
    region_code: str


@lru_cache(maxsize=8192)
@lru_cache(maxsize=4096)  # a static table; an import asks for the same few counties 100,000 times
def _known_region(code: str) -> bool:
    """The first six digits name a division that exists or once existed (python-stdnum's table).

    Not ``ric.validate``'s birth-place check: that one demands the county existed in the *birth* year,
    but numbers were issued where people lived in the 1980s and later, so a person born in 1968 in
    五华区 (code 530102 since 1983) holds a perfectly valid 530102 1968… number."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return "county" in info


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    number = normalise(value)
    if len(number) != 18:
        raise InvalidIdNumber("length")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise InvalidIdNumber("format")
    if ric.calc_check_digit(number) != number[17]:
        raise InvalidIdNumber("checksum")
    try:  # ric.get_birth_date without its clean-up again (the number is already normalised and checked)
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth_date") from exc
    if not _known_region(number[:6]):
        raise InvalidIdNumber("region")
    if birth > (today or date.today()):
        raise InvalidIdNumber("birth_date")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, region_code=number[:6])


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
