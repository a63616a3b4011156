"""Permission matrix rows of the pathway area: the page and its export, and an area outside a
prefecture's or county's own (refused with a message, 400)."""

from boai.core.tests.matrix_rules import EXPORTERS, VIEWERS, only


def _qujing(role, ctx):
    if role not in VIEWERS:
        return 403
    return 200 if role in ("prov_admin", "coordinator", "auditor") else 400


MATRIX = [
    ("workspace/stats/pathway/", "get", "/workspace/stats/pathway/", only(VIEWERS), 302),
    ("workspace/stats/pathway/", "get", "/workspace/stats/pathway/?region=530300", _qujing, 302),
    ("workspace/stats/pathway/export/", "get", "/workspace/stats/pathway/export/", only(EXPORTERS), 302),
]
