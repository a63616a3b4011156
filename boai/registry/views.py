from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError
from boai.core.pagination import paginate

from . import selectors, services
from .models import Registration


def registration_list(request):
    if not request.user.has_perm("records.view"):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    qs = selectors.registration_list(
        user=request.user, search=search, status=status if status in Registration.Status.values else ""
    )
    context = {
        "page": paginate(request, qs),
        "q": search,
        "status": status,
        "statuses": Registration.Status.choices,
        "breadcrumbs": [(_("Registrations"), None)],
    }
    template = "registry/_registration_table.html" if request.htmx else "registry/registration_list.html"
    return render(request, template, context)


def registration_detail(request, pk):
    if not request.user.has_perm("records.view"):
        raise PermissionDenied
    registration = get_for_user(request.user, Registration, pk)
    history = entries_for_object(registration)
    return render(
        request,
        "registry/registration_detail.html",
        {
            "r": registration,
            "history": history,
            "can_unmask": request.user.has_perm("records.unmask"),
            "breadcrumbs": [(_("Registrations"), reverse("registry:list")), (registration.number, None)],
        },
    )


@require_POST
def registration_unmask(request, pk):
    if not request.user.has_perm("records.unmask"):
        raise PermissionDenied
    registration = get_for_user(request.user, Registration, pk)
    try:
        values = services.registration_unmask(
            registration=registration, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        if request.htmx:
            return render(request, "registry/_unmask_form.html", {"r": registration, "error": exc.message}, status=200)
        messages.error(request, exc.message)
        return redirect("registry:detail", pk=pk)
    return render(request, "registry/_unmasked.html", {"r": registration, "values": values})
