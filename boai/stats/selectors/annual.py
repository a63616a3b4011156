"""The figures the centre publishes every year, by the names the annual API gives them. Each name is
one figure declared by the app that owns its data (``core.figures``); nothing is counted here."""

from boai.core.db_router import replica_reads
from boai.core.figures import figure

# (API name, figure code)
PUBLISHED = (
    ("registrations", "registry.registrations"),
    ("organ_donations", "cases.organ_donations"),
    ("organ_beneficiaries", "cases.beneficiaries"),
    ("body_donations", "cases.body_donations"),
    ("coordinators_national_training", "coordinators.national_training"),
    ("coordinators_newly_qualified", "coordinators.newly_qualified"),
    ("coordinators_excellent", "coordinators.excellent"),
    ("outreach_events", "outreach.events"),
    ("families_visited_households", "care.families_visited_households"),
    ("families_visited_person_visits", "care.families_visited_person_visits"),
    ("memorial_sites_new", "memorials.memorial_sites_new"),
    ("memorial_events", "memorials.memorial_events"),
    ("memorial_participants", "memorials.memorial_participants"),
)


@replica_reads()
def annual_figures(year: int, region_prefix: str) -> dict[str, int]:
    """Every published figure of ``year`` inside the area ``region_prefix``, by its API name (from the
    replica when there is one)."""
    return {name: int(figure(code).count(year, region_prefix)) for name, code in PUBLISHED}


def period_figures(first: int, last: int, region_prefix: str) -> dict[str, int]:
    """The published figures of the years ``first`` to ``last`` (both included), each summed over them."""
    totals = dict.fromkeys((name for name, _code in PUBLISHED), 0)
    for year in range(first, last + 1):
        for name, value in annual_figures(year, region_prefix).items():
            totals[name] += value
    return totals


def uses_of(code: str) -> list[str]:
    """The API names that publish the figure ``code``."""
    return [name for name, published in PUBLISHED if published == code]
