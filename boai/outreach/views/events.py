"""Pages of publicity events and partners: the list (scoped, filtered, counted, exported to Excel and
audited), the calendar (month and week, server-rendered), each event's page with its photos (opened
through a checked, audited view) and registrations, the forms, and the partners' list. Thin: the rules
live in ``services.events``, the reads in ``selectors.events``."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from boai.accounts.scoping import get_for_user, sees
from boai.audit.selectors import entries_for_object
from boai.core.errors import DomainError
from boai.core.forms import CharField, DateField, DateInput, IntegerField, MultipleFileField, MultipleFileInput
from boai.core.interface import form_error, form_saved, parse_version, require_perm
from boai.core.responses import attachment_response, table_download
from boai.lib.pagination import paginate

from ..models import Event, EventKind, Mode, Partner
from ..selectors import campaigns as campaign_selectors
from ..selectors import events as selectors
from ..services import events as services
from .media import media_panel


def _event_crumbs(*more):
    return [(_("Publicity events"), reverse("outreach:events")), *more]


def _partner_crumbs(*more):
    return [(_("Partners"), reverse("outreach:partners")), *more]


# --- forms ----------------------------------------------------------------------------------------


def _photos_field():
    return MultipleFileField(
        label=gettext_lazy("Add photos (JPEG or PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )


class EventFilterForm(forms.Form):
    """The list's filters: nothing personal, so they travel in the URL."""

    q = CharField(label=gettext_lazy("Title"), max_length=64, required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("All")), *EventKind.choices]
    )
    campaign = forms.TypedChoiceField(label=gettext_lazy("Campaign"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=gettext_lazy("Prefecture"), required=False)
    mode = forms.ChoiceField(
        label=gettext_lazy("Online or on site"), required=False, choices=[("", gettext_lazy("All")), *Mode.choices]
    )

    def __init__(self, *args, user=None, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", gettext_lazy("All years"))] + [(y, y) for y in years]
        self.fields["campaign"].choices = [("", gettext_lazy("All"))] + [
            (c.pk, c.title) for c in selectors.campaigns_for(user)
        ]
        self.fields["region"].choices = [("", gettext_lazy("All"))] + [
            (r.code, r.name) for r in selectors.prefectures_for(user)
        ]

    def query(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {k: v for k, v in data.items() if v}


class EventForm(forms.Form):
    title = CharField(label=gettext_lazy("Title"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[("", "—"), *EventKind.choices])
    campaign = forms.TypedChoiceField(
        label=gettext_lazy("Campaign"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("If the event is part of a campaign (a registration season, a Qingming series)."),
    )
    starts_on = DateField(label=gettext_lazy("First day of the event"), widget=DateInput)
    ends_on = DateField(
        label=gettext_lazy("Last day of the event"),
        widget=DateInput,
        help_text=gettext_lazy("The same day for a one-day event."),
    )
    place = CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    region = forms.ChoiceField(
        label=gettext_lazy("Held in"),
        help_text=gettext_lazy("Where the event was held; it is counted there (an event of the province only once)."),
    )
    organisers = CharField(label=gettext_lazy("Organisers"), max_length=200)
    partners = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Partner departments"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(label=gettext_lazy("Online or on site"), choices=Mode.choices, initial=Mode.OFFLINE)
    audience = IntegerField(
        label=gettext_lazy("Audience"),
        min_value=0,
        max_value=services.MAX_COUNT,
        required=False,
        help_text=gettext_lazy("How many people it reached; leave empty until it is known."),
    )
    volunteers = IntegerField(
        label=gettext_lazy("Volunteers"), min_value=0, max_value=services.MAX_COUNT, required=False
    )
    report = CharField(label=gettext_lazy("Short report"), max_length=4000, required=False, widget=forms.Textarea)
    photos = _photos_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", gettext_lazy("None"))] + [
            (c.pk, f"{c.title}（{c.starts_on:%Y-%m-%d}）") for c in selectors.campaigns_for(user)
        ]
        self.fields["region"].choices = [("", gettext_lazy("Choose"))] + [
            (r.code, f"{r.code} {r.name}") for r in selectors.regions_for(user)
        ]
        self.fields["partners"].choices = [(p.pk, p.name) for p in selectors.partners_for(include=tuple(chosen))]

    def data_for_service(self) -> services.EventData:
        d = self.cleaned_data
        values = {name: d.get(name) for name in services.EventData.FIELDS}
        values.update(partners=list(d.get("partners") or []), region=d.get("region") or "")
        return services.EventData(**values)


class PhotosForm(forms.Form):
    photos = _photos_field()


class PartnerForm(forms.Form):
    name = CharField(label=gettext_lazy("Name of the department or organisation"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Partner.Kind.choices)
    active = forms.BooleanField(label=gettext_lazy("In use (offered on the event form)"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_service(self) -> services.PartnerData:
        d = self.cleaned_data
        return services.PartnerData(name=d["name"], kind=d["kind"], active=d["active"])


# --- the list and its export ----------------------------------------------------------------------


def _filters(request, data=None):
    years = selectors.event_years(user=request.user, today=timezone.localdate())
    return EventFilterForm(request.GET if data is None else data, user=request.user, years=years)


def _events(user, query: dict):
    query = dict(query)
    return selectors.event_list(user=user, search=query.pop("q", ""), **query)


def event_list(request):
    require_perm(request, "outreach.view")
    filters = _filters(request)
    query = filters.query()
    qs = _events(request.user, query)
    return render(
        request,
        "outreach/events_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "export_query": urlencode(query),
            "totals": selectors.event_totals(qs),
            "can_manage": request.user.has_perm("outreach.manage"),
            "can_export": request.user.has_perm("outreach.export"),
            "breadcrumbs": [(_("Publicity events"), None)],
        },
    )


def _row(e) -> list:
    return [
        e.code,
        e.starts_on.isoformat(),
        e.ends_on.isoformat(),
        e.title,
        e.get_kind_display(),
        e.campaign.title if e.campaign_id else "",
        e.region_id,
        e.region.name,
        e.place,
        e.organisers,
        "、".join(p.name for p in e.partners.all()),
        e.get_mode_display(),
        "" if e.audience is None else e.audience,
        "" if e.volunteers is None else e.volunteers,
    ]


def event_export(request):
    """The filtered list as an Excel workbook (events hold no personal data: no reason asked; audited)."""
    require_perm(request, "outreach.export")
    query = _filters(request).query()
    qs = _events(request.user, query).prefetch_related("partners")
    services.events_exported(actor=request.user, filters=query, fmt="xlsx", count=qs.count())
    header = [
        _("Code"),
        _("First day of the event"),
        _("Last day of the event"),
        _("Title"),
        _("Kind"),
        _("Campaign"),
        _("Area code"),
        _("Held in"),
        _("Place"),
        _("Organisers"),
        _("Partner departments"),
        _("Online or on site"),
        _("Audience"),
        _("Volunteers"),
    ]
    return table_download(
        stem="publicity-events", title=_("Publicity events"), header=header, rows=(_row(e) for e in qs), fmt="xlsx"
    )


# --- the calendar ---------------------------------------------------------------------------------


def _parse_day(value: str, today: date) -> date:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return today
    return day if date(2000, 1, 1) <= day <= date(2100, 12, 31) else today


def _month_start(day: date, step: int) -> date:
    months = day.year * 12 + day.month - 1 + step
    return date(months // 12, months % 12 + 1, 1)


def event_calendar(request):
    require_perm(request, "outreach.view")
    today = timezone.localdate()
    week = request.GET.get("view") == "week"
    day = _parse_day(request.GET.get("date", ""), today)
    if month := request.GET.get("month", ""):  # the month picker: YYYY-MM
        day = _parse_day(f"{month}-01", day)
    if week:
        days = selectors.week_days(user=request.user, day=day)
        weeks = [days]
        prev_day, next_day = day - timedelta(7), day + timedelta(7)
        title = _("Week of %(monday)s to %(sunday)s") % {
            "monday": days[0].day.isoformat(),
            "sunday": days[-1].day.isoformat(),
        }
    else:
        weeks = selectors.month_weeks(user=request.user, year=day.year, month=day.month)
        prev_day, next_day = _month_start(day, -1), _month_start(day, 1)
        # "2026年12月" in Chinese, "December 2026" in English (the locale's year-month format)
        title = date_format(date(day.year, day.month, 1), "YEAR_MONTH_FORMAT")
    view = "week" if week else "month"

    def link(d, v=view):
        return "?" + urlencode({"view": v, "date": d.isoformat()})

    return render(
        request,
        "outreach/events_calendar.html",
        {
            "weeks": weeks,
            "week": week,
            "title": title,
            "today": today,
            "weekdays": [WEEKDAYS[i] for i in range(7)],
            "prev_link": link(prev_day),
            "next_link": link(next_day),
            "today_link": link(today),
            "month_link": link(day, "month"),
            "week_link": link(day, "week"),
            "month_value": f"{day.year:04d}-{day.month:02d}",
            "has_events": any(d.events for w in weeks for d in w),
            "can_manage": request.user.has_perm("outreach.manage"),
            "breadcrumbs": _event_crumbs((_("Calendar"), None)),
        },
    )


# --- one event ------------------------------------------------------------------------------------


def _version(request):
    return parse_version(request.POST.get("version", ""))


def _form_page(request, form, *, title, crumbs):
    return render(request, "outreach/events_form.html", {"form": form, "title": title, "breadcrumbs": crumbs})


def event_new(request):
    require_perm(request, "outreach.manage")
    form = EventForm(request.POST or None, request.FILES or None, user=request.user, initial={"mode": Mode.OFFLINE})
    saved, event = form_saved(
        request,
        form,
        lambda: services.event_create(
            actor=request.user, data=form.data_for_service(), photos=form.cleaned_data["photos"]
        ),
        success=lambda event: _("The publicity event %(title)s was saved.") % {"title": event.title},
    )
    if saved:
        return redirect("outreach:event", pk=event.pk)
    return _form_page(request, form, title=_("Add a publicity event"), crumbs=_event_crumbs((_("Add an event"), None)))


def event_edit(request, pk):
    require_perm(request, "outreach.manage")
    event = get_for_user(request.user, Event, pk, write=True)
    if not sees(request.user, event, perm="outreach.manage"):
        raise Http404
    data = services.EventData.of(event)
    initial = {name: getattr(data, name) for name in services.EventData.FIELDS} | {"version": event.version}
    form = EventForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user, chosen=data.partners
    )
    saved, _event = form_saved(
        request,
        form,
        lambda: services.event_update(
            event=event,
            actor=request.user,
            data=form.data_for_service(),
            version=_version(request),
            photos=form.cleaned_data["photos"],
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("outreach:event", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": event.title},
        crumbs=_event_crumbs((event.title, reverse("outreach:event", args=[pk])), (_("Change"), None)),
    )


def event_detail(request, pk):
    require_perm(request, "outreach.view")
    event = get_for_user(request.user, Event.objects.select_related("region", "campaign", "created_by"), pk)
    can_manage = request.user.has_perm("outreach.manage") and sees(request.user, event, perm="outreach.manage")
    photos_form = PhotosForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            require_perm(request, "outreach.manage")
            raise Http404
        if photos_form.is_valid():
            try:
                added = services.event_photos_add(
                    event=event, actor=request.user, photos=photos_form.cleaned_data["photos"]
                )
            except DomainError as exc:
                form_error(photos_form, exc)
            else:
                if added:
                    messages.success(request, _("The photos were added."))
                return redirect("outreach:event", pk=pk)
    return render(
        request,
        "outreach/events_detail.html",
        {
            "e": event,
            "partners": event.partners.all(),
            "campaign_visible": event.campaign_id and campaign_selectors.sees_campaign(request.user, event.campaign),
            "media": media_panel(request, event=event),
            "registrations": selectors.registrations_count(event),
            "photos": selectors.photos(event),
            "photos_form": photos_form,
            "can_manage": can_manage,
            "can_collect": request.user.has_perm("outreach.collect") and can_manage,
            "history": entries_for_object(event),
            "breadcrumbs": _event_crumbs((event.title, None)),
        },
    )


def event_photo(request, pk, attachment_pk):
    """One photo of an event, opened through a checked, audited view."""
    require_perm(request, "outreach.view")
    event = get_for_user(request.user, Event, pk)
    attachment = selectors.photo(event, attachment_pk)
    if attachment is None:
        raise Http404
    services.photo_viewed(actor=request.user, event=event, attachment=attachment)
    return attachment_response(attachment, f"publicity-event-{event.pk}-{attachment.pk}")


# --- partners -------------------------------------------------------------------------------------


def partner_list(request):
    require_perm(request, "outreach.view")
    return render(
        request,
        "outreach/events_partners.html",
        {
            "partners": selectors.partner_list(),
            "can_manage": request.user.has_perm("outreach.manage"),
            "can_change": request.user.has_perm("outreach.partners"),
            "breadcrumbs": [(_("Partners"), None)],
        },
    )


def partner_new(request):
    require_perm(request, "outreach.manage")
    form = PartnerForm(request.POST or None, initial={"active": True})
    saved, partner = form_saved(
        request,
        form,
        lambda: services.partner_create(actor=request.user, data=form.data_for_service()),
        success=lambda partner: _("The partner %(name)s was saved.") % {"name": partner.name},
    )
    if saved:
        return redirect("outreach:partners")
    return _form_page(request, form, title=_("Add a partner"), crumbs=_partner_crumbs((_("Add a partner"), None)))


def partner_edit(request, pk):
    require_perm(request, "outreach.partners")
    partner = Partner.objects.filter(pk=pk).first()
    if partner is None:
        raise Http404
    data = services.PartnerData.of(partner)
    initial = {"name": data.name, "kind": data.kind, "active": data.active, "version": partner.version}
    form = PartnerForm(request.POST or None, initial=initial)
    saved, _partner = form_saved(
        request,
        form,
        lambda: services.partner_update(
            partner=partner, actor=request.user, data=form.data_for_service(), version=_version(request)
        ),
        success=_("The changes were saved."),
    )
    if saved:
        return redirect("outreach:partners")
    return _form_page(
        request,
        form,
        title=_("Change %(name)s") % {"name": partner.name},
        crumbs=_partner_crumbs((partner.name, None), (_("Change"), None)),
    )


urlpatterns = [
    path("events/", event_list, name="events"),
    path("events/export/", event_export, name="event_export"),
    path("events/calendar/", event_calendar, name="calendar"),
    path("events/new/", event_new, name="event_new"),
    path("events/<int:pk>/", event_detail, name="event"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/photos/<int:attachment_pk>/", event_photo, name="event_photo"),
    path("partners/", partner_list, name="partners"),
    path("partners/new/", partner_new, name="partner_new"),
    path("partners/<int:pk>/edit/", partner_edit, name="partner_edit"),
]
public_urlpatterns: list = []
