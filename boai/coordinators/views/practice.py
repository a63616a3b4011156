"""Pages of practice: the on-call roster, assessments, awards and the overview. Thin: the rules live
in ``services.practice``, the reads in ``selectors.practice``."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boai.accounts.scoping import get_for_user, user_region_prefix, visible
from boai.core.errors import DomainError
from boai.core.forms import MultipleFileField
from boai.core.interface import form_error, require_perm
from boai.core.models import Attachment, Organisation, Region
from boai.core.responses import attachment_response, table_download
from boai.lib import charts
from boai.lib.masking import mask_phone
from boai.lib.numbers import plain_number
from boai.lib.pagination import paginate

from ..models import Assessment, Award, Coordinator, OnCallShift
from ..selectors import practice as selectors
from ..services import practice as services
from ..services.exports import list_exported

# --- forms ----------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class ShiftForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"), queryset=Coordinator.objects.none(), empty_label=gettext_lazy("Choose…")
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DateInput)
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=DateInput)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class AssessmentForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"), queryset=Coordinator.objects.none(), empty_label=gettext_lazy("Choose…")
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    score = forms.DecimalField(label=gettext_lazy("Score (0–100)"), min_value=0, max_value=100, decimal_places=1)
    rating = forms.ChoiceField(label=gettext_lazy("Rating"), choices=Assessment.Rating.choices)
    assessed_on = forms.DateField(label=gettext_lazy("Assessed on"), widget=DateInput)
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=2000, required=False, widget=forms.Textarea)
    evidence = MultipleFileField(label=gettext_lazy("Evidence (scans)"), required=False)


class AwardForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Award"), choices=Award.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=128, required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"),
        queryset=Coordinator.objects.none(),
        required=False,
        empty_label=gettext_lazy("Choose…"),
    )
    name = forms.CharField(
        label=gettext_lazy("Name (hospital staff without a coordinator record)"), max_length=64, required=False
    )
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation of that person"), required=False)
    document_number = forms.CharField(label=gettext_lazy("Document number"), max_length=64)
    awarded_on = forms.DateField(label=gettext_lazy("Awarded on"), widget=DateInput)
    awarded_by = forms.CharField(label=gettext_lazy("Awarded by"), max_length=128)


# --- on call --------------------------------------------------------------------------------------


def _prefecture(request) -> str:
    """The prefecture shown: the user's own, or the one a provincial user chose."""
    prefix = user_region_prefix(request.user) or ""
    choices = [r.code for r in selectors.prefectures_for(request.user)]
    chosen = request.GET.get("prefecture") or request.POST.get("prefecture") or ""
    if chosen in choices:
        return chosen
    if len(prefix) >= 4:
        return prefix[:4] + "00"
    return choices[0] if choices else ""


def _week(request) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = today
    return selectors.week_start(day)


def _contacts(request, coordinators, where):
    """Each coordinator's phone as the user may see it: whole for coordinators.contact (audited)."""
    full = request.user.has_perm("coordinators.contact")
    if full:
        services.contacts_shown(actor=request.user, coordinators=coordinators, where=where)
    return {c.pk: (c.phone if full else mask_phone(c.phone)) for c in coordinators}


def on_call(request):
    require_perm(request, "coordinators.view")
    prefecture = _prefecture(request)
    monday = _week(request)
    weeks = []
    shown = []
    for start in (monday, monday + timedelta(days=7)):
        rows = list(
            selectors.roster_shifts(
                user=request.user, prefecture=prefecture, start=start, end=start + timedelta(days=6)
            )
        )
        shown += [s.coordinator for s in rows]
        weeks.append({"start": start, "end": start + timedelta(days=6), "shifts": rows})
    people = list({c.pk: c for c in shown}.values())
    refused = selectors.roster_refusals(people, when=timezone.now())  # no one to call: no phone shown
    phones = _contacts(request, [c for c in people if c.pk not in refused], "on_call")
    for week in weeks:
        week["shifts"] = [
            (s, phones.get(s.coordinator_id, ""), refused.get(s.coordinator_id, "")) for s in week["shifts"]
        ]
    region = Region.objects.filter(code=prefecture).first()
    county = len(user_region_prefix(request.user) or "") == 6  # reads its prefecture's roster only
    context = {
        "prefecture": prefecture,
        "region": region,
        "prefectures": selectors.prefectures_for(request.user),
        "weeks": weeks,
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "this_week": selectors.week_start(timezone.localdate()).isoformat(),
        "today": timezone.localdate(),
        "can_manage": request.user.has_perm("coordinators.manage") and not county,
        "county": county,
        "breadcrumbs": [(_("On call"), None)],
    }
    return render(request, "coordinators/practice_on_call.html", context)


