"""Pages of the campaigns area: the scoped list, the forms to add and change a campaign, its page with
the registrations attributed (three breakdowns, each an SVG chart beside its table, and their Excel
download), the link / QR code / posters page of a campaign or an event, and the public short link
``/c/<code>/`` that leads to the registration form. Thin: rules in ``services.campaigns``, reads in
``selectors.campaigns``, drawing in ``posters``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import get_for_user
from boai.audit.selectors import entries_for_object
from boai.core.forms import CharField, DateField, DateInput, IntegerField
from boai.core.interface import form_saved, parse_version, require_perm
from boai.core.responses import table_download
from boai.lib.pagination import paginate
from boai.lib.pdf import qr_svg_data_uri

from .. import posters
from ..models import Campaign, Event
from ..selectors import campaigns as selectors
from ..services import campaigns as services
from .media import media_panel

FILES = {
    "qr.png": ("image/png", None),
    "poster-a4.pdf": ("application/pdf", "a4"),
    "poster-a3.pdf": ("application/pdf", "a3"),
    "poster-a4.png": ("image/png", "a4"),
    "poster-a3.png": ("image/png", "a3"),
}


def _crumbs(*more):
    return [(_("Campaigns"), reverse("outreach:campaigns")), *more]


class FilterForm(forms.Form):
    q = CharField(label=gettext_lazy("Title or code"), max_length=64, required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("When"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("running", gettext_lazy("Running now")),
            ("coming", gettext_lazy("To come")),
            ("ended", gettext_lazy("Ended")),
        ],
    )

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class CampaignForm(forms.Form):
    # required fields are checked by the service, so that every refusal shows in one round
    title = CharField(label=gettext_lazy("Title"), max_length=128, required=False)
    code = CharField(
        label=gettext_lazy("Link code"),
        max_length=24,
        required=False,
        help_text=gettext_lazy(
            "Lower-case letters, digits and hyphens, such as <code>yunling-2025</code>. It is part of the link and"
            " the QR code, and cannot change once people have registered through it."
        ),
    )
    description = CharField(label=gettext_lazy("Description"), max_length=4000, required=False, widget=forms.Textarea)
    starts_on = DateField(label=gettext_lazy("Starts on"), widget=DateInput, required=False)
    ends_on = DateField(label=gettext_lazy("Ends on"), widget=DateInput, required=False)
    region = forms.ChoiceField(label=gettext_lazy("Run by (the province or a prefecture)"), required=False)
    target_registrations = IntegerField(
        label=gettext_lazy("Target registrations"), min_value=1, max_value=services.MAX_TARGET, required=False
    )
    partners = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Partners"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = selectors.regions_for(user)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [(r.code, r.name) for r in regions]
        if len(regions) == 1 and not self.initial.get("region"):
            self.initial["region"] = regions[0].code  # a prefecture runs its own campaigns
        self.fields["partners"].choices = [(p.pk, p.name) for p in selectors.partners()]

    def data_for_service(self) -> services.CampaignData:
        d = self.cleaned_data
        return services.CampaignData(
            **{name: d.get(name) for name in services.CampaignData.FIELDS} | {"region": d.get("region") or ""}
        )


def _campaign(request, pk, *, perm="outreach.view") -> Campaign:
    campaign = selectors.campaign_for(request.user, pk, perm=perm)
    if campaign is None:
        get_for_user(request.user, Campaign, pk)  # out of scope: the denied access is audited, then 404
        raise Http404
    return campaign


def campaign_list(request):
    require_perm(request, "outreach.view")
    filters = FilterForm(request.GET)
    query = filters.query()
    qs = selectors.campaign_list(user=request.user, search=query.get("q", ""), state=query.get("state", ""))
    return render(
        request,
        "outreach/campaigns_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "query": urlencode(query),
            "can_manage": selectors.may_add(request.user),
            "breadcrumbs": [(_("Campaigns"), None)],
        },
    )


def _form_page(request, form, title, crumbs):
    return render(request, "outreach/campaigns_form.html", {"form": form, "title": title, "breadcrumbs": crumbs})


def campaign_create(request):
    require_perm(request, "outreach.manage")
    if not selectors.may_add(request.user):
        messages.info(request, _("Campaigns are run by the province or a prefecture. Add your events to one of them."))
        return redirect("outreach:campaigns")
    form = CampaignForm(request.POST or None, user=request.user)
    saved, campaign = form_saved(
        request,
        form,
        lambda: services.campaign_create(actor=request.user, data=form.data_for_service()),
        success=lambda c: _("The campaign %(title)s was saved.") % {"title": c.title},
    )
    if saved:
        return redirect("outreach:campaign", pk=campaign.pk)
    return _form_page(request, form, _("Add a campaign"), _crumbs((_("Add a campaign"), None)))


def campaign_edit(request, pk):
    require_perm(request, "outreach.manage")
    # a campaign of an area above the user's: they see it, they do not change it (404)
    campaign = selectors.campaign_to_change(request.user, pk)
    if campaign is None:
        raise Http404
    data = services.CampaignData.of(campaign)
    initial = {name: getattr(data, name) for name in services.CampaignData.FIELDS} | {"version": campaign.version}
    form = CampaignForm(request.POST or None, initial=initial, user=request.user)
    saved, _c = form_saved(
        request,
        form,
        lambda: services.campaign_update(
            campaign=campaign,
            actor=request.user,
            data=form.data_for_service(),
            version=parse_version(request.POST.get("version", "")),
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("outreach:campaign", pk=pk)
    return _form_page(
        request,
        form,
        _("Change %(title)s") % {"title": campaign.title},
        _crumbs((campaign.title, reverse("outreach:campaign", args=[pk])), (_("Change"), None)),
    )


def campaign_detail(request, pk):
    require_perm(request, "outreach.view")
    campaign = _campaign(request, pk)
    data = selectors.breakdowns(user=request.user, campaign=campaign)
    can_manage = selectors.campaign_to_change(request.user, pk) is not None
    return render(
        request,
        "outreach/campaigns_detail.html",
        {
            "c": campaign,
            "events": selectors.events_of(campaign, user=request.user),
            "partners": campaign.partners.all(),
            "data": data,
            "charts": selectors.charts_of(data, campaign=campaign),
            "link": short_link(request, campaign.code),
            "media": media_panel(request, campaign=campaign),
            "can_manage": can_manage,
            "can_export": request.user.has_perm("outreach.export"),
            "history": entries_for_object(campaign) if can_manage else [],
            "breadcrumbs": _crumbs((campaign.title, None)),
        },
    )


def campaign_export(request, pk):
    """The three breakdowns as one Excel sheet (counts only; the download is audited)."""
    require_perm(request, "outreach.export")
    campaign = _campaign(request, pk)
    data = selectors.breakdowns(user=request.user, campaign=campaign)
    services.breakdown_exported(actor=request.user, campaign=campaign, total=data["total"])
    rows = [[_("Total"), campaign.title, data["total"]]]
    rows += [[_("Per day"), d.isoformat(), n] for d, n in data["days"]]
    rows += [[_("Per prefecture"), r.name, n] for r, n in data["prefectures"]]
    rows += [[_("Per channel"), label, n] for _v, label, n in data["channels"]]
    return table_download(
        stem=f"campaign-{campaign.code}",
        title=_("Registrations attributed"),
        header=[_("Breakdown"), _("Item"), _("Registrations")],
        rows=rows,
        fmt="xlsx",
    )


# --- the link, its QR code and the posters -----------------------------------------------------------


def short_link(request, code: str) -> str:
    """The absolute public short link of a code (the site's public URL when set)."""
    path_ = reverse("campaign:link", args=[code])
    base = settings.BOAI_PUBLIC_URL.rstrip("/") if settings.BOAI_PUBLIC_URL else request.build_absolute_uri("/")[:-1]
    return f"{base}{path_}"


def _event(request, pk):
    event = selectors.events_for(request.user).select_related("campaign").filter(pk=pk).first()
    if event is None:
        get_for_user(request.user, Event, pk)  # out of scope: the denied access is audited, then 404
        raise Http404
    return event


def _link_page(request, obj, *, files_url: str, crumbs):
    link = short_link(request, obj.code)
    return render(
        request,
        "outreach/campaigns_link.html",
        {
            "obj": obj,
            "link": link,
            "qr": qr_svg_data_uri(link, scale=6),
            "files": [(name, f"{files_url}{name}/") for name in FILES],
            "breadcrumbs": crumbs,
        },
    )


def _file(obj, request, name: str):
    if name not in FILES:
        raise Http404
    content_type, size = FILES[name]
    link = short_link(request, obj.code)
    if name == "qr.png":
        body = posters.qr_png(link)
    elif name.endswith(".pdf"):
        body = posters.poster_pdf(title=obj.title, url=link, size=size)
    else:
        body = posters.poster_png(title=obj.title, url=link, size=size)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{obj.code}-{name}"'
    return response


def campaign_link(request, pk):
    require_perm(request, "outreach.view")
    campaign = _campaign(request, pk)
    return _link_page(
        request,
        campaign,
        files_url=reverse("outreach:campaign_link", args=[pk]),
        crumbs=_crumbs((campaign.title, reverse("outreach:campaign", args=[pk])), (_("Link and QR code"), None)),
    )


def campaign_file(request, pk, name):
    require_perm(request, "outreach.view")
    return _file(_campaign(request, pk), request, name)


def event_link(request, pk):
    require_perm(request, "outreach.view")
    event = _event(request, pk)
    return _link_page(
        request,
        event,
        files_url=reverse("outreach:event_link", args=[pk]),
        crumbs=[
            (_("Publicity events"), reverse("outreach:events")),
            (event.title, f"/workspace/outreach/events/{event.pk}/"),
            (_("Link and QR code"), None),
        ],
    )


def event_file(request, pk, name):
    require_perm(request, "outreach.view")
    return _file(_event(request, pk), request, name)


# --- public -------------------------------------------------------------------------------------------


def public_link(request, code):
    """``/c/<code>/``: to the registration form with the code; an unknown code, a friendly 404."""
    found = selectors.by_code(code)
    if found is None:
        return render(request, "outreach/campaigns_unknown.html", status=404)
    return redirect(f"{reverse('portal:register')}?{urlencode({'c': found.code})}")


urlpatterns = [
    path("campaigns/", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/export/", campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/link/", campaign_link, name="campaign_link"),
    path("campaigns/<int:pk>/link/<str:name>/", campaign_file, name="campaign_file"),
    path("events/<int:pk>/link/", event_link, name="event_link"),
    path("events/<int:pk>/link/<str:name>/", event_file, name="event_file"),
]
public_urlpatterns = [path("<slug:code>/", public_link, name="link")]
