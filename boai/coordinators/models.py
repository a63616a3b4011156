"""Human organ donation coordinators (人体器官捐献协调员): the person and their background, the
application and its review level by level, training (courses, classes, sessions, enrolments,
attendance), the national qualification and its suspensions, yearly assessments, awards, and the
on-call roster of each prefecture. What a coordinator did in cases (approached, witnessed, followed)
is never stored here: it is counted from the case records (``selectors.practice``).

The states are declared here; who may move a row where, and the rules each step meets, are declared
once in ``coordinators.workflow`` (the Platform's engine)."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boai.core.fields import BlindIndexField, EncryptedTextField
from boai.core.models import Organisation, Region, Scope, TimeStampedModel
from boai.core.people.models import PersonRecord


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school or below")
    VOCATIONAL = "vocational", _("Vocational college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class Coordinator(PersonRecord, TimeStampedModel):
    """A coordinator (or someone applying to become one): a person with an organisation (a Red Cross
    branch or a hospital), the area they work in (``region``: a county, a prefecture or the province
    code; it decides who sees the record and which cases they may witness), their background and
    protected contacts. ``user``: their staff account when they use Boai (hospital coordinators may
    never log in). ``state`` is where they stand, moved only by the workflow engine."""

    scope = Scope(region="region__code")

    class State(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        REJECTED = "rejected", pgettext_lazy("coordinator state", "Application rejected")
        TRAINEE = "trainee", _("In training")
        QUALIFIED = "qualified", _("Qualified")
        SUSPENDED = "suspended", pgettext_lazy("coordinator state", "Suspended")
        REVOKED = "revoked", pgettext_lazy("coordinator state", "Qualification revoked")
        LEFT = "left", _("No longer a coordinator")

    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("staff account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinator_record",
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.APPLICANT)
    profession = models.CharField(_("profession"), max_length=64, blank=True)
    department = models.CharField(_("department"), max_length=64, blank=True)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    title = models.CharField(_("professional title"), max_length=64, blank=True)
    phone = EncryptedTextField(_("phone"))
    phone_index = BlindIndexField(source="phone", kind="phone")
    email = EncryptedTextField(_("email"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="coordinators_one_record_per_person"),
        ]

    def __str__(self):
        return self.name


class ReviewLevel(models.TextChoices):
    COUNTY = "county", _("County branch")
    PREFECTURE = "prefecture", _("Prefecture branch")
    PROVINCE = "province", _("Provincial branch")


class ReviewSettings(models.Model):
    """The province's settings for coordinators (one row): the levels an application is reviewed at,
    in order, and how many days ahead a qualification's expiry is put on the work list."""

    levels = models.CharField(_("review levels"), max_length=64, default="county,prefecture,province")
    expiry_warning_days = models.PositiveSmallIntegerField(_("warn of expiry (days ahead)"), default=90)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("coordinator settings")

    def __str__(self):
        return self.levels

    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]


class Application(TimeStampedModel):
    """An application to become a coordinator, reviewed at each configured level in turn (``level``:
    the index in the levels copied at submission, so a later change of the settings never moves an
    application already under way). Documents are attachments (``core.Attachment``, encrypted)."""

    scope = Scope(region="coordinator__region__code")

    class State(models.TextChoices):
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", pgettext_lazy("application state", "Approved")
        REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")

    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.IN_REVIEW)
    levels = models.CharField(_("review levels"), max_length=64)
    level = models.PositiveSmallIntegerField(_("current level"), default=0)
    motivation = models.TextField(_("why they apply"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("coordinator application")
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator"], condition=Q(state="in_review"), name="coordinators_one_open_application"
            ),
        ]

    def __str__(self):
        return f"{self.coordinator} {timezone.localtime(self.submitted_at):%Y-%m-%d}"

    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]


class ApplicationReview(models.Model):
    """One level's decision on an application: approved, or rejected with a reason."""

    class Decision(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("review decision", "Approved")
        REJECTED = "rejected", pgettext_lazy("review decision", "Rejected")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField(_("level"), max_length=16, choices=ReviewLevel.choices)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "level"], name="coordinators_one_review_per_level"),
        ]

    def __str__(self):
        return f"{self.application_id} {self.level} {self.decision}"


# --- training -------------------------------------------------------------------------------------