def on_call_new(request):
    require_perm(request, "coordinators.manage")
    prefecture = _prefecture(request)
    today = timezone.localdate()
    form = ShiftForm(request.POST or None, initial={"starts_on": today, "ends_on": today + timedelta(days=6)})
    form.fields["coordinator"].queryset = visible(request.user, Coordinator, perm="coordinators.view").filter(
        state=Coordinator.State.QUALIFIED
    )
    form.fields["coordinator"].choices = [("", "—")] + [
        (c.pk, f"{c.name} · {c.organisation.name}")
        for c in selectors.shift_candidates(user=request.user, prefecture=prefecture, day=today)
    ]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.shift_add(
                actor=request.user,
                prefecture=prefecture,
                coordinator=d["coordinator"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                note=d["note"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is on call from %(start)s to %(end)s.")
                % {"name": d["coordinator"].name, "start": d["starts_on"], "end": d["ends_on"]},
            )
            return redirect(
                f"{reverse('coordinators:on_call')}?prefecture={prefecture}&week={selectors.week_start(d['starts_on'])}"
            )
    return render(
        request,
        "coordinators/practice_on_call_new.html",
        {
            "form": form,
            "prefecture": prefecture,
            "region": Region.objects.filter(code=prefecture).first(),
            "prefectures": selectors.prefectures_for(request.user),
            "breadcrumbs": [(_("On call"), reverse("coordinators:on_call")), (_("Add a shift"), None)],
        },
    )


@require_POST
def on_call_end(request, pk):
    require_perm(request, "coordinators.manage")
    shift = get_for_user(request.user, visible(request.user, OnCallShift, perm="coordinators.view"), pk)
    prefecture = shift.region_id
    try:
        kept = services.shift_end(actor=request.user, shift=shift)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The shift was ended.") if kept else _("The shift was deleted."))
    return redirect(f"{reverse('coordinators:on_call')}?prefecture={prefecture}")


# --- assessments and awards -----------------------------------------------------------------------


def _year(value, default=None):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _region_filter(request) -> str:
    value = request.GET.get("region", "")
    return value if plain_number(value, digits=6) is not None and len(value) in (2, 4, 6) else ""


def assessments(request):
    require_perm(request, "coordinators.view")
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year"), this_year)
    rating = request.GET.get("rating", "")
    rating = rating if rating in Assessment.Rating.values else ""
    region = _region_filter(request)
    search = request.GET.get("q", "").strip()[:40]
    qs = selectors.assessment_list(user=request.user, year=year, rating=rating, region=region, search=search)
    if request.GET.get("format") == "xlsx":
        require_perm(request, "coordinators.export")
        list_exported(actor=request.user, what="assessment", filters={"year": year, "rating": rating, "region": region})
        rows = (
            [
                a.year,
                a.coordinator.name,
                a.coordinator.organisation.name,
                str(a.score),
                a.get_rating_display(),
                a.assessor.get_full_name() or a.assessor.username,
                a.assessed_on.isoformat(),
                a.comment,
            ]
            for a in qs
        )
        header = [
            _("Year"),
            _("Coordinator"),
            _("Organisation"),
            _("Score"),
            _("Rating"),
            _("Assessor"),
            _("Assessed on"),
            _("Comment"),
        ]
        return table_download(stem="coordinator-assessments", title=_("Assessments"), header=header, rows=rows)
    page = paginate(request, qs)
    scans = {}
    ids = [str(a.pk) for a in page.object_list]
    for att in Attachment.objects.filter(owner_type="coordinators.assessment", owner_id__in=ids).order_by("id"):
        scans.setdefault(int(att.owner_id), []).append(att)
    context = {
        "page": page,
        "rows": [(a, scans.get(a.pk, [])) for a in page.object_list],
        "year": year,
        "years": list(range(this_year, this_year - 8, -1)),
        "rating": rating,
        "ratings": Assessment.Rating.choices,
        "region": region,
        "regions": selectors.prefectures_for(request.user),
        "q": search,
        "awards": list(selectors.award_list(user=request.user, year=year)[:50]),
        "can_assess": request.user.has_perm("coordinators.assess"),
        "can_award": request.user.has_perm("coordinators.award"),
        "can_export": request.user.has_perm("coordinators.export"),
        "breadcrumbs": [(_("Assessments and awards"), None)],
    }
    return render(request, "coordinators/practice_assessments.html", context)


def assessment_new(request):
    require_perm(request, "coordinators.assess")
    today = timezone.localdate()
    form = AssessmentForm(
        request.POST or None, request.FILES or None, initial={"year": today.year, "assessed_on": today}
    )
    form.fields["coordinator"].queryset = visible(request.user, Coordinator, perm="coordinators.assess").select_related(
        "organisation"
    )
    form.fields["coordinator"].label_from_instance = lambda c: f"{c.name} · {c.organisation.name}"
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assessment_record(
                actor=request.user,
                coordinator=d["coordinator"],
                year=d["year"],
                score=d["score"],
                rating=d["rating"],
                assessed_on=d["assessed_on"],
                comment=d["comment"],
                evidence=d["evidence"] or [],
            )
        except DomainError as exc:
            form_error(form, exc, fields={"scan": "evidence"})
        else:
            messages.success(
                request,
                _("Assessment of %(name)s for %(year)s recorded.") % {"name": d["coordinator"].name, "year": d["year"]},
            )
            return redirect(f"{reverse('coordinators:assessments')}?year={d['year']}")
    return render(
        request,
        "coordinators/practice_form.html",
        {
            "form": form,
            "title": _("Record an assessment"),
            "multipart": True,
            "breadcrumbs": [
                (_("Assessments and awards"), reverse("coordinators:assessments")),
                (_("Record an assessment"), None),
            ],
        },
    )


def assessment_evidence(request, pk, attachment_pk):
    require_perm(request, "coordinators.view")
    assessment = get_for_user(request.user, visible(request.user, Assessment, perm="coordinators.view"), pk)
    attachment = Attachment.objects.filter(
        pk=attachment_pk, owner_type="coordinators.assessment", owner_id=str(assessment.pk)
    ).first()
    if attachment is None:
        raise Http404
    services.evidence_viewed(actor=request.user, assessment=assessment, attachment=attachment)
    return attachment_response(attachment, f"assessment-{assessment.year}-{assessment.pk}-{attachment.pk}")


def awards(request):
    require_perm(request, "coordinators.view")
    year = _year(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in Award.Kind.values else ""
    region = _region_filter(request)
    qs = selectors.award_list(user=request.user, year=year, kind=kind, region=region)
    this_year = timezone.localdate().year
    return render(
        request,
        "coordinators/practice_awards.html",
        {
            "page": paginate(request, qs),
            "year": year,
            "years": list(range(this_year, this_year - 8, -1)),
            "kind": kind,
            "kinds": Award.Kind.choices,
            "region": region,
            "regions": selectors.prefectures_for(request.user),
            "can_award": request.user.has_perm("coordinators.award"),
            "breadcrumbs": [(_("Assessments and awards"), reverse("coordinators:assessments")), (_("Awards"), None)],
        },
    )


def award_new(request):
    require_perm(request, "coordinators.award")
    today = timezone.localdate()
    form = AwardForm(request.POST or None, initial={"year": today.year, "awarded_on": today})
    form.fields["coordinator"].queryset = visible(request.user, Coordinator, perm="coordinators.view").select_related(
        "organisation"
    )
    form.fields["coordinator"].label_from_instance = lambda c: f"{c.name} · {c.organisation.name}"
    form.fields["organisation"].choices = [("", "—")] + [
        (o.code, o.name)
        for o in Organisation.objects.filter(
            is_active=True,
            type__in=[Organisation.Type.OPO_UNIT, Organisation.Type.HOSPITAL, Organisation.Type.RC_BRANCH],
        ).order_by("type", "code")
    ]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            award = services.award_record(
                actor=request.user,
                kind=d["kind"],
                title=d["title"],
                year=d["year"],
                coordinator=d["coordinator"],
                name=d["name"],
                organisation=d["organisation"],
                document_number=d["document_number"],
                awarded_on=d["awarded_on"],
                awarded_by=d["awarded_by"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Award to %(name)s recorded.") % {"name": award.name})
            return redirect(f"{reverse('coordinators:awards')}?year={award.year}")
    return render(
        request,
        "coordinators/practice_form.html",
        {
            "form": form,
            "title": _("Record an award"),
            "breadcrumbs": [(_("Awards"), reverse("coordinators:awards")), (_("Record an award"), None)],
        },
    )


# --- overview -------------------------------------------------------------------------------------

COLUMN_LABELS = {
    "coordinators": gettext_lazy("Coordinators (active)"),
    "qualified": gettext_lazy("Qualified"),
    "classes": gettext_lazy("Trainings held"),
    "trained": gettext_lazy("People trained"),
    "national_training": gettext_lazy("Sent to national trainings"),
    "newly_qualified": gettext_lazy("Newly qualified"),
    "excellent": gettext_lazy("Excellent coordinators"),
    "witnessed": gettext_lazy("Cases witnessed"),
}
ACTIVE_NOTE = gettext_lazy(
    "Coordinators (active): people in training or qualified; applicants and suspended, revoked, rejected or"
    " departed people are not counted. Province level (direct): what belongs to the province itself (its"
    " coordinators, classes and awards); the rows add up to the total."
)
CHART_KEYS = ("qualified", "national_training", "newly_qualified", "witnessed")


def _overview_data(request):
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year"), this_year)
    return year, selectors.overview(user=request.user, year=year)


def overview(request):
    require_perm(request, "coordinators.view")
    year, data = _overview_data(request)
    columns = [(key, COLUMN_LABELS[key]) for key in selectors.OVERVIEW_COLUMNS]
    this_year = timezone.localdate().year
    return render(
        request,
        "coordinators/practice_overview.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 8, -1)),
            "columns": columns,
            "rows": [(region, [values[k] for k in selectors.OVERVIEW_COLUMNS]) for region, values in data["rows"]],
            "total": (data["total"][0], [data["total"][1][k] for k in selectors.OVERVIEW_COLUMNS])
            if data["total"]
            else None,
            "chart": charts.bar_chart(data["rows"], CHART_KEYS),
            "legend": [(charts.PALETTE[i % len(charts.PALETTE)], COLUMN_LABELS[k]) for i, k in enumerate(CHART_KEYS)],
            "can_export": request.user.has_perm("coordinators.export"),
            "active_note": ACTIVE_NOTE,
            "breadcrumbs": [(_("Coordinator overview"), None)],
        },
    )


def overview_export(request):
    require_perm(request, "coordinators.export")
    year, data = _overview_data(request)
    services.overview_exported(actor=request.user, year=year)
    header = [_("Area")] + [str(COLUMN_LABELS[k]) for k in selectors.OVERVIEW_COLUMNS]
    rows = [[str(region.name)] + [values[k] for k in selectors.OVERVIEW_COLUMNS] for region, values in data["rows"]]
    if data["total"]:
        rows.append([_("Total")] + [data["total"][1][k] for k in selectors.OVERVIEW_COLUMNS])
    rows += [[], [str(ACTIVE_NOTE)]]
    return table_download(
        stem=f"coordinator-overview-{year}",
        title=_("Coordinator overview %(year)s") % {"year": year},
        header=header,
        rows=rows,
    )


urlpatterns = [
    path("on-call/", on_call, name="on_call"),
    path("on-call/new/", on_call_new, name="on_call_new"),
    path("on-call/<int:pk>/end/", on_call_end, name="on_call_end"),
    path("assessments/", assessments, name="assessments"),
    path("assessments/new/", assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/evidence/<int:attachment_pk>/", assessment_evidence, name="assessment_evidence"),
    path("awards/", awards, name="awards"),
    path("awards/new/", award_new, name="award_new"),
    path("overview/", overview, name="overview"),
    path("overview/export/", overview_export, name="overview_export"),
]
