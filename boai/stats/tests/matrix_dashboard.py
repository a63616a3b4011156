"""Permission matrix rows of the dashboard area: the page, its JSON and its Excel download. The data
and the download ask for Kunming (530100): the province's roles and Kunming see it; a county branch
(Wuhua, inside Kunming, or Qilin, in Qujing) is refused with a message (400), never shown it."""

from boai.core.tests.matrix_rules import EXPORTERS, VIEWERS, only

SEE_KUNMING = {"prov_admin", "kunming_staff", "coordinator", "auditor"}


def kunming(allowed):
    return lambda role, ctx: 403 if role not in allowed else 200 if role in SEE_KUNMING else 400


MATRIX = [
    ("workspace/stats/", "get", "/workspace/stats/", only(VIEWERS), 302),
    ("workspace/stats/data/", "get", "/workspace/stats/data/?year=2025&region=530100", kunming(VIEWERS), 302),
    ("workspace/stats/export/", "get", "/workspace/stats/export/?year=2025&region=530100", kunming(EXPORTERS), 302),
]
