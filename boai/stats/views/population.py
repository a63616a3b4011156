"""The population table (staff, stats.population): enter a region's resident population for a year,
and the list of what is entered, filtered by year and searched by region. Thin: the rules live in
``services.population``, the reads in ``selectors.population``."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.core.forms import CharField
from boai.core.interface import form_saved, require_perm
from boai.lib.pagination import paginate

from ..selectors import population as selectors
from ..services import population as services


class PopulationForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Area"))
    year = CharField(label=gettext_lazy("Year"), max_length=4)
    population = CharField(
        label=gettext_lazy("Resident population (people)"),
        max_length=12,
        help_text=gettext_lazy("At the end of the year, as the statistics bureau publishes it."),
    )
    source = CharField(label=gettext_lazy("Source"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]
        # a region outside the list is the service's to refuse, with its message
        self.fields["region"].valid_value = lambda value: True


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    q = CharField(label=gettext_lazy("Area name or code"), max_length=32, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All"))] + [(y, y) for y in years]


def population_list(request):
    require_perm(request, "stats.population")
    user = request.user
    form = PopulationForm(request.POST or None, user=user)
    saved, _row = form_saved(
        request,
        form,
        lambda: services.population_set(
            actor=user,
            region=form.cleaned_data["region"],
            year=form.cleaned_data["year"],
            population=form.cleaned_data["population"].replace(",", "").replace("，", ""),
            source=form.cleaned_data["source"],
        ),
        success=lambda row: (
            _("The population of %(region)s in %(year)s was saved.") % {"region": row.region.name, "year": row.year}
        ),
    )
    if saved:
        return redirect(reverse("stats:population"))
    filters = FilterForm(request.GET or None, years=selectors.years_for(user), auto_id="filter_%s")
    filtered = filters.is_valid() if filters.is_bound else True
    query = filters.cleaned_data if filters.is_bound and filtered else {}
    page = paginate(request, selectors.entries_for(user, year=query.get("year"), q=query.get("q", "")))
    for row in page.object_list:
        row.grouped = f"{row.population:,}"  # 46,671,000, as the statistics bureau writes it, in both languages
    return render(
        request,
        "stats/population.html",
        {"form": form, "filters": filters, "page": page, "title": _("Population of the regions")},
        # a refused entry, or a filter that cannot be applied (its message beside the field): 400
        status=400 if request.method == "POST" or not filtered else 200,
    )


urlpatterns = [path("population/", population_list, name="population")]
