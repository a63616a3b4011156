"""Payment pages: the list (awaiting my decision first; filters, counts, export with a reason), the
application form from a family, one payment with its levels, reviews, ledger entries and the actions
this user may take (decide, withdraw, pay, reverse), a document's download, and the budgets. The
family page's panel lists the family's payments."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, sees
from boai.core.errors import DomainError
from boai.core.forms import CharField, DateField, ExportForm, MultipleFileField
from boai.core.interface import export_page, form_error, parse_version, require_perm
from boai.core.responses import attachment_response, table_download
from boai.core.workflow import RuleBroken
from boai.lib.money import AmountError, format_fen, parse_yuan
from boai.lib.pagination import paginate

from ..models import Family, LedgerEntry, Payment, PaymentKind, PaymentReview
from ..panels import family_panel
from ..selectors import payments as selectors
from ..selectors.families import areas_for
from ..services import payments as services
from ..workflow import LEVEL_NAMES, approvers

# --- forms ------------------------------------------------------------------------------------------


class YuanField(CharField):
    """An amount in yuan as typed ("1,000.50", "１０００元") → integer fen (``boai.lib.money``)."""

    def __init__(self, *args, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return parse_yuan(value, allow_zero=self.allow_zero)
        except AmountError as exc:
            raise forms.ValidationError(str(exc.message)) from exc


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of payment"), choices=PaymentKind.choices)
    amount = YuanField(label=gettext_lazy("Amount (yuan)"), help_text=gettext_lazy("For example 5000 or 5,000.50"))
    reason = CharField(
        label=gettext_lazy("Why the family should receive it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    documents = MultipleFileField(
        label=gettext_lazy("Documents"),
        required=False,  # the service refuses an application without one, with its own message
        help_text=gettext_lazy(
            "At least one: scans of the application and supporting papers, PDF, JPEG or PNG, several at once."
        ),
    )


class VersionForm(forms.Form):
    """The payment's version the page was read at: a decision on an older page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False)


