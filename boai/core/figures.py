"""The figures the centre publishes, each defined once, by the app that owns its data.

An app declares its figures in ``<app>/figures.py``:

    FIGURES = [Figure(code="registry.registrations", label=_("Intent registrations"),
                      definition=_("…exactly what is counted…"), count=registrations_in_year)]

where ``count(year, region_prefix)`` counts in Asia/Shanghai time (a registration at 00:30 on
1 January Beijing time belongs to the new year) inside the area whose region codes start with
``region_prefix`` ("53" the province, "5301" a prefecture). Every page, export and report asks
``figure(code)`` for a number, so the same figure is the same number everywhere."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from boai.lib.plugins import collected

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Figure:
    code: str  # "<app>.<name>": stable, used by reports and the API
    label: str
    definition: str  # what is counted, in words a reader of the annual report understands
    count: Callable[[int, str], int]  # (year, region_prefix) -> the figure


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first instant of ``year`` and of the next one, in Beijing time."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def _by_code(found) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for config, figures in found:
        for fig in figures:
            if not fig.code.startswith(f"{config.label}."):
                raise ValueError(f"{fig.code}: a figure's code starts with the label of the app that defines it")
            if fig.code in out:
                raise ValueError(f"{fig.code} is defined twice")
            out[fig.code] = fig
    return out


def figures() -> dict[str, Figure]:
    """Every installed app's figures, by code, in ``INSTALLED_APPS`` order."""
    return collected("figures", "FIGURES", _by_code)


def figure(code: str) -> Figure:
    return figures()[code]
