from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from boai.core.models import Region
from boai.registry.selectors import registration_counts


@login_required
def home(request):
    context = {"breadcrumbs": [(_("Home"), None)]}
    if request.user.has_perm("records.view"):
        context["counts"] = registration_counts(user=request.user)
    context["scope_region"] = (
        Region.objects.filter(code=request.user.organization.region_id).first()
        if request.user.organization_id
        else None
    )
    return render(request, "workspace/home.html", context)
