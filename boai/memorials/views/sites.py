"""Pages of memorial sites and memorial events: the lists (scoped, filtered, counted, exported with a
reason), each record's page with its photos (opened through a checked, audited view), and the forms to
add and change them. Thin: the rules live in ``services.sites``, the reads in ``selectors.sites``."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.core.forms import (
    CharField,
    DateField,
    DateInput,
    ExportForm,
    IntegerField,
    MultipleFileField,
    MultipleFileInput,
)
from boai.core.interface import export_page, form_saved, parse_version, require_perm
from boai.core.responses import attachment_response, table_download
from boai.lib.numbers import plain_number
from boai.lib.pagination import paginate

from ..models import MemorialEvent, MemorialSite, Offer
from ..selectors import sites as selectors
from ..services import sites as services


def _site_crumbs(*more):
    return [(_("Memorial sites"), reverse("memorials:sites")), *more]


def _event_crumbs(*more):
    return [(_("Memorial events"), reverse("memorials:events")), *more]


# --- forms ----------------------------------------------------------------------------------------


def _photos_field():
    return MultipleFileField(
        label=gettext_lazy("Add photos (JPEG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )


class _Filters(forms.Form):
    """A list's filters (a ``prefecture`` field among them, chosen from the user's): nothing personal,
    so they travel in the URL."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [("", gettext_lazy("All"))] + [
            (r.code, r.name) for r in selectors.prefectures_for(user)
        ]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class SiteFilterForm(_Filters):
    """The list's filters: nothing personal, so they travel in the URL."""

    q = CharField(label=gettext_lazy("Name or place"), max_length=64, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("All")), *MemorialSite.Kind.choices]
    )
    prefecture = forms.ChoiceField(label=gettext_lazy("Prefecture"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("Open or closed"),
        required=False,
        choices=[("", gettext_lazy("All")), ("open", gettext_lazy("Open")), ("closed", gettext_lazy("Closed"))],
    )


class SiteForm(forms.Form):
    name = CharField(label=gettext_lazy("Name"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[("", "—"), *MemorialSite.Kind.choices])
    region = forms.ChoiceField(
        label=gettext_lazy("County or prefecture"),
        help_text=gettext_lazy("Where the site stands; it is counted there."),
    )
    address = CharField(label=gettext_lazy("Location"), max_length=200, required=False)
    opened_on = DateField(
        label=gettext_lazy("Opening date"),
        widget=DateInput,
        help_text=gettext_lazy("At most a year from today, for a site about to open."),
    )
    offers = forms.MultipleChoiceField(
        label=gettext_lazy("What it offers"),
        choices=Offer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = CharField(label=gettext_lazy("Description"), max_length=4000, required=False, widget=forms.Textarea)
    organisation = forms.ChoiceField(label=gettext_lazy("Managing organisation"), required=False)
    manager = CharField(
        label=gettext_lazy("Or the managing organisation's name (if not in the list)"), max_length=128, required=False
    )
    active = forms.BooleanField(label=gettext_lazy("Open to visitors"), required=False, initial=True)
    photos = _photos_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]
        self.fields["organisation"].choices = [("", "—")] + [
            (o.code, f"{o.name}（{o.get_type_display()}）") for o in selectors.organisations_for(user)
        ]

    def data_for_service(self) -> services.SiteData:
        d = self.cleaned_data
        return services.SiteData(
            name=d["name"],
            kind=d["kind"],
            region=d["region"],
            address=d["address"],
            opened_on=d["opened_on"],
            offers=list(d["offers"]),
            description=d["description"],
            organisation=d["organisation"],
            manager=d["manager"],
            active=d["active"],
        )


class EventFilterForm(_Filters):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    occasion = forms.ChoiceField(
        label=gettext_lazy("Occasion"),
        required=False,
        choices=[("", gettext_lazy("All")), *MemorialEvent.Occasion.choices],
    )
    prefecture = forms.ChoiceField(label=gettext_lazy("Prefecture"), required=False)

    def __init__(self, *args, user=None, years=(), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [(y, y) for y in years]


class EventForm(forms.Form):
    title = CharField(label=gettext_lazy("Title"), max_length=128)
    occasion = forms.ChoiceField(label=gettext_lazy("Occasion"), choices=[("", "—"), *MemorialEvent.Occasion.choices])
    held_on = DateField(label=gettext_lazy("Date"), widget=DateInput)
    site = forms.TypedChoiceField(
        label=gettext_lazy("Memorial site"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("If it was held at a site, it is counted where the site stands."),
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Area (if not at a site)"),
        required=False,
    )
    organisers = CharField(label=gettext_lazy("Organisers"), max_length=200)
    participants = IntegerField(label=gettext_lazy("Participants"), min_value=0, max_value=services.MAX_PARTICIPANTS)
    families_invited = IntegerField(
        label=gettext_lazy("Donor families invited"), min_value=0, max_value=services.MAX_PARTICIPANTS, required=False
    )
    families_attended = IntegerField(
        label=gettext_lazy("Donor families attending"), min_value=0, max_value=services.MAX_PARTICIPANTS, required=False
    )
    report = CharField(label=gettext_lazy("Short report"), max_length=4000, required=False, widget=forms.Textarea)
    photos = _photos_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", gettext_lazy("None"))] + [
            (s.pk, f"{s.name} · {s.region.name}") for s in selectors.sites_for(user)
        ]
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user, province=True)
        ]

    def data_for_service(self) -> services.EventData:
        d = self.cleaned_data
        return services.EventData(
            **{name: d.get(name) for name in services.EventData.FIELDS} | {"region": d.get("region") or ""}
        )


def _offers_display(offers) -> str:
    labels = dict(Offer.choices)
    return "、".join(str(labels[o]) for o in offers or [] if o in labels)


# --- what sites and events share -----------------------------------------------------------------


def _list_page(request, template: str, *, qs, filters, export_query: str, crumb, **more):
    return render(
        request,
        template,
        {
            "page": paginate(request, qs),
            "filters": filters,
            "export_query": export_query,
            "can_manage": request.user.has_perm("memorials.manage"),
            "can_export": request.user.has_perm("memorials.export"),
            "breadcrumbs": [(crumb, None)],
            **more,
        },
    )


def _export(request, *, what: str, query: dict, rows, header: list, row, stem: str, list_title, title, crumbs):
    """The filtered list as Excel or CSV, once the user has said why (audited): ``rows(query)`` is the
    scoped list, ``row(record)`` one line of the sheet."""

    def export(reason, fmt):
        qs = rows(query)
        services.list_exported(actor=request.user, what=what, filters=query, fmt=fmt, reason=reason, count=qs.count())
        return table_download(stem=stem, title=list_title, header=header, rows=(row(r) for r in qs), fmt=fmt)

    return export_page(
        request,
        form=ExportForm(request.POST or None),
        export=export,
        title=title,
        intro=_("Your reason, the filters and the time are recorded in the audit log."),
        breadcrumbs=crumbs,
    )


def _edit_form(request, form_class, data_class, obj):
    data = data_class.of(obj)
    initial = {name: getattr(data, name) for name in data_class.FIELDS} | {"version": obj.version}
    return form_class(request.POST or None, request.FILES or None, initial=initial, user=request.user)


def _photos(form):
    return form.cleaned_data["photos"]


def _version(request):
    return parse_version(request.POST.get("version", ""))


def _record_context(request, obj) -> dict:
    """A site's or an event's page: its photos, whether the user may change it, its history."""
    return {
        "photos": selectors.photos(obj),
        "can_manage": request.user.has_perm("memorials.manage") and sees(request.user, obj, perm="memorials.manage"),
        "history": entries_for_object(obj),
    }


def _photo(request, model, pk, attachment_pk, *, stem: str):
    """One photo of a site or an event, opened through a checked, audited view."""
    require_perm(request, "memorials.view")
    owner = get_for_user(request.user, model, pk)
    attachment = selectors.photo(owner, attachment_pk)
    if attachment is None:
        raise Http404
    services.photo_viewed(actor=request.user, owner=owner, attachment=attachment)
    return attachment_response(attachment, f"{stem}-{owner.pk}-{attachment.pk}")


# --- sites ----------------------------------------------------------------------------------------


def _sites(user, query: dict):
    query = dict(query)
    return selectors.site_list(user=user, search=query.pop("q", ""), **query)


def site_list(request):
    require_perm(request, "memorials.view")
    filters = SiteFilterForm(request.GET, user=request.user)
    query = filters.query()
    return _list_page(
        request,
        "memorials/sites_list.html",
        qs=_sites(request.user, query),
        filters=filters,
        export_query=urlencode(query),
        crumb=_("Memorial sites"),
        counts=selectors.site_counts(user=request.user),
    )


def _site_row(s) -> list:
    return [
        s.name,
        s.get_kind_display(),
        s.region_id,
        s.region.name,
        s.address,
        s.opened_on.isoformat(),
        _offers_display(s.offers),
        s.organisation.name if s.organisation_id else s.manager,
        _("Yes") if s.active else _("No"),
        s.event_count,
    ]


def site_export(request):
    """The filtered list as Excel or CSV, once the user has said why (audited)."""
    require_perm(request, "memorials.export")
    return _export(
        request,
        what="site",
        query=SiteFilterForm(request.GET, user=request.user).query(),
        rows=lambda query: _sites(request.user, query),
        header=[
            _("Name"),
            _("Kind"),
            _("Area code"),
            _("Area"),
            _("Location"),
            _("Opening date"),
            _("What it offers"),
            _("Managing organisation"),
            _("Open"),
            _("Events held"),
        ],
        row=_site_row,
        stem="memorial-sites",
        list_title=_("Memorial sites"),
        title=_("Export memorial sites"),
        crumbs=_site_crumbs((_("Export"), None)),
    )


def site_create(request):
    require_perm(request, "memorials.manage")
    form = SiteForm(request.POST or None, request.FILES or None, user=request.user, initial={"active": True})
    saved, site = form_saved(
        request,
        form,
        lambda: services.site_create(actor=request.user, data=form.data_for_service(), photos=_photos(form)),
        success=lambda site: _("The memorial site %(name)s was saved.") % {"name": site.name},
    )
    if saved:
        return redirect("memorials:site_detail", pk=site.pk)
    return render(
        request,
        "memorials/sites_form.html",
        {"form": form, "title": _("Add a memorial site"), "breadcrumbs": _site_crumbs((_("Add a site"), None))},
    )


def site_edit(request, pk):
    require_perm(request, "memorials.manage")
    site = get_for_user(request.user, MemorialSite, pk, write=True)
    form = _edit_form(request, SiteForm, services.SiteData, site)
    saved, _site = form_saved(
        request,
        form,
        lambda: services.site_update(
            site=site, actor=request.user, data=form.data_for_service(), version=_version(request), photos=_photos(form)
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("memorials:site_detail", pk=pk)
    return render(
        request,
        "memorials/sites_form.html",
        {
            "form": form,
            "title": _("Change %(name)s") % {"name": site.name},
            "breadcrumbs": _site_crumbs((site.name, reverse("memorials:site_detail", args=[pk])), (_("Change"), None)),
        },
    )


def site_detail(request, pk):
    require_perm(request, "memorials.view")
    site = get_for_user(
        request.user,
        MemorialSite.objects.select_related("region", "organisation"),
        pk,
    )
    events = selectors.site_events(user=request.user, site=site)
    return render(
        request,
        "memorials/sites_detail.html",
        {
            "s": site,
            "offers": _offers_display(site.offers),
            "events": events[:50],
            "totals": selectors.event_totals(events),
            "breadcrumbs": _site_crumbs((site.name, None)),
            **_record_context(request, site),
        },
    )


def site_photo(request, pk, attachment_pk):
    return _photo(request, MemorialSite, pk, attachment_pk, stem="memorial-site")


# --- events ---------------------------------------------------------------------------------------


def _event_filters(request, data=None):
    years = selectors.event_years(user=request.user, today=timezone.localdate())
    return EventFilterForm(request.GET if data is None else data, user=request.user, years=years)


def _event_query(filters) -> dict:
    query = filters.query()
    return {"year": query.get("year"), "occasion": query.get("occasion", ""), "prefecture": query.get("prefecture", "")}


def event_list(request):
    require_perm(request, "memorials.view")
    if "year" not in request.GET:  # the list opens on this year's events
        filters = _event_filters(request, {"year": timezone.localdate().year})
    else:
        filters = _event_filters(request)
    query = _event_query(filters)
    qs = selectors.event_list(user=request.user, **query)
    return _list_page(
        request,
        "memorials/sites_events.html",
        qs=qs,
        filters=filters,
        export_query=urlencode({k: v for k, v in query.items() if v} or {"year": ""}),
        crumb=_("Memorial events"),
        totals=selectors.event_totals(qs),
    )


def _event_row(e) -> list:
    return [
        e.held_on.isoformat(),
        e.title,
        e.get_occasion_display(),
        e.site.name if e.site_id else "",
        e.region_id,
        e.region.name,
        e.organisers,
        e.participants,
        "" if e.families_invited is None else e.families_invited,
        "" if e.families_attended is None else e.families_attended,
    ]


def event_export(request):
    require_perm(request, "memorials.export")
    return _export(
        request,
        what="event",
        query=_event_query(_event_filters(request)),
        rows=lambda query: selectors.event_list(user=request.user, **query),
        header=[
            _("Date"),
            _("Title"),
            _("Occasion"),
            _("Memorial site"),
            _("Area code"),
            _("Area"),
            _("Organisers"),
            _("Participants"),
            _("Donor families invited"),
            _("Donor families attending"),
        ],
        row=_event_row,
        stem="memorial-events",
        list_title=_("Memorial events"),
        title=_("Export memorial events"),
        crumbs=_event_crumbs((_("Export"), None)),
    )


def _suggestions(today: date) -> list:
    return [
        {
            "day": d,
            "kind": d.kind,
            "label": d.label,
            "query": urlencode({"occasion": d.kind, "held_on": d.day.isoformat()}),
        }
        for d in selectors.suggested_days(today)
    ]


def _event_form_page(request, form, *, title, crumbs, action):
    return render(
        request,
        "memorials/sites_event_form.html",
        {
            "form": form,
            "title": title,
            "action": action,
            "suggestions": _suggestions(timezone.localdate()),
            "breadcrumbs": crumbs,
        },
    )


def _warn(request, event) -> None:
    for warning in services.date_warnings(event.occasion, event.held_on):
        messages.warning(request, warning)


def event_create(request):
    require_perm(request, "memorials.manage")
    initial = {}
    occasion = request.GET.get("occasion", "")
    if occasion in MemorialEvent.Occasion.values:
        initial["occasion"] = occasion
    try:
        initial["held_on"] = date.fromisoformat(request.GET.get("held_on", ""))
    except ValueError:
        pass
    site = plain_number(request.GET.get("site", ""))
    if site is not None:
        initial["site"] = site
    form = EventForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    saved, event = form_saved(
        request,
        form,
        lambda: services.event_create(actor=request.user, data=form.data_for_service(), photos=_photos(form)),
        success=lambda event: _("The memorial event %(title)s was saved.") % {"title": event.title},
    )
    if saved:
        _warn(request, event)
        return redirect("memorials:event_detail", pk=event.pk)
    return _event_form_page(
        request,
        form,
        title=_("Add a memorial event"),
        crumbs=_event_crumbs((_("Add an event"), None)),
        action=reverse("memorials:event_create"),
    )


def event_edit(request, pk):
    require_perm(request, "memorials.manage")
    event = get_for_user(request.user, MemorialEvent, pk, write=True)
    form = _edit_form(request, EventForm, services.EventData, event)
    saved, changed = form_saved(
        request,
        form,
        lambda: services.event_update(
            event=event,
            actor=request.user,
            data=form.data_for_service(),
            version=_version(request),
            photos=_photos(form),
        ),
        success=_("The changes were saved."),
    )
    if saved:
        _warn(request, changed)
        return redirect("memorials:event_detail", pk=pk)
    return _event_form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": event.title},
        crumbs=_event_crumbs((event.title, reverse("memorials:event_detail", args=[pk])), (_("Change"), None)),
        action=reverse("memorials:event_edit", args=[pk]),
    )


def event_detail(request, pk):
    require_perm(request, "memorials.view")
    event = get_for_user(
        request.user,
        MemorialEvent.objects.select_related("site", "region", "created_by"),
        pk,
    )
    site_visible = event.site_id and sees(request.user, event.site, perm="memorials.view")
    return render(
        request,
        "memorials/sites_event_detail.html",
        {
            "e": event,
            "site_visible": site_visible,
            "warnings": services.date_warnings(event.occasion, event.held_on),
            "breadcrumbs": _event_crumbs((event.title, None)),
            **_record_context(request, event),
        },
    )


def event_photo(request, pk, attachment_pk):
    return _photo(request, MemorialEvent, pk, attachment_pk, stem="memorial-event")


urlpatterns = [
    path("sites/", site_list, name="sites"),
    path("sites/export/", site_export, name="site_export"),
    path("sites/new/", site_create, name="site_create"),
    path("sites/<int:pk>/", site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", site_edit, name="site_edit"),
    path("sites/<int:pk>/photos/<int:attachment_pk>/", site_photo, name="site_photo"),
    path("events/", event_list, name="events"),
    path("events/export/", event_export, name="event_export"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/photos/<int:attachment_pk>/", event_photo, name="event_photo"),
]
public_urlpatterns: list = []
