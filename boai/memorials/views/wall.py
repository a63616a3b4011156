"""The memorial wall's pages.

Public (``/memorial/``): the wall (cards of the donors whose family consented, showing only what they
consented to, with the approved messages; a search by the names shown), and the form a family sends a
message with (their code, the message, how they sign). Every answer is sent with no-store, and no page
is cached on the server: a withdrawn entry is gone on the next load.

Staff (``/workspace/memorials/wall/``, perm ``memorials.wall``, the family in the user's scope): the
entries, recording a family's consent (the message code is shown once), changing what is shown,
withdrawing the consent (after a confirmation), a new code, and the messages waiting for approval."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user
from boai.audit.selectors import entries_for_object
from boai.care.models import Family
from boai.care.panels import family_panel
from boai.core.errors import DomainError, RateLimited
from boai.core.forms import CharField, DateField
from boai.core.interface import form_error, form_saved, require_perm
from boai.core.ratelimits import rate_limit
from boai.lib.context import current_context
from boai.lib.pagination import paginate

from ..models import WallEntry, WallMessage
from ..selectors import wall as selectors
from ..services import wall as services

PUBLIC_PAGE_SIZE = 12


def _crumbs(*more):
    return [(_("Memorial wall"), reverse("memorials:wall")), *more]


# --- forms ----------------------------------------------------------------------------------------------


class ShownForm(forms.Form):
    show_name = forms.BooleanField(label=gettext_lazy("Show the donor's name"), required=False)
    show_year = forms.BooleanField(label=gettext_lazy("Show the year of donation"), required=False)
    show_prefecture = forms.BooleanField(label=gettext_lazy("Show the prefecture"), required=False)


class ConsentForm(ShownForm):
    member = forms.ChoiceField(label=gettext_lazy("Consent given by"))
    consented_on = DateField(label=gettext_lazy("Consent given on"), widget=forms.DateInput(attrs={"type": "date"}))

    field_order = ["member", "consented_on", "show_name", "show_year", "show_prefecture"]

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in family.members.filter(active=True)}
        self.fields["member"].choices = [("", gettext_lazy("Choose"))] + [
            (pk, str(m)) for pk, m in self.members.items()
        ]
        self.fields["member"].help_text = gettext_lazy("The family member who agreed, for the family.")
        self.fields["show_name"].help_text = gettext_lazy('If not ticked, the wall shows "an anonymous donor".')


class MessageForm(forms.Form):
    code = CharField(
        label=gettext_lazy("Message code"),
        max_length=40,
        help_text=gettext_lazy("The 8 letters and numbers on the slip the Red Cross staff gave your family."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    text = CharField(
        label=gettext_lazy("Your message"),
        max_length=services.MESSAGE_MAX * 2,  # the service says how long it is, in the family's words
        help_text=gettext_lazy("At most 300 characters. Plain words only, no web addresses."),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": services.MESSAGE_MAX}),
        strip=False,
    )
    signed = CharField(
        label=gettext_lazy("How you sign (optional)"),
        max_length=services.SIGNED_MAX * 2,
        required=False,
        help_text=gettext_lazy('For example "女儿" or "家人".'),
    )


# --- public pages -------------------------------------------------------------------------------------


@never_cache
@rate_limit("lookup", when=lambda request: request.GET.get("q", "").strip())
def wall_public(request):
    search = request.GET.get("q", "")[: selectors.SEARCH_MAX].strip()
    page = paginate(request, selectors.public_entries(search=search), per_page=PUBLIC_PAGE_SIZE)
    return render(
        request,
        "memorials/wall_public.html",
        {"page": page, "cards": selectors.public_cards(page.object_list), "q": search},
    )


@never_cache
@sensitive_post_parameters("code")
def wall_message(request):
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.wall_message_submit(
                code=form.cleaned_data["code"],
                text=form.cleaned_data["text"],
                signed=form.cleaned_data["signed"],
                ip=current_context().ip,
            )
        except RateLimited as exc:
            form_error(form, exc)
            status = 429
        except DomainError as exc:
            form_error(form, exc)
            status = exc.status if exc.field is None else 200
        else:
            return render(request, "memorials/wall_message_sent.html")
    return render(request, "memorials/wall_message.html", {"form": form}, status=status)


# --- staff pages --------------------------------------------------------------------------------------


def _entry(request, pk, *, write=False) -> WallEntry:
    return get_for_user(request.user, WallEntry.objects.select_related("family", "family__region"), pk, write=write)


def entry_list(request):
    require_perm(request, "memorials.wall")
    search = request.GET.get("q", "")[:40].strip()
    state = request.GET.get("state", "")
    context = {
        "page": paginate(request, selectors.entry_list(user=request.user, search=search, state=state)),
        "q": search,
        "state": state,
        "pending": selectors.pending_count(request.user),
        "breadcrumbs": [(_("Memorial wall"), None)],
    }
    return render(request, "memorials/wall_list.html", context)


def family_find(request):
    """Find the family whose consent is to be recorded, by its case number or reference."""
    require_perm(request, "memorials.wall")
    search = request.GET.get("q", "")[:40].strip()
    return render(
        request,
        "memorials/wall_find.html",
        {
            "q": search,
            "families": selectors.families_without_consent(user=request.user, search=search),
            "breadcrumbs": _crumbs((_("Record a consent"), None)),
        },
    )


def _code_page(request, entry, code, *, renewed=False):
    return render(
        request,
        "memorials/wall_code.html",
        {
            "entry": entry,
            "code": services.show_code(code),
            "renewed": renewed,
            "breadcrumbs": _crumbs((entry.family.reference, reverse("memorials:wall_detail", args=[entry.pk]))),
        },
    )


def consent_record(request, family_pk):
    require_perm(request, "memorials.wall")
    family = get_for_user(request.user, Family.objects.select_related("region"), family_pk, write=True)
    existing = WallEntry.objects.filter(family=family, withdrawn_at__isnull=True).first()
    form = ConsentForm(
        request.POST or None,
        family=family,
        initial={"consented_on": timezone.localdate(), "show_year": True, "show_prefecture": True},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry, code = services.wall_consent_record(
                family=family,
                actor=request.user,
                member=form.members.get(d["member"]),
                consented_on=d["consented_on"],
                show_name=d["show_name"],
                show_year=d["show_year"],
                show_prefecture=d["show_prefecture"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            return _code_page(request, entry, code)
    return render(
        request,
        "memorials/wall_consent.html",
        {
            "form": form,
            "family": family,
            "existing": existing,
            "breadcrumbs": _crumbs((_("Record a consent"), reverse("memorials:wall_find")), (family.reference, None)),
        },
    )


def entry_detail(request, pk):
    require_perm(request, "memorials.wall")
    entry = _entry(request, pk)
    form = ShownForm(request.POST or None, initial={name: getattr(entry, name) for name in services.SHOWN})
    if request.method == "POST":
        entry = _entry(request, pk, write=True)
        saved, _changed = form_saved(
            request,
            form,
            lambda: services.wall_entry_change(entry=entry, actor=request.user, **form.cleaned_data),
            success=_("The wall now shows what the family wished."),
        )
        if saved:
            return redirect("memorials:wall_detail", pk=pk)
    return render(
        request,
        "memorials/wall_detail.html",
        {
            "entry": entry,
            "form": form,
            "wall_messages": selectors.entry_messages(entry),
            "history": entries_for_object(entry),
            "breadcrumbs": _crumbs((entry.family.reference, None)),
        },
    )


def entry_withdraw(request, pk):
    """A confirmation page, then the withdrawal (the form's ``confirm`` box must be ticked)."""
    require_perm(request, "memorials.wall")
    entry = _entry(request, pk, write=request.method == "POST")
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that the family withdrew their consent.")
        else:
            try:
                services.wall_consent_withdraw(entry=entry, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The consent was withdrawn: the donor is no longer on the wall."))
            return redirect("memorials:wall_detail", pk=pk)
    return render(
        request,
        "memorials/wall_withdraw.html",
        {
            "entry": entry,
            "error": error,
            "breadcrumbs": _crumbs(
                (entry.family.reference, reverse("memorials:wall_detail", args=[pk])), (_("Withdraw consent"), None)
            ),
        },
    )


@require_POST
def code_renew(request, pk):
    require_perm(request, "memorials.wall")
    entry = _entry(request, pk, write=True)
    try:
        code = services.wall_code_renew(entry=entry, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("memorials:wall_detail", pk=pk)
    return _code_page(request, entry, code, renewed=True)


def highlight_digits(text: str) -> str:
    """The message as HTML (escaped, line breaks kept) with every run of digits marked, so staff notice
    a phone or ID number at once."""
    out, last = [], 0
    for match in services.DIGITS.finditer(text):
        out += [escape(text[last : match.start()]), f'<mark class="digits">{escape(match.group())}</mark>']
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


def message_queue(request):
    require_perm(request, "memorials.wall")
    page = paginate(request, selectors.pending_messages(user=request.user))
    for message in page:
        message.highlighted = highlight_digits(message.text)
        message.signed_highlighted = highlight_digits(message.signed)
    return render(
        request,
        "memorials/wall_messages.html",
        {
            "page": page,
            "breadcrumbs": _crumbs((_("Messages to approve"), None)),
        },
    )


@require_POST
def message_decide(request, pk):
    require_perm(request, "memorials.wall")
    message = get_object_or_404(WallMessage, pk=pk)
    _entry(request, message.entry_id, write=True)  # 404 (audited) when the family is out of scope
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose whether to publish the message."))
    else:
        try:
            services.wall_message_decide(message=message, actor=request.user, approve=decision == "approve")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The message is now on the wall.")
                if decision == "approve"
                else _("The message will not be published."),
            )
    return redirect("memorials:wall_messages")


# --- the family page's panel --------------------------------------------------------------------------


@family_panel(80)
def wall_panel(*, family, user, request=None):
    """On a family's page: whether the family consented to the wall, with the way to record or open it."""
    if not user.has_perm("memorials.wall"):
        return None
    return "memorials/wall_family_panel.html", {
        "entry": WallEntry.objects.filter(family=family).first(),
        "family": family,
    }


urlpatterns = [
    path("wall/", entry_list, name="wall"),
    path("wall/new/", family_find, name="wall_find"),
    path("wall/new/<int:family_pk>/", consent_record, name="wall_consent"),
    path("wall/<int:pk>/", entry_detail, name="wall_detail"),
    path("wall/<int:pk>/withdraw/", entry_withdraw, name="wall_withdraw"),
    path("wall/<int:pk>/code/", code_renew, name="wall_code"),
    path("wall/messages/", message_queue, name="wall_messages"),
    path("wall/messages/<int:pk>/decide/", message_decide, name="wall_decide"),
]

public_urlpatterns = [
    path("", wall_public, name="wall"),
    path("message/", wall_message, name="message"),
]
