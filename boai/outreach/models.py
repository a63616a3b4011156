"""Outreach (宣传动员): the publicity events the province and its branches hold, the campaigns that
group them (each with its own registration link and QR code), the registrations taken offline at an
event and synced later, the media coverage, and the online fundraising days with their results.

Attribution: a registration made through a campaign's or an event's link carries that code in the
registry's ``Registration.campaign`` column (the registry never imports this app; it asks the
``registry.extensions`` plug-in point what a code means). A registration is one row, so it is counted
once however often its form was sent. ``CollectedEntry`` keeps each offline entry's idempotency key:
an entry synced twice lands once."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boai.core.models import Region, Scope, TimeStampedModel

# A campaign's code is chosen by staff: lower-case letters, digits and hyphens (it appears in the
# link and the QR code). An event's code is made by Boai and starts with "ev-", which a campaign's
# code may not, so that one code names one thing.
EVENT_CODE_PREFIX = "ev-"
code_validator = RegexValidator(
    r"^(?!ev-)[a-z0-9][a-z0-9-]{2,23}$",
    _("Use 3 to 24 lower-case letters, digits and hyphens, starting with a letter or digit (not with “ev-”)."),
)


class EventKind(models.TextChoices):
    REMEMBRANCE = "remembrance", _("Qingming remembrance")
    RED_CROSS_DAY = "red_cross_day", _("World Red Cross Day (8 May)")
    VOLUNTEER_MONTH = "volunteer_month", _("Volunteer service month")
    REGISTRATION_DRIVE = "registration_drive", _("Registration drive")
    CHARITY_RUN = "charity_run", _("Charity run")
    LECTURE = "lecture", _("Lecture or talk")
    MEDIA = "media", _("Media event")
    OTHER = "other", _("Other event")


class Mode(models.TextChoices):
    OFFLINE = "offline", _("On site")
    ONLINE = "online", pgettext_lazy("event mode", "Online")
    BOTH = "both", _("On site and online")


class Partner(TimeStampedModel):
    """A partner department or organisation (省文明办, 省卫生健康委, a medical school, a company): a
    short list staff keep, chosen on events and campaigns."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        SCHOOL = "school", _("School or university")
        HOSPITAL = "hospital", _("Hospital")
        RED_CROSS = "red_cross", _("Red Cross branch")
        MEDIA = "media", _("Media")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GOVERNMENT)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Campaign(TimeStampedModel):
    """A campaign (a registration season, a Qingming series): it groups events and has its own link
    (``/c/<code>/``) and QR code. ``region``: who runs it (the province 530000 or a prefecture)."""

    scope = Scope(region="region__code")

    title = models.CharField(_("title"), max_length=128)
    code = models.CharField(_("code"), max_length=24, unique=True, validators=[code_validator])
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    region = models.ForeignKey(Region, verbose_name=_("run by (region)"), on_delete=models.PROTECT, related_name="+")
    target_registrations = models.PositiveIntegerField(_("target registrations"), null=True, blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="campaigns")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="outreach_campaign_dates"
            )
        ]

    def __str__(self):
        return self.title


class Event(TimeStampedModel):
    """A publicity event: what, when, where, with whom, how many came. ``code`` (``ev-…``) is its own
    registration link's code; registrations through it count for the event and its campaign. Photos
    are attachments (owner ``outreach.event``). ``audience`` stays empty until the event is reported."""

    scope = Scope(region="region__code")

    title = models.CharField(_("title"), max_length=128)
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    code = models.CharField(_("code"), max_length=24, unique=True, editable=False)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    organisers = models.CharField(_("organisers"), max_length=200)
    partners = models.ManyToManyField(Partner, verbose_name=_("partner departments"), blank=True, related_name="events")
    mode = models.CharField(_("online or on site"), max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("publicity event")
        verbose_name_plural = _("publicity events")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="outreach_event_dates")
        ]

    def __str__(self):
        return self.title


