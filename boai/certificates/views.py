"""Certificate pages: the register, one certificate (print, void, lost, return), the stock (batches,
hand-outs, confirmations), issuing for a case, the reconciliation, and the public verification."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, visible
from boai.cases.models import OrganCase
from boai.core import ratelimits
from boai.core.errors import DomainError
from boai.core.interface import form_error, remembered_search, require_perm
from boai.core.models import Attachment
from boai.core.responses import attachment_response, table_download
from boai.lib import sheets
from boai.lib.pagination import paginate
from boai.lib.pdf import qr_svg_data_uri, render_pdf

from . import selectors, services
from .forms import BatchForm, FilterForm, HandOutForm, IssueForm, LostForm, PeriodForm, ReturnForm, VoidForm
from .models import Certificate, Kind, State, StockTransfer

SEARCH_KEY = "certificate_search"
PRINTED = (Kind.ORGAN, Kind.BODY_RECEPTION, Kind.BODY_HONOUR)  # the kinds printed as certificates

# The pages of each stock kind: URL names and what they call the blanks.
STOCK_PAGES = {
    Kind.ORGAN: {
        "stock": "certificates:stock",
        "reconciliation": "certificates:reconciliation",
        "title": gettext_lazy("Organ donation certificate stock"),
        "crumb": gettext_lazy("Organ certificate stock"),
        "reconciliation_title": gettext_lazy("Reconciliation of organ donation certificates"),
        "column": gettext_lazy("Certificates"),
        "hand_confirm": gettext_lazy("Hand these certificates to the unit?"),
        "receipt_confirm": gettext_lazy("Confirm that your unit received every certificate of this range?"),
        "balanced": gettext_lazy("The stock balances: every certificate is accounted for."),
        "issued": gettext_lazy("Issued"),
        "on_hand": ngettext_lazy(
            "%(n)d blank certificate on hand at the units you see.",
            "%(n)d blank certificates on hand at the units you see.",
            "n",
        ),
        "in_province": ngettext_lazy(
            "%(n)d blank certificate in the province's own stock, not yet handed out.",
            "%(n)d blank certificates in the province's own stock, not yet handed out.",
            "n",
        ),
        "batch_done": gettext_lazy("%(n)d blank certificates are in stock."),
        "handed_done": gettext_lazy("%(n)d certificates handed to %(unit)s: the unit confirms receipt."),
        "received_done": gettext_lazy("Receipt confirmed: %(n)d certificates are in your stock."),
    },
    Kind.ORGAN_CONSENT: {
        "stock": "certificates:consent_stock",
        "reconciliation": "certificates:consent_reconciliation",
        "title": gettext_lazy("Organ donation consent form stock"),
        "crumb": gettext_lazy("Consent form stock"),
        "reconciliation_title": gettext_lazy("Reconciliation of organ donation consent forms"),
        "column": gettext_lazy("Consent forms"),
        "hand_confirm": gettext_lazy("Hand these consent forms to the unit?"),
        "receipt_confirm": gettext_lazy("Confirm that your unit received every consent form of this range?"),
        "balanced": gettext_lazy("The stock balances: every consent form is accounted for."),
        "issued": gettext_lazy("Used"),
        "on_hand": ngettext_lazy(
            "%(n)d blank consent form on hand at the units you see.",
            "%(n)d blank consent forms on hand at the units you see.",
            "n",
        ),
        "in_province": ngettext_lazy(
            "%(n)d blank consent form in the province's own stock, not yet handed out.",
            "%(n)d blank consent forms in the province's own stock, not yet handed out.",
            "n",
        ),
        "batch_done": ngettext_lazy(
            "%(n)d blank consent form is in stock.", "%(n)d blank consent forms are in stock.", "n"
        ),
        "handed_done": gettext_lazy("%(n)d consent forms handed to %(unit)s: the unit confirms receipt."),
        "received_done": gettext_lazy("Receipt confirmed: %(n)d consent forms are in your stock."),
    },
}


def _stock_counts(page: dict, overview) -> list[str]:
    """The lead line of the stock page: blanks at the units, and at the province for the province."""
    lines = [page["on_hand"] % {"n": overview.on_hand}]
    if overview.is_province:
        lines.append(page["in_province"] % {"n": overview.in_province})
    return lines


def _crumbs(*more):
    return [(_("Certificates"), reverse("certificates:list")), *more]


def certificate_list(request):
    require_perm(request, "certificates.view")
    search = remembered_search(request, SEARCH_KEY, max_length=40)  # encrypted in the session
    if request.method == "POST":
        return redirect(f"{reverse('certificates:list')}?{request.GET.urlencode()}")
    filters = FilterForm(request.GET or None)
    query = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.certificate_list(
        user=request.user, kind=query.get("kind", ""), state=query.get("state", ""), search=search
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, qs, request.GET["format"])
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "q": search,
            "query": request.GET.urlencode(),
            "can_export": request.user.has_perm("certificates.export"),
            "can_reconcile": selectors.may_reconcile(request.user),
            "breadcrumbs": [(_("Certificates"), None)],
        },
    )


def _export_rows(qs):
    for c in qs.iterator(chunk_size=2000):
        yield [
            c.get_kind_display(),
            c.number,
            c.state_label,
            c.unit.name if c.unit else "",
            c.case.number if c.case else "",
            c.donor_name,
            c.recipient_name,
            c.issued_on.isoformat() if c.issued_on else "",
            c.void_reason,
        ]


def _export(request, qs, fmt):
    require_perm(request, "certificates.export")
    header = [
        _("Kind"),
        _("Certificate number"),
        _("State"),
        _("Unit"),
        _("Case"),
        _("Donor"),
        _("Issued to"),
        _("Issued on"),
        _("Reason"),
    ]
    services.certificates_exported(actor=request.user, filters=request.GET.dict(), fmt=fmt)
    return table_download(stem="certificates", title=_("Certificates"), header=header, rows=_export_rows(qs), fmt=fmt)


def _certificate(request, pk) -> Certificate:
    require_perm(request, "certificates.view")
    return get_for_user(request.user, Certificate, pk)


# the actions on one certificate: form class, the service's own rule for whether the user may take it
ACTIONS = {
    "void_form": (VoidForm, services.void_refusal),
    "lost_form": (LostForm, services.lost_refusal),
    "return_form": (ReturnForm, services.return_refusal),
}


def _events(cert: Certificate) -> list:
    """The certificate's history, each move named as this kind names it."""
    events = list(cert.events.select_related("actor", "unit"))
    for e in events:
        e.label = cert.label_of(e.to_state)
    return events


