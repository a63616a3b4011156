"""Training pages: courses, classes (list, new, one class with its sessions, roster, attendance grid
and results, edit), the roster and sign-in sheet as Excel, and the training certificate PDF."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from boai.core.errors import DomainError
from boai.core.forms import DateField, IntegerField
from boai.core.interface import form_error, require_perm
from boai.core.responses import XLSX
from boai.lib import sheets
from boai.lib.masking import mask_phone
from boai.lib.pagination import paginate
from boai.lib.pdf import render_pdf

from ..models import Attendance, Course, TrainingKind
from ..selectors import training as selectors
from ..services import training as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [("", gettext_lazy("All kinds")), *TrainingKind.choices]


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=128)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TrainingKind.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=Course.objects.all(), empty_label=gettext_lazy("Choose…")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=128)
    organiser = forms.CharField(label=gettext_lazy("Organiser"), max_length=128)
    starts_on = DateField(label=gettext_lazy("First day"), widget=DATE)
    ends_on = DateField(label=gettext_lazy("Last day"), widget=DATE)
    hours = forms.DecimalField(label=gettext_lazy("Hours"), max_digits=5, decimal_places=1)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=128)
    capacity = IntegerField(label=gettext_lazy("Capacity"), min_value=1, max_value=10000)


class ClassEditForm(ClassForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["course"]


class SessionForm(forms.Form):
    day = DateField(label=gettext_lazy("Day"), widget=DATE)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=128)
    hours = forms.DecimalField(label=gettext_lazy("Hours"), max_digits=4, decimal_places=1)


class EnrolForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=gettext_lazy("Coordinator"), queryset=None, empty_label=gettext_lazy("Choose…")
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = queryset


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=[(r.value, r.label) for r in services.RESULTS])
    score = forms.DecimalField(label=gettext_lazy("Score"), max_digits=5, decimal_places=1, required=False)


class FilterForm(forms.Form):
    year = IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KIND_CHOICES, required=False)
    organiser = forms.CharField(label=gettext_lazy("Organiser"), max_length=64, required=False)
    q = forms.CharField(label=gettext_lazy("Title or place"), max_length=64, required=False)


def _crumbs(*more):
    return [(_("Training classes"), reverse("coordinators:classes")), *more]


# --- courses ---------------------------------------------------------------------------------------


def course_list(request):
    require_perm(request, "coordinators.view")
    return render(
        request,
        "coordinators/training_courses.html",
        {
            "courses": selectors.courses(request.user),
            "can_add": request.user.has_perm("coordinators.training"),
            "breadcrumbs": _crumbs((_("Courses"), None)),
        },
    )


def course_new(request):
    require_perm(request, "coordinators.training")
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The course was added."))
            return redirect("coordinators:courses")
    return render(
        request,
        "coordinators/training_form.html",
        {
            "form": form,
            "title": _("New course"),
            "breadcrumbs": _crumbs((_("Courses"), reverse("coordinators:courses")), (_("New course"), None)),
        },
    )


# --- classes ---------------------------------------------------------------------------------------


def class_list(request):
    require_perm(request, "coordinators.view")
    filters = FilterForm(request.GET or None)
    query = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.class_list(
        user=request.user,
        year=query.get("year"),
        kind=query.get("kind", ""),
        organiser=query.get("organiser", ""),
        search=query.get("q", ""),
    )
    return render(
        request,
        "coordinators/training_classes.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "can_add": request.user.has_perm("coordinators.training"),
            "breadcrumbs": [(_("Training classes"), None)],
        },
    )


def class_new(request):
    require_perm(request, "coordinators.training")
    form = ClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course = data.pop("course")
        try:
            training_class = services.class_create(actor=request.user, course=course, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The class was added."))
            return redirect("coordinators:class", pk=training_class.pk)
    return render(
        request,
        "coordinators/training_form.html",
        {"form": form, "title": _("New training class"), "breadcrumbs": _crumbs((_("New training class"), None))},
    )


def class_detail(request, pk, **forms_):
    require_perm(request, "coordinators.view")
    training_class = selectors.class_get(request.user, pk)
    user = request.user
    rows = list(selectors.roster(user, training_class))
    runs = selectors.runs(user, training_class)
    today = timezone.localdate()
    sessions = list(training_class.sessions.all())
    can_enrol = user.has_perm("coordinators.manage") and training_class.ends_on >= today
    context = {
        "c": training_class,
        "sessions": sessions,
        "rows": rows,
        "grid": selectors.attendance_grid(training_class, rows),
        "runs": runs,
        "statuses": Attendance.Status.choices,
        "today": today,
        "enrolled": training_class.enrolments.count(),
        "can_export": user.has_perm("coordinators.export"),
        "session_form": forms_.get("session_form") or (SessionForm() if runs else None),
        "enrol_form": forms_.get("enrol_form")
        or (EnrolForm(queryset=selectors.nominable(user, training_class)) if can_enrol else None),
        "result_form": ResultForm() if runs and training_class.ends_on <= today else None,
        "breadcrumbs": _crumbs((training_class.title, None)),
    }
    return render(request, "coordinators/training_class.html", context, status=forms_.get("status", 200))


def class_edit(request, pk):
    require_perm(request, "coordinators.training")
    training_class = selectors.class_get(request.user, pk)
    if not selectors.runs(request.user, training_class):
        messages.error(request, _("Only the branch that runs this class may change it."))
        return redirect("coordinators:class", pk=training_class.pk)
    initial = {
        f: getattr(training_class, f)
        for f in ("title", "organiser", "starts_on", "ends_on", "hours", "place", "capacity", "version")
    }
    form = ClassEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.class_update(actor=request.user, training_class=training_class, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The class was saved."))
            return redirect("coordinators:class", pk=training_class.pk)
    return render(
        request,
        "coordinators/training_form.html",
        {
            "form": form,
            "title": _("Edit training class"),
            "breadcrumbs": _crumbs(
                (training_class.title, reverse("coordinators:class", args=[training_class.pk])), (_("Edit"), None)
            ),
        },
    )


@require_POST
def session_new(request, pk):
    require_perm(request, "coordinators.training")
    training_class = selectors.class_get(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(actor=request.user, training_class=training_class, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("coordinators:class", pk=training_class.pk)
    return class_detail(request, pk, session_form=form, status=400)


@require_POST
def enrol(request, pk):
    require_perm(request, "coordinators.manage")
    training_class = selectors.class_get(request.user, pk)
    form = EnrolForm(request.POST, queryset=selectors.nominable(request.user, training_class))
    if form.is_valid():
        try:
            services.enrol(
                actor=request.user, training_class=training_class, coordinator=form.cleaned_data["coordinator"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("%(name)s was enrolled.") % {"name": form.cleaned_data["coordinator"].name})
            return redirect("coordinators:class", pk=training_class.pk)
    return class_detail(request, pk, enrol_form=form, status=400)


@require_POST
def attendance(request, pk, session_pk):
    """The attendance of one session: a status per enrolled coordinator (``status-<enrolment id>``;
    an empty one is left as it is)."""
    require_perm(request, "coordinators.training")
    training_class = selectors.class_get(request.user, pk)
    session = training_class.sessions.filter(pk=session_pk).first()
    if session is None:
        messages.error(request, _("No such session in this class."))
        return redirect("coordinators:class", pk=training_class.pk)
    statuses = [
        (enrolment, request.POST[f"status-{enrolment.pk}"])
        for enrolment in selectors.roster(request.user, training_class)
        if request.POST.get(f"status-{enrolment.pk}")
    ]
    try:
        services.attendance_sheet(actor=request.user, session=session, statuses=statuses)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Attendance saved for %(topic)s.") % {"topic": session.topic})
    return redirect("coordinators:class", pk=training_class.pk)


@require_POST
def result(request, pk):
    require_perm(request, "coordinators.training")
    enrolment = selectors.enrolment_get(request.user, pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        messages.error(request, " ".join(errors))
    else:
        try:
            services.result_record(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The result of %(name)s was saved.") % {"name": enrolment.coordinator.name})
    return redirect("coordinators:class", pk=enrolment.training_class_id)


# --- Excel -----------------------------------------------------------------------------------------


def _xlsx(training_class, stem, title, header, rows):
    stamp = timezone.localtime().strftime("%Y%m%d")
    return FileResponse(
        sheets.xlsx_file(title, header, rows),
        as_attachment=True,
        content_type=XLSX,
        filename=f"{stem}-{training_class.pk}-{stamp}.xlsx",
    )


def roster_xlsx(request, pk):
    require_perm(request, "coordinators.export")
    training_class = selectors.class_get(request.user, pk)
    rows = [
        [
            e.coordinator.name,
            e.coordinator.get_sex_display(),
            e.coordinator.organisation.name,
            e.coordinator.region.name,
            mask_phone(e.coordinator.phone),
            e.get_result_display(),
            float(e.score) if e.score is not None else "",
            float(e.hours_attended or 0),
        ]
        for e in selectors.roster(request.user, training_class)
    ]
    header = [
        _("Name"),
        _("Sex"),
        _("Organisation"),
        _("Area"),
        _("Phone"),
        _("Result"),
        _("Score"),
        _("Hours attended"),
    ]
    services.roster_exported(actor=request.user, training_class=training_class, sheet="roster", rows=len(rows))
    return _xlsx(training_class, "roster", training_class.title, header, rows)


def signin_xlsx(request, pk):
    """A printable sign-in sheet: a row per person, a column per session with an empty box to sign."""
    require_perm(request, "coordinators.export")
    training_class = selectors.class_get(request.user, pk)
    sessions = list(training_class.sessions.all())
    people = list(selectors.roster(request.user, training_class))
    header = [_("No."), _("Name"), _("Organisation"), *[f"{s.day:%m-%d} {s.topic}" for s in sessions]]
    rows = [
        [n, e.coordinator.name, e.coordinator.organisation.name, *["" for _s in sessions]]
        for n, e in enumerate(people, start=1)
    ]
    services.roster_exported(actor=request.user, training_class=training_class, sheet="signin", rows=len(rows))
    return _xlsx(training_class, "signin", _("Sign-in sheet"), header, rows)


# --- the certificate -------------------------------------------------------------------------------


def certificate_pdf(request, pk):
    require_perm(request, "coordinators.view")
    enrolment = selectors.enrolment_get(request.user, pk)
    try:
        enrolment = services.certificate_printed(actor=request.user, enrolment=enrolment)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("coordinators:class", pk=enrolment.training_class_id)
    with translation.override("zh-hans"):  # an official paper: always in Chinese
        pdf = render_pdf(
            "coordinators/training_certificate_pdf.html",
            {
                "e": enrolment,
                "c": enrolment.training_class,
                "person": enrolment.coordinator,
                "printed_on": timezone.localdate(),
            },
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="training-certificate-{enrolment.pk}.pdf"'
    return response


urlpatterns = [
    path("courses/", course_list, name="courses"),
    path("courses/new/", course_new, name="course_new"),
    path("classes/", class_list, name="classes"),
    path("classes/new/", class_new, name="class_new"),
    path("classes/<int:pk>/", class_detail, name="class"),
    path("classes/<int:pk>/edit/", class_edit, name="class_edit"),
    path("classes/<int:pk>/sessions/", session_new, name="class_session_new"),
    path("classes/<int:pk>/enrol/", enrol, name="class_enrol"),
    path("classes/<int:pk>/sessions/<int:session_pk>/attendance/", attendance, name="class_attendance"),
    path("classes/<int:pk>/roster.xlsx", roster_xlsx, name="class_roster"),
    path("classes/<int:pk>/sign-in.xlsx", signin_xlsx, name="class_signin"),
    path("enrolments/<int:pk>/result/", result, name="enrolment_result"),
    path("enrolments/<int:pk>/certificate.pdf", certificate_pdf, name="training_certificate"),
]
