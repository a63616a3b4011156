"""The reads of the statistics dashboard: the published figures of a year against the year before, the
monthly trends, the map by prefecture with its drill-down by county, and the breakdowns. Every number
comes from a figure's own definition (``core.figures``) or from the owning app's breakdown of it
(``registry.selectors.registrations_by``, ``cases.selectors``), so the dashboard never disagrees with
the annual API or the report. The area is checked here: the user's own (``accounts.scoping``) or a part
of it, never another's."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.roles import REGION_SCOPED
from boai.accounts.scoping import user_region_prefix
from boai.cases import selectors as cases
from boai.cases.models import OrganCase
from boai.core.db_router import replica_reads
from boai.core.errors import InvalidInput
from boai.core.figures import figure
from boai.core.models import Region
from boai.core.people.vocabulary import Sex
from boai.lib import ethnic
from boai.outreach.selectors.campaigns import attribution_title
from boai.registry import selectors as registry
from boai.registry.models import Registration

from . import params
from .annual import PUBLISHED
from .params import FIRST_YEAR, this_year

FIGURE_CODES = dict(PUBLISHED)  # API name -> figure code
MAP_DEFAULT = "registrations"


@dataclass
class Table:
    """One chart's numbers: ``rows`` of (key, label, value); the same rows feed the chart, the table
    beside it and the Excel sheet."""

    id: str
    title: str
    column: str
    rows: list = field(default_factory=list)
    value_label: str = ""

    @property
    def total(self) -> int:
        return sum(v for _k, _l, v in self.rows)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": str(self.title),
            "column": str(self.column),
            "value_label": str(self.value_label),
            "rows": [{"key": k, "label": str(label), "value": v} for k, label, v in self.rows],
        }


def years() -> list[int]:
    """The years a user may choose, newest first."""
    return list(range(this_year(), FIRST_YEAR - 1, -1))


def parse_year(value: str | None) -> int:
    """The year asked for (this year, in Beijing time, when none is given); ``InvalidInput`` otherwise."""
    return params.parse_year(value, field="year") if (value or "").strip() else this_year()


def parse_figure(value: str | None) -> str:
    """The API name of the figure the map shows (registrations when none is given)."""
    if not value:
        return MAP_DEFAULT
    if value not in FIGURE_CODES:
        raise InvalidInput(_("There is no such figure to show on the map."), field="figure")
    return value


def home_region(user) -> Region | None:
    """The area the user works in (the province for the provincial centre, their prefecture or county
    for a branch); None for a user whose role is not scoped by region."""
    prefix = user_region_prefix(user) if user.role in REGION_SCOPED else None
    if not prefix:
        return None
    return Region.objects.filter(code=prefix.ljust(6, "0")).first()


def parse_region(user, value: str | None) -> Region:
    """The area asked for, inside the user's own (their own area when none is given). An unknown
    code, or an area outside the user's, is refused with ``InvalidInput`` (never shown, never a 500)."""
    return params.parse_region(user, value, field="region")[0]


def regions_for(user) -> list[Region]:
    """The areas the region selector offers: the user's own and the prefectures (or counties) in it."""
    home = home_region(user)
    if home is None:
        return []
    below = Region.objects.filter(parent=home).order_by("code")
    return [home, *below]


def figure_choices() -> list[tuple[str, str]]:
    return [(name, str(figure(code).label)) for name, code in PUBLISHED]


# --- the pieces ---------------------------------------------------------------------------------------


def key_figures(year: int, prefix: str) -> list[dict]:
    """Each published figure for ``year`` and the year before, with the change."""
    out = []
    for name, code in PUBLISHED:
        fig = figure(code)
        now, before = fig.count(year, prefix), fig.count(year - 1, prefix)
        change = None if not before else round((now - before) * 100 / before, 1)
        out.append(
            {"name": name, "label": str(fig.label), "value": now, "previous": before, "difference": now - before,
             "change": change}
        )  # fmt: skip
    return out


def monthly(year: int, prefix: str) -> dict:
    """Registrations, organ donations and body donations in each month of the year (Beijing time)."""
    months = [f"{m:02d}" for m in range(1, 13)]
    series = [
        ("registrations", figure("registry.registrations").label, registry.registrations_by("month", year, prefix)),
        ("organ_donations", figure("cases.organ_donations").label, cases.donations_by_month("organ", year, prefix)),
        ("body_donations", figure("cases.body_donations").label, cases.donations_by_month("body", year, prefix)),
    ]
    values = [[by.get(m, 0) for m in months] for _n, _l, by in series]
    return {
        "months": months,
        "series": [
            {"name": n, "label": str(label), "values": v} for (n, label, _by), v in zip(series, values, strict=True)
        ],
        "rows": [(m, [v[i] for v in values]) for i, m in enumerate(months)],
    }


