"""Pages of the media area: the list of media reports (scoped, filtered, totalled, exported with a
reason), a page per report, and the forms to add and change one. Thin: the rules live in
``services.media``, the reads in ``selectors.media``."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.core.forms import CharField, DateField, DateInput, ExportForm, IntegerField
from boai.core.interface import export_page, form_saved, parse_version, require_perm
from boai.core.responses import table_download
from boai.lib.numbers import plain_number
from boai.lib.pagination import paginate

from ..models import MediaReport
from ..selectors import campaigns as campaign_selectors
from ..selectors import media as selectors
from ..services import media as services


def _crumbs(*more):
    return [(_("Media coverage"), reverse("outreach:media")), *more]


def _event_choices(user):
    return [(e.pk, f"{e.starts_on:%Y-%m-%d} {e.title}") for e in selectors.events_for(user)]


def _campaign_choices(user):
    return [(c.pk, c.title) for c in selectors.campaigns_for(user)]


class MediaFilterForm(forms.Form):
    """The list's filters: nothing personal (an outlet, a title), so they travel in the URL."""

    q = CharField(label=gettext_lazy("Outlet or title"), max_length=64, required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("All")), *MediaReport.Kind.choices]
    )
    national = forms.ChoiceField(
        label=gettext_lazy("National media"),
        required=False,
        choices=[("", gettext_lazy("All")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )
    event = forms.TypedChoiceField(label=gettext_lazy("Event"), required=False, coerce=int, empty_value=None)
    campaign = forms.TypedChoiceField(label=gettext_lazy("Campaign"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [(y, y) for y in years]
        self.fields["event"].choices = [("", gettext_lazy("All"))] + _event_choices(user)
        self.fields["campaign"].choices = [("", gettext_lazy("All"))] + _campaign_choices(user)

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class MediaForm(forms.Form):
    outlet = CharField(
        label=gettext_lazy("Outlet"),
        max_length=128,
        help_text=gettext_lazy("The newspaper, station, website or app, such as 云南日报."),
    )
    title = CharField(label=gettext_lazy("Title"), max_length=200)
    url = CharField(
        label=gettext_lazy("Web address"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("The web address, starting with <code>http://</code> or <code>https://</code>."),
    )
    published_on = DateField(label=gettext_lazy("Published on"), widget=DateInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[("", "—"), *MediaReport.Kind.choices])
    national = forms.BooleanField(label=gettext_lazy("National media"), required=False)
    reach = IntegerField(
        label=gettext_lazy("Reach (views or readers)"),
        min_value=0,
        max_value=services.MAX_REACH,
        required=False,
        help_text=gettext_lazy("Leave empty when not known."),
    )
    event = forms.TypedChoiceField(label=gettext_lazy("Event"), required=False, coerce=int, empty_value=None)
    campaign = forms.TypedChoiceField(label=gettext_lazy("Campaign"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(
        label=gettext_lazy("Recorded by (area)"),
        help_text=gettext_lazy("The branch's area: the report is counted there."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", gettext_lazy("None"))] + _event_choices(user)
        self.fields["campaign"].choices = [("", gettext_lazy("None"))] + _campaign_choices(user)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]

    def data_for_service(self) -> services.MediaData:
        d = self.cleaned_data
        return services.MediaData(**{name: d.get(name) for name in services.MediaData.FIELDS})


def _filters(request):
    years = selectors.media_years(user=request.user, today=timezone.localdate())
    return MediaFilterForm(request.GET, user=request.user, years=years)


def _reports(user, query: dict):
    query = dict(query)
    return selectors.media_list(user=user, search=query.pop("q", ""), **query)


def media_list(request):
    require_perm(request, "outreach.view")
    filters = _filters(request)
    query = filters.query()
    qs = _reports(request.user, query)
    return render(
        request,
        "outreach/media_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "totals": selectors.media_totals(qs),
            "export_query": urlencode(query),
            "can_manage": request.user.has_perm("outreach.manage"),
            "can_export": request.user.has_perm("outreach.export"),
            "breadcrumbs": [(_("Media coverage"), None)],
        },
    )


def _row(r: MediaReport) -> list:
    return [
        r.published_on.isoformat(),
        r.outlet,
        r.title,
        r.get_kind_display(),
        _("Yes") if r.national else _("No"),
        "" if r.reach is None else r.reach,
        r.url,
        r.event.title if r.event_id else "",
        r.campaign.title if r.campaign_id else "",
        r.region_id,
        r.region.name,
    ]


def media_export(request):
    """The filtered list as Excel or CSV, once the user has said why (audited)."""
    require_perm(request, "outreach.export")
    query = _filters(request).query()

    def export(reason, fmt):
        qs = _reports(request.user, query)
        services.media_exported(actor=request.user, filters=query, fmt=fmt, reason=reason, count=qs.count())
        header = [
            _("Published on"),
            _("Outlet"),
            _("Title"),
            _("Kind"),
            _("National media"),
            _("Reach"),
            _("Web address"),
            _("Event"),
            _("Campaign"),
            _("Area code"),
            _("Area"),
        ]
        return table_download(
            stem="media-reports", title=_("Media reports"), header=header, rows=(_row(r) for r in qs), fmt=fmt
        )

    return export_page(
        request,
        form=ExportForm(request.POST or None),
        export=export,
        title=_("Export media reports"),
        intro=_("Your reason, the filters and the time are recorded in the audit log."),
        breadcrumbs=_crumbs((_("Export"), None)),
    )


def _form_page(request, form, *, title, crumbs):
    return render(request, "outreach/media_form.html", {"form": form, "title": title, "breadcrumbs": crumbs})


def _initial(request) -> dict:
    """A new report's form: the user's own area, and the event or campaign it was opened from
    (``?event=<pk>`` or ``?campaign=<pk>``, among those the user sees)."""
    org = getattr(request.user, "organization", None)
    initial: dict = {"region": org.region_id if org else "", "published_on": timezone.localdate()}
    event_pk = plain_number(request.GET.get("event", ""))
    campaign_pk = plain_number(request.GET.get("campaign", ""))
    if event_pk is not None:
        event = selectors.events_for(request.user).filter(pk=event_pk).first()
        if event is not None:
            initial.update(event=event.pk, region=event.region_id)
            if event.campaign_id and selectors.campaigns_for(request.user).filter(pk=event.campaign_id).exists():
                initial["campaign"] = event.campaign_id
    elif campaign_pk is not None and selectors.campaigns_for(request.user).filter(pk=campaign_pk).exists():
        initial["campaign"] = campaign_pk
    return initial


def media_create(request):
    require_perm(request, "outreach.manage")
    form = MediaForm(request.POST or None, user=request.user, initial=_initial(request))
    saved, report = form_saved(
        request,
        form,
        lambda: services.media_create(actor=request.user, data=form.data_for_service()),
        success=lambda report: _("The media report %(title)s was saved.") % {"title": report.title},
    )
    if saved:
        return redirect("outreach:media_detail", pk=report.pk)
    return _form_page(request, form, title=_("Add a media report"), crumbs=_crumbs((_("Add a report"), None)))


def media_edit(request, pk):
    require_perm(request, "outreach.manage")
    report = get_for_user(request.user, MediaReport, pk, write=True)
    data = services.MediaData.of(report)
    initial = {name: getattr(data, name) for name in services.MediaData.FIELDS} | {"version": report.version}
    form = MediaForm(request.POST or None, user=request.user, initial=initial)
    saved, _report = form_saved(
        request,
        form,
        lambda: services.media_update(
            report=report,
            actor=request.user,
            data=form.data_for_service(),
            version=parse_version(request.POST.get("version", "")),
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("outreach:media_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": report.title},
        crumbs=_crumbs((report.title, reverse("outreach:media_detail", args=[pk])), (_("Change"), None)),
    )


def media_panel(request, *, event=None, campaign=None) -> dict:
    """The context of ``outreach/media_panel.html`` for an event's or a campaign's page."""
    add_url = ""
    if request.user.has_perm("outreach.manage"):
        which = f"event={event.pk}" if event is not None else f"campaign={campaign.pk}"
        add_url = f"{reverse('outreach:media_create')}?{which}"
    return {"reports": selectors.reports_for(user=request.user, event=event, campaign=campaign), "add_url": add_url}


def _page_of(name: str, pk) -> str:
    """The page of the linked event or campaign (built by the events and campaigns areas), or ""."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def media_detail(request, pk):
    require_perm(request, "outreach.view")
    report = get_for_user(request.user, MediaReport.objects.select_related("region", "event", "campaign"), pk)
    user = request.user
    return render(
        request,
        "outreach/media_detail.html",
        {
            "r": report,
            "event_url": _page_of("outreach:event", report.event_id)
            if report.event_id and sees(user, report.event, perm="outreach.view")
            else "",
            "campaign_url": _page_of("outreach:campaign", report.campaign_id)
            if report.campaign_id and campaign_selectors.sees_campaign(user, report.campaign)
            else "",
            "can_manage": user.has_perm("outreach.manage") and sees(user, report, perm="outreach.manage"),
            "history": entries_for_object(report),
            "breadcrumbs": _crumbs((report.title, None)),
        },
    )


urlpatterns = [
    path("media/", media_list, name="media"),
    path("media/export/", media_export, name="media_export"),
    path("media/new/", media_create, name="media_create"),
    path("media/<int:pk>/", media_detail, name="media_detail"),
    path("media/<int:pk>/edit/", media_edit, name="media_edit"),
]
public_urlpatterns: list = []
