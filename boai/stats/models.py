"""Statistics keeps no figure of its own: each figure is declared by the app that owns its data
(``<app>/figures.py``) and collected here. It keeps what only statistics needs: the population of a
region in a year, which staff enter, for donors per million population."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from boai.core.models import Region


class RegionPopulation(models.Model):
    """The resident population of a prefecture (or the province, or a county) at the end of a year,
    as the statistics bureau publishes it."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveBigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("population of a region")
        ordering = ["-year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="stats_population_region_year")]

    def __str__(self):
        return f"{self.region_id} {self.year}"