class CollectedEntry(models.Model):
    """One registration taken offline at an event, as the phone synced it. ``key`` is the entry's own
    idempotency key (made on the phone): the same key synced again gets the first answer and writes
    nothing more. ``request_hash``: the SHA-256 of what was sent, so a key reused for another entry is
    refused. ``state``: landed (``registration`` set), held for review (``held_reference``) or returned
    with its ``reason``; the personal data itself lives only in the registration (or the held entry)."""

    scope = Scope(region="event__region__code")

    class State(models.TextChoices):
        LANDED = "landed", _("Registered")
        HELD = "held", _("Held for review")
        RETURNED = "returned", _("Returned")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="collected")
    key = models.UUIDField(_("entry key"), unique=True)
    request_hash = models.CharField(max_length=64)
    collected_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    collected_at = models.DateTimeField(_("taken at"))  # on the phone, when the person signed
    received_at = models.DateTimeField(_("synced at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    registration = models.ForeignKey(
        "registry.Registration", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_reference = models.CharField(max_length=32, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)  # why it was returned (no personal data)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("entry collected offline")
        verbose_name_plural = _("entries collected offline")

    def __str__(self):
        return f"{self.key} {self.state}"


class MediaReport(TimeStampedModel):
    """Media coverage: outlet, title, link, date, kind, reach where known; linked to an event or a
    campaign (or neither). ``region``: the branch that recorded it."""

    scope = Scope(region="region__code")

    class Kind(models.TextChoices):
        NEWS = "news", _("News report")
        VIDEO = "video", _("Video")
        PSA = "psa", _("Public service advertisement")
        INTERVIEW = "interview", _("Interview")
        OTHER = "other", _("Other coverage")

    outlet = models.CharField(_("outlet"), max_length=128)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    national = models.BooleanField(_("national media"), default=False)
    reach = models.PositiveBigIntegerField(_("reach (views or readers)"), null=True, blank=True)
    event = models.ForeignKey(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.PROTECT, related_name="media"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="media"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")

    def __str__(self):
        return self.title


class FundraisingProject(TimeStampedModel):
    """An online fundraising project on a giving day (5·8 人道公益日, 久久公益节): what for, the target
    (integer fen), the platform and the dates. ``care_kind``: the family care payment kind the money
    goes to (the care ledger shows how it was used), when the purpose is family care."""

    scope = Scope(region="region__code")

    class Purpose(models.TextChoices):
        FAMILY_CARE = "family_care", _("Care for donor families")
        PROMOTION = "promotion", _("Promoting donation")
        MEMORIALS = "memorials", _("Memorial sites")
        OTHER = "other", _("Other purpose")

    title = models.CharField(_("title"), max_length=128)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    care_kind = models.CharField(_("family care payments funded"), max_length=16, blank=True)
    target_fen = models.PositiveBigIntegerField(_("target (fen)"))
    platform = models.CharField(_("platform"), max_length=64)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("fundraising project")
        verbose_name_plural = _("fundraising projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="outreach_project_dates"
            )
        ]

    def __str__(self):
        return self.title


class FundraisingImport(models.Model):
    """One upload of a platform's export: what it held, what landed, and every refused row with its
    reason (the row error report, as in the registry's import)."""

    project = models.ForeignKey(FundraisingProject, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))
    rows_total = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 3, "column": "amount", "message": "…"}]

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("fundraising results import")
        verbose_name_plural = _("fundraising results imports")

    def __str__(self):
        return self.filename


class FundraisingDay(models.Model):
    """The results of one day: amount raised (integer fen) and the number of donors, typed in or
    imported. One row per project and day: a later import of the same day replaces it (audited)."""

    project = models.ForeignKey(FundraisingProject, on_delete=models.PROTECT, related_name="days")
    day = models.DateField(_("day"))
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    donors = models.PositiveIntegerField(_("donors"))
    source = models.ForeignKey(FundraisingImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "day"]
        verbose_name = _("fundraising day")
        verbose_name_plural = _("fundraising days")
        constraints = [models.UniqueConstraint(fields=["project", "day"], name="outreach_one_result_per_day")]

    def __str__(self):
        return f"{self.project_id} {self.day}"