class TrainingKind(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    PREFECTURE = "prefecture", _("Prefecture")


class Course(models.Model):
    """What is taught (a course may run as many classes): title, kind and a short description."""

    title = models.CharField(_("title"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("course")

    def __str__(self):
        return self.title


class TrainingClass(TimeStampedModel):
    """One class of a course: who organises it (the national centre, the provincial Health
    Commission…), when and where, its hours and capacity. ``region``: the branch that runs or sends to
    it (the province's code for national and provincial classes)."""

    scope = Scope(region="region__code")

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="classes")
    title = models.CharField(_("title"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    organiser = models.CharField(_("organiser"), max_length=128)
    region = models.ForeignKey(Region, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    place = models.CharField(_("place"), max_length=128)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("training class")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="coordinators_class_dates"),
        ]

    def __str__(self):
        return self.title


class ClassSession(models.Model):
    """One session of a class (a morning, a practical), on a day within the class's dates."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.PROTECT, related_name="sessions")
    day = models.DateField(_("day"))
    topic = models.CharField(_("topic"), max_length=128)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["day", "id"]
        verbose_name = _("session")

    def __str__(self):
        return f"{self.day} {self.topic}"


class Enrolment(models.Model):
    """A coordinator nominated to a class by a branch, and their result."""

    scope = Scope(region="coordinator__region__code")

    class Result(models.TextChoices):
        PENDING = "pending", _("Not yet known")
        PASSED = "passed", _("Passed")
        FAILED = "failed", pgettext_lazy("training result", "Failed")
        ABSENT = "absent", _("Absent")

    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.PROTECT, related_name="enrolments"
    )
    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="enrolments"
    )
    nominated_by = models.ForeignKey(
        Organisation, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated at"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.PENDING)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_number = models.CharField(_("training certificate number"), max_length=32, blank=True)

    class Meta:
        ordering = ["training_class", "coordinator__name", "id"]
        verbose_name = _("enrolment")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "coordinator"], name="coordinators_enrol_once"),
        ]

    def __str__(self):
        return f"{self.training_class_id} {self.coordinator_id}"


class Attendance(models.Model):
    """Whether an enrolled coordinator attended one session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", pgettext_lazy("attendance", "Absent")
        EXCUSED = "excused", _("Excused")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    session = models.ForeignKey(ClassSession, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="coordinators_attend_once"),
        ]

    def __str__(self):
        return f"{self.enrolment_id} {self.session_id} {self.status}"


# --- qualification --------------------------------------------------------------------------------


class Qualification(TimeStampedModel):
    """The national qualification a coordinator holds (number, date, issuing body, valid until where
    it applies) and the province's registration of it. Suspension, reinstatement and revocation are
    workflow steps (``QualificationEvent`` keeps each with its reason and document)."""

    scope = Scope(region="coordinator__region__code")

    class State(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("qualification state", "Active")
        SUSPENDED = "suspended", pgettext_lazy("qualification state", "Suspended")
        REVOKED = "revoked", pgettext_lazy("qualification state", "Revoked")

    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="qualifications"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    number = models.CharField(_("qualification number"), max_length=32, unique=True)
    issued_on = models.DateField(_("qualified on"))
    issuing_body = models.CharField(_("issuing body"), max_length=128)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    provincial_number = models.CharField(_("provincial registration number"), max_length=32, blank=True)
    registered_on = models.DateField(_("registered in the province on"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reminded_on = models.DateField(null=True, blank=True)  # the last expiry reminder sent

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("qualification")
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator"], condition=~Q(state="revoked"), name="coordinators_one_live_qualification"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued_on")),
                name="coordinators_qualification_dates",
            ),
        ]

    def __str__(self):
        return self.number


class QualificationEvent(models.Model):
    """A step in a qualification's life: granted, suspended, reinstated, revoked, renewed — with the
    reason and (through ``core.Attachment``) the document."""

    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="events")
    step = models.CharField(max_length=16)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.qualification_id} {self.step}"


# --- assessment and awards ------------------------------------------------------------------------


class Assessment(models.Model):
    """A coordinator's yearly assessment: at most one per year."""

    scope = Scope(region="coordinator__region__code")

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)
    assessor = models.ForeignKey(
        "accounts.User", verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "coordinator__name"]
        verbose_name = _("assessment")
        constraints = [
            models.UniqueConstraint(fields=["coordinator", "year"], name="coordinators_one_assessment_per_year"),
        ]

    def __str__(self):
        return f"{self.coordinator_id} {self.year}"


class Award(models.Model):
    """An award: "provincial excellent coordinator" and others, with year and document number. Also
    for hospital staff who are not coordinators (then ``coordinator`` is empty and ``name`` and
    ``organisation`` say who)."""

    scope = Scope(region="region__code")

    class Kind(models.TextChoices):
        EXCELLENT_COORDINATOR = "excellent_coordinator", _("Provincial excellent coordinator")
        EXCELLENT_HOSPITAL_STAFF = "excellent_staff", _("Provincial excellent organ donation worker")
        OTHER = "other", _("Other award")

    kind = models.CharField(_("award"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=128, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    coordinator = models.ForeignKey(
        Coordinator,
        verbose_name=_("coordinator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    name = models.CharField(_("name"), max_length=64)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    document_number = models.CharField(_("document number"), max_length=64)
    awarded_on = models.DateField(_("awarded on"))
    awarded_by = models.CharField(_("awarded by"), max_length=128)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("award")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "coordinator"],
                condition=Q(coordinator__isnull=False),
                name="coordinators_award_once_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"


# --- on call ----------------------------------------------------------------------------------------


class OnCallShift(models.Model):
    """Who of a prefecture can be reached from one day to another (the case page offers them when a
    coordinator is needed). ``region``: the prefecture."""

    scope = Scope(region="region__code")

    region = models.ForeignKey(Region, verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="+")
    coordinator = models.ForeignKey(
        Coordinator, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="shifts"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("on-call shift")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="coordinators_shift_dates"),
        ]

    def __str__(self):
        return f"{self.coordinator_id} {self.starts_on}–{self.ends_on}"


# Module-level names of two choice sets, for the API schema's enum names (``ENUM_NAME_OVERRIDES``):
# several API components carry a ``state`` or ``status`` of these choices.
CoordinatorState = Coordinator.State
AttendanceStatus = Attendance.Status
