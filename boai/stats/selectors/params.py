"""The parameters every statistics page and the API take, parsed in one place with one wording per
error: a year (2000 to this year, Beijing time) and a region code of 2, 4 or 6 digits ("53", "5301",
"530100" and "530000" name areas; "530102" a county) inside the user's own area."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from boai.accounts.scoping import user_region_prefix
from boai.core.errors import InvalidInput
from boai.core.figures import SHANGHAI
from boai.core.models import Region, region_prefix

FIRST_YEAR = 2000  # the centre's records start later; earlier years are a typing mistake
MAX_SPAN = 10  # years in one summary or period


class UnknownRegion(InvalidInput):
    code = "unknown_region"


class OutsideArea(InvalidInput):
    code = "outside_area"


def this_year() -> int:
    return datetime.now(SHANGHAI).year


def parse_year(text, *, field: str | None = None) -> int:
    """The year written in ``text`` (four digits, 2000 to this year); InvalidInput otherwise."""
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise InvalidInput(_("Give the year, such as 2025."), field=field)
    last = this_year()
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= last:
        raise InvalidInput(
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": last}, field=field
        )
    return int(raw)


def check_span(first: int, last: int, *, field: str | None = None) -> None:
    if last < first:
        raise InvalidInput(_("The last year cannot come before the first."), field=field)
    if last - first + 1 > MAX_SPAN:
        raise InvalidInput(_("A period is at most %(n)s years.") % {"n": MAX_SPAN}, field=field)


def parse_region(user, text, *, field: str | None = None) -> tuple[Region, str]:
    """The region named by ``text`` (2, 4 or 6 digits; empty: the user's own area) and its prefix.
    UnknownRegion for a code naming no region, OutsideArea for one outside the user's area."""
    own = user_region_prefix(user) if user is not None else None
    if not own:
        raise OutsideArea(_("Your account has no area: ask an administrator to attach it to a branch."), field=field)
    raw = str(text if text is not None else "").strip() or own
    region = None
    if raw.isascii() and raw.isdigit() and len(raw) in (2, 4, 6):
        code = raw.ljust(6, "0")
        prefix = region_prefix(code)
        if len(raw) == 6 or len(prefix) == len(raw):  # "5300" is no prefix
            region = Region.objects.filter(code=code).first()
    if region is None:
        raise UnknownRegion(_("No region has the code %(code)s.") % {"code": raw}, field=field)
    if not region.prefix.startswith(own):
        raise OutsideArea(_("The region %(code)s is outside your area.") % {"code": raw}, field=field)
    return region, region.prefix
