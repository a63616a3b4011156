"""The public portal: register a wish, the e-card, the verification page, and looking up,
withdrawing or downloading one's own registration after proving the registered phone."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from boai.core.errors import DomainError, InvalidFields
from boai.core.interface import form_error
from boai.core.ratelimits import rate_limit
from boai.lib.context import current_context
from boai.lib.masking import mask_name
from boai.lib.pdf import qr_svg_data_uri, render_pdf

from . import extensions, notices, selectors, services
from .forms import LookupForm, OnlineRegistrationForm, PortalAmendForm, WithdrawForm
from .models import Registration

PROVEN = "portal_registration"  # session: the registration whose phone this visitor proved
PROVEN_SECONDS = 15 * 60


def _prove(request, reg: Registration) -> None:
    request.session.cycle_key()
    request.session[PROVEN] = {"id": reg.pk, "until": time.time() + PROVEN_SECONDS}


def _proven(request) -> Registration | None:
    data = request.session.get(PROVEN) or {}
    if not data or data.get("until", 0) < time.time():
        return None
    return Registration.objects.filter(pk=data["id"], erased_at__isnull=True).select_related("region").first()


def verify_url(request, reg: Registration) -> str:
    base = settings.BOAI_PUBLIC_URL.rstrip("/") if settings.BOAI_PUBLIC_URL else request.build_absolute_uri("/")[:-1]
    return f"{base}{reverse('portal:verify', args=[reg.verify_code])}"


def _check_whole_form(form, consent_version) -> bool:
    """Django's checks of each field and the service's rules together, so that every error shows in
    one round; a field that failed its own check keeps that message."""
    valid = form.is_valid()
    try:
        services.registration_online_check(
            data=form.person_data(), consent_version=consent_version, today=timezone.localdate()
        )
    except InvalidFields as exc:
        for name, messages_ in exc.errors.items():
            if name in form.errors:
                continue
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
        return False
    return valid


def _demo_outbox() -> str:
    """Where a code goes when no SMS leaves the machine (``make run``): the file outbox, else ''."""
    if not settings.DEMO or not settings.BOAI_SMS_BACKEND.endswith(".FileBackend"):
        return ""
    path = Path(settings.BOAI_SMS_OUTBOX)
    try:
        return str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)


@sensitive_post_parameters("id_number", "phone", "code", "executor_phone")
def register(request):
    """The whole form is checked before a code is sent (every error at once, named in a summary at the
    top). "Send code" from htmx answers with the form alone, swapped in place: the message beside the
    code field, the focus on it, the button counting down; without JavaScript the page reloads the same."""
    form = OnlineRegistrationForm(request.POST or None, initial={"campaign": request.GET.get("c", "")[:32]})
    code_sent = request.session.get("portal_code_sent_to")
    just_sent = False
    action = request.POST.get("action")
    if request.method == "POST":
        consent_version = notices.CURRENT if request.POST.get("consent") else None
        ip = current_context().ip
        try:
            if _check_whole_form(form, consent_version):
                if action == "send_code":
                    data = services.registration_request_code(
                        data=form.person_data(), consent_version=consent_version, ip=ip
                    )
                    code_sent = data.phone[-4:]
                    request.session["portal_code_sent_to"] = code_sent
                    just_sent = True
                    form.fields["code"].widget.attrs["autofocus"] = True  # the next thing to do, even without JS
                else:
                    return _registered(
                        request,
                        services.registration_register_online(
                            data=form.person_data(),
                            code=form.cleaned_data.get("code", ""),
                            ip=ip,
                            consent_version=consent_version,
                        ),
                    )
        except DomainError as exc:
            form_error(form, exc)
    context = {
        "form": form,
        "notice": notices.text(),
        "notice_version": notices.CURRENT,
        "code_sent": code_sent,
        "just_sent": just_sent,
        "countdown": settings.BOAI_SMS_MIN_INTERVAL_SECONDS,
        "demo_outbox": _demo_outbox(),
        "campaign_title": extensions.title_for(str(form["campaign"].value() or "")),
    }
    if request.headers.get("HX-Request") and action == "send_code":
        return render(request, "registry/portal/_register_form.html", context)
    return render(request, "registry/portal/register.html", context)


def _registered(request, result):
    request.session.pop("portal_code_sent_to", None)
    if result.registration is None:  # the neutral answer: nothing more is said here
        return redirect("portal:register_received")
    _prove(request, result.registration)
    if result.created:
        return redirect("portal:ecard")
    messages.info(
        request,
        _(
            "You registered before with this phone, so nothing new was added. Here is your "
            "registration: you can see your e-card, change it or withdraw it."
        ),
    )
    return redirect("portal:mine")


def register_received(request):
    """The neutral answer to a registration that added nothing: the ID number may be registered with
    another phone (that phone has been told), and how the holder can reach their registration."""
    return render(request, "registry/portal/received.html", {"answer": services.RECEIVED_ANSWER})


def _card_context(request, reg):
    return {"r": reg, "qr": qr_svg_data_uri(verify_url(request, reg)), "verify_url": verify_url(request, reg)}


def ecard(request):
    reg = _proven(request)
    if reg is None:
        messages.info(request, _("To see your e-card, look up your registration first."))
        return redirect("portal:lookup")
    return render(request, "registry/portal/ecard.html", _card_context(request, reg))


def ecard_pdf(request):
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    pdf = render_pdf("registry/portal/ecard_pdf.html", _card_context(request, reg))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="boai-ecard-{reg.number}.pdf"'
    return response


@rate_limit("lookup")
def verify(request, code):
    """Public: what the QR code on an e-card shows — only number, masked name, status and date."""
    if not code or len(code) > 32:
        raise Http404
    reg = get_object_or_404(Registration, verify_code=code, erased_at__isnull=True)
    return render(
        request,
        "registry/portal/verify.html",
        {
            "number": reg.number,
            "masked_name": mask_name(reg.name),
            "status": reg.get_status_display(),
            "status_code": reg.status,
            "date": timezone.localtime(reg.registered_at).date(),
        },
    )


@sensitive_post_parameters("id_number", "code")
@rate_limit("lookup", methods=("POST",))
def lookup(request):
    """The same answer whether the ID number is registered or not; with htmx, "send code" swaps the form
    in place (the answer beside the code field, the focus on it, the button counting down)."""
    form = LookupForm(request.POST or None)
    asked = request.session.get("portal_lookup_asked", False)
    just_sent = False
    action = request.POST.get("action")
    if request.method == "POST" and form.is_valid():
        ip = current_context().ip
        try:
            if action == "send_code":
                services.lookup_send_code(id_number=form.cleaned_data["id_number"], ip=ip)
                request.session["portal_lookup_asked"] = asked = just_sent = True
                form.fields["code"].widget.attrs["autofocus"] = True
            else:
                reg = services.lookup_verify(
                    id_number=form.cleaned_data["id_number"], code=form.cleaned_data.get("code", "")
                )
                request.session.pop("portal_lookup_asked", None)
                _prove(request, reg)
                return redirect("portal:mine")
        except DomainError as exc:
            form_error(form, exc)
    context = {
        "form": form,
        "asked": asked,
        "just_sent": just_sent,
        "answer": services.LOOKUP_ANSWER,
        "countdown": settings.BOAI_SMS_MIN_INTERVAL_SECONDS,
        "demo_outbox": _demo_outbox(),
    }
    if request.headers.get("HX-Request") and action == "send_code":
        return render(request, "registry/portal/_lookup_form.html", context)
    return render(request, "registry/portal/lookup.html", context)


def mine(request):
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    return render(request, "registry/portal/mine.html", {"r": reg, "withdraw_form": WithdrawForm()})


def withdraw(request):
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_withdraw(
                registration=reg,
                actor=services.CITIZEN,
                reason=form.cleaned_data["reason"],
                channel=Registration.Channel.ONLINE,
                ip=current_context().ip,
            )
            messages.success(request, _("Your registration has been withdrawn. You can register again at any time."))
            return redirect("portal:mine")
        except DomainError as exc:
            form_error(form, exc)
    return render(request, "registry/portal/mine.html", {"r": reg, "withdraw_form": form}, status=200)


@require_POST
def leave(request):
    request.session.pop(PROVEN, None)
    return redirect("core:home")


def my_data(request, fmt):
    """A copy of everything Boai holds about the person who proved the phone: JSON or PDF."""
    if fmt not in ("json", "pdf"):
        raise Http404
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    data = selectors.personal_data_copy(registration=reg)
    services.registration_data_copied(registration=reg, actor=services.CITIZEN, fmt=fmt)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    else:
        response = HttpResponse(
            render_pdf("registry/portal/my_data_pdf.html", {"d": data, "r": reg}), content_type="application/pdf"
        )
    response["Content-Disposition"] = f'attachment; filename="boai-my-data-{reg.number}.{fmt}"'
    return response


@require_POST
def erase(request):
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that your personal data should be erased."))
        return redirect("portal:mine")
    try:
        services.registration_erase(registration=reg, actor=services.CITIZEN, ip=current_context().ip)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:mine")
    request.session.pop(PROVEN, None)
    messages.success(request, _("Your personal data has been erased. Thank you for having considered donation."))
    return redirect("core:home")


@sensitive_post_parameters("executor_phone")
def change(request):
    """The registrant changes their county, address, wish or executor (after proving the phone)."""
    reg = _proven(request)
    if reg is None:
        return redirect("portal:lookup")
    initial = {
        "version": reg.version,
        "region": reg.region_id,
        "address": reg.address,
        "organs": reg.organs,
        "tissues": reg.tissues,
        "body": reg.body,
        "executor_name": reg.executor_name,
        "executor_relationship": reg.executor_relationship,
        "executor_phone": reg.executor_phone,
    }
    form = PortalAmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_amend(
                registration=reg, actor=services.CITIZEN, changes=form.changes(), version=form.cleaned_data["version"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("portal:mine")
    return render(request, "registry/portal/change.html", {"form": form, "r": reg})