class ReviewForm(VersionForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (PaymentReview.Decision.APPROVED, pgettext_lazy("review decision", "Approve")),
            (PaymentReview.Decision.REJECTED, pgettext_lazy("review decision", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = CharField(
        label=gettext_lazy("Reason (required for a rejection)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )


class PayForm(VersionForm):
    paid_on = DateField(label=gettext_lazy("Paid on"))
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=LedgerEntry.Method.choices)
    voucher = CharField(label=gettext_lazy("Voucher number"), max_length=64)
    note = CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class ReverseForm(VersionForm):
    reason = CharField(
        label=gettext_lazy("Why the payment is reversed"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), choices=[("", gettext_lazy("All")), *Payment.State.choices], required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[("", gettext_lazy("All")), *PaymentKind.choices], required=False
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    county = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Only those awaiting my decision"), required=False)
    payable = forms.BooleanField(label=gettext_lazy("Only those approved for me to pay"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # only the areas inside the user's own (as the families list): never counties they cannot see
        self.fields["county"].choices = [("", gettext_lazy("All"))] + [(r.code, r.name) for r in areas_for(user)]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "state": data.get("state", ""),
            "kind": data.get("kind", ""),
            "year": data.get("year"),
            "county": data.get("county", ""),
            "mine": data.get("mine", False),
            "payable": data.get("payable", False),
        }


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of payment"), choices=PaymentKind.choices)
    region = forms.ChoiceField(label=gettext_lazy("Prefecture"))
    amount = YuanField(label=gettext_lazy("Budget (yuan)"), allow_zero=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in selectors.prefectures()]


# --- helpers ----------------------------------------------------------------------------------------


def _crumbs(*more):
    return [(_("Payments"), reverse("care:payments")), *more]


def family_url(family) -> str | None:
    """The family's own page (the families area's), if it is there."""
    try:
        return reverse("care:family", args=[family.pk])
    except NoReverseMatch:
        return None


def _payment(request, pk) -> Payment:
    require_perm(request, "care.view")
    return get_for_user(request.user, Payment.objects.select_related("family", "region", "applied_by"), pk)


def _plain(exc: DomainError) -> DomainError:
    """A refusal as staff read it: the rule's explanation, never its code."""
    if isinstance(exc, RuleBroken):
        text = str(exc.rule.text)
        if exc.detail:
            text = _("%(message)s (%(detail)s)") % {"message": text, "detail": exc.detail}
        exc.message = text
    elif exc.code == "state.order":
        exc.message = _("This payment has moved on since the page was read. Reload the page and try again.")
    return exc


def _refused(request, exc: DomainError, form) -> bool:
    """Show a service's refusal: under the field it names, else as a message. True: the form is shown again."""
    exc = _plain(exc)
    if exc.field and exc.field in form.fields:
        form_error(form, exc)
        return True
    messages.error(request, str(exc.message))
    return False


# --- pages ------------------------------------------------------------------------------------------


def payment_list(request):
    require_perm(request, "care.view")
    filters = FilterForm(request.GET or None, user=request.user)
    query = filters.query()
    qs = selectors.payment_list(user=request.user, **query)
    page = paginate(request, qs)
    page.object_list = selectors.marked(page.object_list)
    return render(
        request,
        "care/payments_list.html",
        {
            "page": page,
            "filters": filters,
            "counts": selectors.counts(qs),
            "awaiting": selectors.awaiting_count(request.user),
            "to_pay": selectors.to_pay_count(request.user),
            "can_export": request.user.has_perm("care.export"),
            "query": request.GET.urlencode(),
            "breadcrumbs": [(_("Payments"), None)],
        },
    )


def export_row(p: Payment) -> list:
    return [
        p.pk,
        p.family.reference,
        p.region.name,
        p.get_kind_display(),
        format_fen(p.amount_fen),
        p.year,
        p.get_state_display(),
        timezone.localtime(p.applied_at).strftime("%Y-%m-%d"),
        timezone.localtime(p.decided_at).strftime("%Y-%m-%d") if p.decided_at else "",
    ]


def payment_export(request):
    """The filtered list as Excel or CSV, once the user has said why (audited). No family member's data."""
    require_perm(request, "care.export")
    filters = FilterForm(request.GET, user=request.user)

    def export(reason, fmt):
        query = filters.query()
        qs = selectors.payment_list(user=request.user, **query)
        services.payments_exported(actor=request.user, filters=query, fmt=fmt, reason=reason, count=qs.count())
        header = [
            _("No."),
            _("Case number or reference"),
            _("County"),
            _("Kind"),
            _("Amount (yuan)"),
            _("Budget year"),
            _("State"),
            _("Applied on"),
            _("Decided on"),
        ]
        rows = (export_row(p) for p in qs.iterator(chunk_size=2000))
        return table_download(stem="payments", title=_("Payments"), header=[str(h) for h in header], rows=rows, fmt=fmt)

    return export_page(
        request,
        form=ExportForm(request.POST or None),
        export=export,
        title=_("Export payments"),
        intro=_(
            "The list is exported without any family member's data. Your reason, the filters and the time are "
            "recorded in the audit log."
        ),
        breadcrumbs=_crumbs((_("Export"), None)),
    )


def payment_apply(request, family):
    """Apply for a payment to a family. A family that asked not to be contacted may still receive money."""
    require_perm(request, "care.apply")
    family = get_for_user(request.user, Family.objects.select_related("region"), family)
    refusal = services.apply_refusal(actor=request.user, family=family)
    form = ApplyForm()
    if request.method == "POST" and refusal is None:
        form = ApplyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = services.payment_apply(
                    actor=request.user,
                    family=family,
                    kind=data["kind"],
                    amount_fen=data["amount"],
                    reason=data["reason"],
                    documents=data["documents"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request, _("The application is made: %(where)s.") % {"where": selectors.decorate(payment).where}
                )
                return redirect("care:payment", pk=payment.pk)
    levels = services.levels_for(family.region, services.configured_levels())
    return render(
        request,
        "care/payments_apply.html",
        {
            "family": family,
            "family_url": family_url(family),
            "form": form,
            "refusal": refusal,
            "levels": [LEVEL_NAMES[level] for level in levels],
            "breadcrumbs": _crumbs((family.reference, family_url(family)), (_("Apply for a payment"), None)),
        },
    )


def payment_detail(request, pk):
    payment = _payment(request, pk)
    user = request.user
    review_form = None
    if request.method == "POST":
        require_perm(request, "care.review")
        review_form = ReviewForm(request.POST)
        if review_form.is_valid():
            data = review_form.cleaned_data
            try:
                payment = services.payment_review(
                    actor=user,
                    payment=payment,
                    decision=data["decision"],
                    reason=data["reason"],
                    version=data.get("version"),
                )
            except DomainError as exc:
                if not _refused(request, exc, review_form):
                    review_form = None
                payment = _payment(request, pk)
            else:
                messages.success(
                    request, _("Your decision is recorded: %(where)s.") % {"where": selectors.decorate(payment).where}
                )
                return redirect("care:payment", pk=pk)
    return _detail(request, payment, review_form=review_form)


def _detail(request, payment, *, review_form=None, pay_form=None, reverse_form=None, status=200):
    user = request.user
    selectors.decorate(payment)
    can = {
        "review": services.review_refusal(actor=user, payment=payment) is None,
        "withdraw": services.withdraw_refusal(actor=user, payment=payment) is None,
        "pay": services.pay_refusal(actor=user, payment=payment) is None,
        "reverse": services.reverse_refusal(actor=user, payment=payment) is None,
    }
    pay_blocked = None  # a plain note, only to one who could pay it but approved it
    if payment.state == Payment.State.APPROVED and user.has_perm("care.pay") and not can["pay"]:
        if user.pk in approvers(payment):
            pay_blocked = _("You approved this payment: someone else must record its payment.")
    version = {"version": payment.version}
    return render(
        request,
        "care/payments_detail.html",
        {
            "p": payment,
            "family": payment.family,
            "family_url": family_url(payment.family),
            "stages": selectors.stages(payment),
            "documents": selectors.documents(payment),
            "entries": selectors.ledger_entries(payment),
            "review_form": (review_form or ReviewForm(initial=version)) if can["review"] else None,
            "can_withdraw": can["withdraw"],
            "pay_form": (pay_form or PayForm(initial={"paid_on": timezone.localdate(), **version}))
            if can["pay"]
            else None,
            "pay_blocked": pay_blocked,
            "reverse_form": (reverse_form or ReverseForm(initial=version)) if can["reverse"] else None,
            "show_reason": selectors.sees_reason(user),
            "breadcrumbs": _crumbs((f"#{payment.pk}", None)),
        },
        status=status,
    )


@require_POST
def payment_withdraw(request, pk):
    payment = _payment(request, pk)
    require_perm(request, "care.apply")
    try:
        services.payment_withdraw(
            actor=request.user, payment=payment, version=parse_version(request.POST.get("version", ""))
        )
    except DomainError as exc:
        messages.error(request, str(_plain(exc).message))
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("care:payment", pk=pk)


def _ledger_step(request, pk, *, form_class, form_name: str, act, success):
    """Pay or reverse (care.pay): the form's refusal or the service's is shown on the payment's page
    (400), nothing written; else ``act(payment, cleaned_data)`` and back to the page with ``success``."""
    payment = _payment(request, pk)
    require_perm(request, "care.pay")
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, payment, **{form_name: form}, status=400)
    try:
        act(payment, form.cleaned_data)
    except DomainError as exc:
        if _refused(request, exc, form):
            return _detail(request, _payment(request, pk), **{form_name: form}, status=400)
    else:
        messages.success(request, success)
    return redirect("care:payment", pk=pk)


@require_POST
def payment_pay(request, pk):
    return _ledger_step(
        request,
        pk,
        form_class=PayForm,
        form_name="pay_form",
        act=lambda payment, data: services.payment_pay(
            actor=request.user,
            payment=payment,
            paid_on=data["paid_on"],
            method=data["method"],
            voucher=data["voucher"],
            note=data["note"],
            version=data.get("version"),
        ),
        success=_("The payment is recorded in the ledger."),
    )


@require_POST
def payment_reverse(request, pk):
    return _ledger_step(
        request,
        pk,
        form_class=ReverseForm,
        form_name="reverse_form",
        act=lambda payment, data: services.payment_reverse(
            actor=request.user, payment=payment, reason=data["reason"], version=data.get("version")
        ),
        success=_("The payment is reversed: a reversing entry is in the ledger."),
    )


def payment_document(request, pk, attachment_id):
    """A document of the payment, for those who may see it; never shown inline."""
    payment = _payment(request, pk)
    attachment = selectors.document(payment, attachment_id)
    if attachment is None:
        raise Http404
    response = attachment_response(attachment, f"payment-{payment.pk}-{attachment.pk}")
    services.payment_document_viewed(payment=payment, attachment=attachment, actor=request.user)
    return response


def budgets(request):
    """The year's budgets: budget, committed, paid, remaining, with a bar; the province sets them."""
    require_perm(request, "care.view")
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = year if 2000 <= year <= 2100 else today.year
    can_set = request.user.has_perm("care.budget")
    form = BudgetForm(initial={"year": year}) if can_set else None
    if request.method == "POST":
        require_perm(request, "care.budget")
        form = BudgetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.budget_set(
                    actor=request.user,
                    year=data["year"],
                    kind=data["kind"],
                    region_code=data["region"],
                    amount_fen=data["amount"] if data["amount"] is not None else -1,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The budget is saved."))
                return redirect(f"{reverse('care:budgets')}?year={data['year']}")
    rows = selectors.budget_table(user=request.user, year=year)
    totals = {
        "budget": sum(r.budget.amount_fen for r in rows),
        "committed": sum(r.committed for r in rows),
        "paid": sum(r.paid for r in rows),
        "remaining": sum(r.remaining for r in rows),
    }
    years = sorted({*selectors.budget_years(), today.year}, reverse=True)
    return render(
        request,
        "care/payments_budgets.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "totals": totals,
            "form": form,
            "breadcrumbs": [(_("Budgets"), None)],
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


# --- the family page's panel -----------------------------------------------------------------------


@family_panel(40)
def family_payments(*, family, user, request=None):
    if not user.has_perm("care.view"):
        return None
    rows = selectors.marked(selectors.payment_list(user=user, family=family.pk)[:50])
    return (
        "care/payments_panel.html",
        {
            "payments": rows,
            "family": family,
            "can_apply": services.apply_refusal(actor=user, family=family) is None
            and sees(user, family, perm="care.apply"),
        },
    )


urlpatterns = [
    path("payments/", payment_list, name="payments"),
    path("payments/export/", payment_export, name="payments_export"),
    path("payments/apply/<int:family>/", payment_apply, name="payment_apply"),
    path("payments/<int:pk>/", payment_detail, name="payment"),
    path("payments/<int:pk>/withdraw/", payment_withdraw, name="payment_withdraw"),
    path("payments/<int:pk>/pay/", payment_pay, name="payment_pay"),
    path("payments/<int:pk>/reverse/", payment_reverse, name="payment_reverse"),
    path("payments/<int:pk>/documents/<int:attachment_id>/", payment_document, name="payment_document"),
    path("budgets/", budgets, name="budgets"),
]
public_urlpatterns: list = []
