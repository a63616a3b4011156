from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from boai.accounts.roles import REGION_SCOPED, UNIT_SCOPED
from boai.core.models import Region
from boai.lib.home import panels_for


@login_required
def home(request):
    """Each role's work: the panels every app declares in its ``home.py`` (``lib.home``)."""
    context = {"breadcrumbs": [(_("Home"), None)], "panels": panels_for(request.user)}
    user = request.user
    # a unit's staff see their unit's records, not their region's (accounts.scoping)
    context["scope_region"] = (
        Region.objects.filter(code=user.organization.region_id).first()
        if user.organization_id and user.role in REGION_SCOPED
        else None
    )
    context["scope_unit"] = user.organization_id and user.role in UNIT_SCOPED
    return render(request, "workspace/home.html", context)