def certificate_detail(request, pk, **forms_):
    cert = _certificate(request, pk)
    user = request.user
    initial = {"version": cert.version}
    # an action's form only where its service would take it: this user, this certificate as it is now
    action_forms = {
        key: forms_.get(key) or form_class(initial=initial)
        for key, (form_class, refusal) in ACTIONS.items()
        if refusal(actor=user, certificate=cert) is None
    }
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "c": cert,
            "events": _events(cert),
            "photos": Attachment.objects.filter(owner_type="certificates.certificate", owner_id=str(cert.pk)),
            "printable": _printable(cert),
            "void_form": action_forms.get("void_form"),
            "lost_form": action_forms.get("lost_form"),
            "return_form": action_forms.get("return_form"),
            "can_reissue": services.reissue_refusal(actor=user, certificate=cert) is None,
            "breadcrumbs": _crumbs((cert.number, None)),
        },
    )


def _act(request, pk, key, perform, done):
    """Take one action on a certificate. A refusal of the action itself (not allowed, no longer possible,
    changed meanwhile) is a message above the certificate as it is now, with only the actions still
    possible; a wrong input stays on its form."""
    cert = _certificate(request, pk)
    form_class, refusal_of = ACTIONS[key]
    refusal = refusal_of(actor=request.user, certificate=cert)
    if refusal is not None:
        messages.error(request, str(refusal.message))
        return certificate_detail(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            perform(cert, form.cleaned_data)
        except DomainError as exc:
            if exc.field not in form.fields:
                messages.error(request, str(exc.message))
                return certificate_detail(request, pk)
            form.add_error(exc.field, str(exc.message))
        else:
            messages.success(request, done)
            return redirect("certificates:detail", pk=pk)
    return certificate_detail(request, pk, **{key: form})


@require_POST
def certificate_void(request, pk):
    return _act(
        request,
        pk,
        "void_form",
        lambda cert, d: services.certificate_void(
            actor=request.user, certificate=cert, reason=d["reason"], photo=d.get("photo"), version=d["version"]
        ),
        _("The certificate was voided. Its number is kept and never used again."),
    )


@require_POST
def certificate_lost(request, pk):
    return _act(
        request,
        pk,
        "lost_form",
        lambda cert, d: services.certificate_report_lost(
            actor=request.user, certificate=cert, note=d["note"], version=d["version"]
        ),
        _("The certificate is reported lost."),
    )


@require_POST
def certificate_return(request, pk):
    return _act(
        request,
        pk,
        "return_form",
        lambda cert, d: services.certificate_return(
            actor=request.user, certificate=cert, note=d["note"], version=d["version"]
        ),
        _("The certificate is returned to the province."),
    )


@require_POST
def certificate_reissue(request, pk):
    cert = _certificate(request, pk)
    require_perm(request, "certificates.body")
    if cert.body_case is None:
        raise Http404
    refusal = services.reissue_refusal(actor=request.user, certificate=cert)
    if refusal is None:
        try:
            new = services.body_certificate_issue(actor=request.user, case=cert.body_case, kind=cert.kind)
        except DomainError as exc:
            refusal = exc
    if refusal is not None:
        messages.error(request, str(refusal.message))
        return redirect("certificates:detail", pk=pk)
    messages.success(request, _("Certificate %(number)s issued.") % {"number": new.number})
    return redirect("certificates:detail", pk=new.pk)


def verify_url(request, cert: Certificate) -> str:

    query = {"number": cert.number, "code": cert.check_code} if cert.check_code else {"number": cert.number}
    path = f"{reverse('public_certificates:verify')}?{urlencode(query)}"
    base = settings.BOAI_PUBLIC_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _pdf_response(request, certs, filename):
    pages = [{"c": c, "qr": qr_svg_data_uri(verify_url(request, c)), "url": verify_url(request, c)} for c in certs]
    with translation.override("zh-hans"):  # a certificate is an official paper: always in Chinese
        pdf = render_pdf("certificates/certificate_pdf.html", {"pages": pages})
    services.certificates_printed(actor=request.user, certificates=certs)  # printed: only once there is a PDF
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _printable(cert: Certificate) -> bool:
    """A certificate given to a family (or voided after): a blank (even a spoiled one) and a consent form
    (the family signed the paper itself) have nothing to print."""
    return cert.state in (State.ISSUED, State.VOIDED) and cert.issued_on is not None and cert.kind in PRINTED


def certificate_pdf(request, pk):
    cert = _certificate(request, pk)
    if not _printable(cert):
        raise Http404
    return _pdf_response(request, [cert], f"certificate-{cert.pk}.pdf")


@require_POST
def certificate_print(request):
    """Several certificates in one PDF: the ones ticked on the register."""
    require_perm(request, "certificates.view")
    ids = [i for i in request.POST.getlist("ids") if i.isascii() and i.isdecimal() and len(i) <= 15][:200]
    certs = list(
        visible(request.user, Certificate, perm="certificates.view")
        .filter(pk__in=ids, state__in=(State.ISSUED, State.VOIDED), issued_on__isnull=False, kind__in=PRINTED)
        .order_by("kind", "number")
    )
    if not certs:
        messages.error(request, _("Tick the issued certificates to print."))
        return redirect("certificates:list")
    return _pdf_response(request, certs, "certificates.pdf")


# --- stock ------------------------------------------------------------------------------------


def stock(request, kind=Kind.ORGAN):
    require_perm(request, "certificates.view")
    page = STOCK_PAGES[kind]
    user = request.user
    is_province = user.has_perm("certificates.stock")
    batch_form, hand_form = BatchForm(prefix="batch"), HandOutForm(prefix="hand")
    if request.method == "POST":
        if not is_province:
            raise PermissionDenied
        if "batch-serial_from" in request.POST:
            batch_form = BatchForm(request.POST, prefix="batch")
            if batch_form.is_valid():
                try:
                    batch = services.batch_receive(actor=user, kind=kind, **batch_form.cleaned_data)
                except DomainError as exc:
                    form_error(batch_form, exc)
                else:
                    messages.success(request, page["batch_done"] % {"n": batch.size})
                    return redirect(page["stock"])
        else:
            hand_form = HandOutForm(request.POST, prefix="hand")
            if hand_form.is_valid():
                try:
                    transfer = services.stock_hand_out(actor=user, kind=kind, **hand_form.cleaned_data)
                except DomainError as exc:
                    form_error(hand_form, exc)
                else:
                    messages.success(request, page["handed_done"] % {"n": transfer.count, "unit": transfer.unit.name})
                    return redirect(page["stock"])
    overview = selectors.stock_overview(user=user, kind=kind)
    return render(
        request,
        "certificates/stock.html",
        {
            "is_province": overview.is_province,
            "is_unit": overview.is_unit,
            "batch_form": batch_form,
            "hand_form": hand_form,
            "batches": overview.batches,
            "transfers": overview.transfers,
            "on_hand": overview.on_hand,
            "in_province": overview.in_province,
            "counts": _stock_counts(page, overview),
            "can_reconcile": selectors.may_reconcile(request.user),
            "page": page,
            "other_kinds": [(p["crumb"], reverse(p["stock"])) for k, p in STOCK_PAGES.items() if k != kind],
            "breadcrumbs": _crumbs((page["crumb"], None)),
        },
    )


@require_POST
def transfer_confirm(request, pk):
    require_perm(request, "certificates.unit")
    transfer = get_for_user(request.user, StockTransfer, pk)
    try:
        services.transfer_confirm(actor=request.user, transfer=transfer)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, STOCK_PAGES[transfer.kind]["received_done"] % {"n": transfer.count})
    return redirect(STOCK_PAGES[transfer.kind]["stock"])