def prefecture_values(year: int, region: Region, figure_name: str) -> list[tuple[Region, int]]:
    """The map: each prefecture inside ``region`` and its value of the figure."""
    fig = figure(FIGURE_CODES[figure_name])
    prefectures = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=region.prefix[:4])
    if region.level == Region.Level.PROVINCE:
        prefectures = Region.objects.filter(level=Region.Level.PREFECTURE, code__startswith=region.prefix)
    elif region.level == Region.Level.COUNTY:
        prefectures = prefectures.none()
    prefectures = prefectures.order_by("code")
    if figure_name == "registrations":  # one grouped read of the tally rather than one per prefecture
        by = Counter()
        for county, n in registry.registrations_by("county", year, region.prefix).items():
            by[county[:4]] += n
        return [(p, by[p.prefix]) for p in prefectures]
    return [(p, fig.count(year, p.prefix)) for p in prefectures]


def county_values(year: int, region: Region, figure_name: str) -> list[tuple[Region, int]]:
    """The drill-down: each county of a prefecture (or the county itself) and its value of the figure."""
    if region.level == Region.Level.PROVINCE:
        return []
    counties = Region.objects.filter(level=Region.Level.COUNTY, code__startswith=region.prefix).order_by("code")
    if figure_name == "registrations":
        by = registry.registrations_by("county", year, region.prefix)
        return [(c, by.get(c.code, 0)) for c in counties]
    fig = figure(FIGURE_CODES[figure_name])
    return [(c, fig.count(year, c.prefix)) for c in counties]


AGE_LABELS = {"<18": gettext_lazy("Under 18")}
WISH_LABELS = {"organs": gettext_lazy("Organs"), "tissues": gettext_lazy("Tissues"), "body": gettext_lazy("Body")}


def _labelled(by: dict, label, order=None) -> list[tuple[str, str, int]]:
    keys = order if order is not None else sorted(by, key=lambda k: (-by[k], k))
    return [(k, label(k), by.get(k, 0)) for k in keys if by.get(k, 0) or order is not None]


def _choice_label(choices, unknown):
    names = dict(choices)
    return lambda k: names.get(k, unknown if not k else k)


def _campaign_label(code: str) -> str:
    return (attribution_title(code) or code) if code else _("No campaign")


def breakdowns(year: int, prefix: str) -> list[Table]:
    """Registrations by sex, age group, ethnic group, donation type, channel and campaign; organ
    donations by donation category."""
    not_recorded = _("Not recorded")
    by = {dim: registry.registrations_by(dim, year, prefix) for dim in ("sex", "age_group", "ethnic_group")}
    by |= {dim: registry.registrations_by(dim, year, prefix) for dim in ("wish", "channel", "campaign")}
    ages = [g for g in ("<18",) if by["age_group"].get(g)] + [
        f"{low}+" if high >= 200 else f"{low}-{high}" for low, high in registry.AGE_GROUPS
    ]
    categories = cases.organ_donations_by_category(year, prefix)
    registrations = _("Registrations")
    return [
        Table("sex", _("Registrations by sex"), _("Sex"),
              _labelled(by["sex"], _choice_label(Sex.choices, not_recorded)), registrations),
        Table("age", _("Registrations by age group"), _("Age group (age reached in the year signed)"),
              _labelled(by["age_group"], lambda k: AGE_LABELS.get(k, k), ages), registrations),
        Table("ethnic", _("Registrations by ethnic group"), _("Ethnic group"),
              _labelled(by["ethnic_group"], lambda k: ethnic.label(k) if k else not_recorded), registrations),
        Table("wish", _("Registrations by donation type"), _("Donation type (one registration may offer several)"),
              _labelled(by["wish"], lambda k: WISH_LABELS.get(k, k), list(WISH_LABELS)), registrations),
        Table("channel", _("Registrations by channel"), _("Channel"),
              _labelled(by["channel"], _choice_label(Registration.Channel.choices, not_recorded)), registrations),
        Table("campaign", _("Registrations by campaign"), _("Campaign"),
              _labelled(by["campaign"], _campaign_label), registrations),
        Table("category", _("Organ donations by donation category"), _("Donation category"),
              _labelled(categories, _choice_label(OrganCase.Category.choices, not_recorded),
                        [c for c, _l in OrganCase.Category.choices] + ([""] if categories.get("") else [])),
              str(figure("cases.organ_donations").label)),
    ]  # fmt: skip


@replica_reads()
def dashboard(*, year: int, region: Region, figure_name: str) -> dict:
    """Everything the page and its data endpoint show, for one year, area and map figure; read from the
    replica when there is one (``core.db_router``)."""
    fig = figure(FIGURE_CODES[figure_name])
    return {
        "year": year,
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "figure": {"name": figure_name, "label": str(fig.label)},
        "key_figures": key_figures(year, region.prefix),
        "monthly": monthly(year, region.prefix),
        "prefectures": [
            {"code": p.code, "name": p.name, "value": n} for p, n in prefecture_values(year, region, figure_name)
        ],
        "counties": [{"code": c.code, "name": c.name, "value": n} for c, n in county_values(year, region, figure_name)],
        "breakdowns": [t.as_json() for t in breakdowns(year, region.prefix)],
    }
