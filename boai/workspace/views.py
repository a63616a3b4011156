from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from boai.core.models import Region
from boai.lib.home import panels_for


@login_required
def home(request):
    """Each role's work: the panels every app declares in its ``home.py`` (``lib.home``)."""
    context = {"breadcrumbs": [(_("Home"), None)], "panels": panels_for(request.user)}
    context["scope_region"] = (
        Region.objects.filter(code=request.user.organization.region_id).first()
        if request.user.organization_id
        else None
    )
    return render(request, "workspace/home.html", context)