def issue(request, case_pk):
    """A unit issues an organ donation certificate for one of its closed cases. When it cannot, the page
    says why instead of offering a form."""
    require_perm(request, "certificates.unit")
    case = get_for_user(request.user, OrganCase, case_pk)
    refusal = services.organ_issue_refusal(actor=request.user, case=case, check_stock=True)
    form = None
    if refusal is None:
        form = IssueForm(request.POST or None, unit=request.user.organization, dates=services.issue_date_range(case))
        if request.method == "POST" and form.is_valid():
            try:
                cert = services.organ_certificate_issue(actor=request.user, case=case, **_issue_data(form.cleaned_data))
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Certificate %(number)s issued.") % {"number": cert.number})
                return redirect("certificates:detail", pk=cert.pk)
    return render(
        request,
        "certificates/issue.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal.message if refusal is not None else None,
            "breadcrumbs": [
                (_("Organ donation cases"), reverse("cases:list", args=["organ"])),
                (case.number, reverse("cases:detail", args=["organ", case.pk])),
                (_("Issue the certificate"), None),
            ],
        },
    )


def _issue_data(data):
    return {k: v for k, v in data.items() if k != "version"}


# --- reconciliation -------------------------------------------------------------------------------


def reconciliation(request, kind=Kind.ORGAN):
    require_perm(request, "certificates.view")
    page = STOCK_PAGES[kind]
    user = request.user
    if not selectors.may_reconcile(user):
        raise PermissionDenied
    period = PeriodForm(request.GET or None)
    dates = period.cleaned_data if period.is_valid() else {}
    since = dates.get("since")
    result, rows = selectors.reconciliation_for(user=user, kind=kind, since=since, until=dates.get("until"))
    header = [
        _("Unit"),
        _("Received"),
        str(page["issued"]),
        _("Voided"),
        _("Lost"),
        _("Returned"),
        _("On hand"),
        _("Handed, not yet confirmed"),
        _("Blank at the province"),
        _("Difference"),
    ]
    if request.GET.get("format") == "xlsx" and not period.errors:  # a wrong period: the page says so, no file
        flags = [[_("Missing serial"), n] for n in result.missing] + [
            [_("State differs from its history"), n] for n in result.mismatched
        ]
        services.certificates_exported(
            actor=user, filters={"reconciliation": request.GET.dict(), "kind": kind}, fmt="xlsx"
        )
        return FileResponse(
            sheets.xlsx_file(_("Reconciliation"), header, [*rows, [], *flags]),
            as_attachment=True,
            filename=f"reconciliation-{kind}-{timezone.localdate():%Y%m%d}.xlsx",
        )
    return render(
        request,
        "certificates/reconciliation.html",
        {
            "period": period,
            "result": result,
            "header": header,
            "rows": rows,
            "moves": [(b.unit, b.moves) for b in result.units] if since else [],
            "states": State,
            "query": request.GET.urlencode(),
            "page": page,
            "breadcrumbs": _crumbs((page["crumb"], reverse(page["stock"])), (_("Reconciliation"), None)),
        },
    )


