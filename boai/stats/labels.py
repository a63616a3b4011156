"""Readable names of statistics' audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "stats.population.changed": _("Population of a region entered"),
    "stats.report.exported": _("Annual report downloaded"),
    "stats.dashboard.exported": _("Statistics exported"),
}
