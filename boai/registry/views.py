from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError
from boai.core.pagination import paginate

from . import selectors, services
from .models import Registration

SEARCH_KEY = "registry_search"


def registration_list(request):
    """The list. The search term may be a name, an ID number or a phone: it travels in a POST body
    and is kept in the session, never in the URL (URLs end up in proxy logs and browser history)."""
    if not request.user.has_perm("records.view"):
        raise PermissionDenied
    if request.method == "POST":
        request.session[SEARCH_KEY] = request.POST.get("q", "").strip()[:100]
        status = request.POST.get("status", "")
        if not request.htmx:
            return redirect(
                f"{reverse('registry:list')}?{urlencode({'status': status})}" if status else reverse("registry:list")
            )
    else:
        if request.GET.get("clear"):
            request.session.pop(SEARCH_KEY, None)
        status = request.GET.get("status", "")
    search = request.session.get(SEARCH_KEY, "")
    status = status if status in Registration.Status.values else ""
    qs = selectors.registration_list(user=request.user, search=search, status=status)
    context = {
        "page": paginate(request, qs),
        "q": search,
        "status": status,
        "statuses": Registration.Status.choices,
        "breadcrumbs": [(_("Registrations"), None)],
    }
    if request.htmx:
        response = render(request, "registry/_registration_table.html", context)
        response["HX-Push-Url"] = (
            f"{reverse('registry:list')}?{urlencode({'status': status})}" if status else reverse("registry:list")
        )
        return response
    return render(request, "registry/registration_list.html", context)


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