# --- public verification ------------------------------------------------------------------------


def verify(request):
    """Anyone may check a certificate by its number (typed, or from the QR code): the minimum only; the
    date and the masked name only with the check code printed beside the number (and in the QR link)."""
    number = request.GET.get("number", "")[: selectors.MAX_TYPED].strip()
    code = request.GET.get("code", "")[: selectors.MAX_TYPED].strip()
    year = timezone.localdate().year
    examples = [
        services.certificate_number(Kind.ORGAN, serial=1001),
        services.certificate_number(Kind.BODY_RECEPTION, year=year, sequence=1),
    ]
    context = {"number": number, "code": code, "found": None, "examples": examples}
    status = 200
    if number:
        if ratelimits.exceeded(request, "verify"):
            context["limited"] = True
            status = 429
        else:
            context["found"] = selectors.verify(number, code)
            status = 200 if context["found"] else 404
    return render(request, "certificates/verify.html", context, status=status)


def photo(request, pk, attachment_id):
    cert = _certificate(request, pk)
    attachment = get_object_or_404(
        Attachment, pk=attachment_id, owner_type="certificates.certificate", owner_id=str(cert.pk)
    )
    response = attachment_response(
        attachment, f"{cert.pk}-{attachment.kind}"
    )  # opens the file first: a missing one is no "viewed"
    services.certificate_photo_viewed(certificate=cert, attachment=attachment, actor=request.user)
    return response
