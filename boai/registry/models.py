from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boai.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField
from boai.core.models import Region, Scope, TimeStampedModel
from boai.core.people import IdType, OrganWish, Sex, Tissue
from boai.core.people.models import IdentifiedRecord, PersonRecord
from boai.core.storage import encrypted_storage
from boai.lib import ethnic


class Registration(PersonRecord, TimeStampedModel):
    """A person's intent to donate organs, tissues or their body after death (意愿登记)."""

    scope = Scope(region="region__code")

    # the shared vocabulary (core.people), under the names the registry's code has always used
    Sex = Sex
    IdType = IdType
    Organ = OrganWish  # a wish may be "all organs"
    Tissue = Tissue

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECEASED = "deceased", _("Deceased")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form at a branch")
        EVENT = "event", _("At an event")
        IMPORT = "import", _("Imported list")
        # taken on a phone at an event without network: no SMS code, the person signed on the screen
        # and the staff member attested their identity (outreach's offline collection)
        EVENT_OFFLINE = "event_offline", _("At an event, offline (signed on screen, attested by staff)")

    number = models.CharField(_("registration number"), max_length=20, unique=True)
    name_initials = models.CharField(
        _("pinyin initials"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text="every reading of the initials, space separated: 曾 gives C… and Z…",
    )
    # name, sex, id_type, id_number (+ index), birth_date, region: PersonRecord
    ethnic_group = models.CharField(_("ethnic group"), max_length=2, blank=True)
    id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices, default=IdType.RESIDENT_ID)
    phone = EncryptedTextField(_("phone"))
    phone_index = BlindIndexField(source="phone", kind="phone")
    address = EncryptedTextField(_("address"), blank=True)
    organs = models.JSONField(_("organs"), default=list, blank=True)
    tissues = models.JSONField(_("tissues"), default=list, blank=True)
    body = models.BooleanField(_("body donation"), default=False)
    family_informed = models.JSONField(_("family members informed"), default=list, blank=True)
    executor_name = models.CharField(_("executor"), max_length=64, blank=True)
    executor_relationship = models.CharField(_("executor's relationship"), max_length=32, blank=True)
    executor_phone = EncryptedTextField(_("executor's phone"), blank=True)
    campaign = models.CharField(_("campaign"), max_length=32, blank=True, db_index=True)
    verify_code = models.CharField(_("verification code"), max_length=32, unique=True, null=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    registered_at = models.DateTimeField(_("registered at"), db_index=True)  # when it was entered
    # the day the person signed, in Beijing time: the day the registration counts on (registry/figures.py)
    signed_on = models.DateField(_("signed on"), db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=200, blank=True)
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    deceased_on = models.DateField(_("date of death"), null=True, blank=True)
    donated_on = models.DateField(_("donated on"), null=True, blank=True)
    national_number = models.CharField(_("national registration number"), max_length=32, blank=True, db_index=True)
    national_exported_at = models.DateTimeField(_("sent to the national registry at"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=models.Q(status="active"),
                name="registry_one_active_registration_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="registry_region_status_idx"),
            # The list's scope + status filter and its count, answered from the index alone on PostgreSQL
            # (region LIKE 'prefix%' needs the pattern operator class; erased rows are never listed).
            models.Index(
                fields=["region", "status", "registered_at"],
                name="registry_scope_list_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", ""],
                condition=models.Q(erased_at__isnull=True),
            ),
            # The list's pages in its order (newest first, or oldest: the index read backwards or forwards),
            # the scope and the status checked in the index itself, so a page reads ~its own rows from the
            # table whatever the scope (a prefecture's LIKE '5301%' is a range the index above cannot order).
            models.Index(
                fields=["registered_at", "id", "status", "region"],
                name="registry_list_order_idx",
                opclasses=["", "", "varchar_pattern_ops", "varchar_pattern_ops"],
                condition=models.Q(erased_at__isnull=True),
            ),
            # name LIKE 'prefix%' on PostgreSQL (other databases ignore the operator class)
            models.Index(fields=["name"], name="registry_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.signed_on is None and self.registered_at is not None:  # signed the day it was entered
            self.signed_on = timezone.localdate(self.registered_at)
        super().save(*args, **kwargs)

    @property
    def ethnic_label(self) -> str:

        return ethnic.label(self.ethnic_group) if self.ethnic_group else ""

    @property
    def status_label(self) -> str:
        """The status as staff read it: a registrant whose donation took place is "deceased — donated"."""
        if self.status == self.Status.DECEASED and self.donated_on:
            return str(_("Deceased — donated"))
        return str(_STATUS_LABELS.get(self.status, self.status))  # get_status_display, without its dict per call

    @property
    def wish_in_force(self) -> bool:
        """The person's written intent stands: the registration is active, or it was active when the
        person died (marked deceased, or deceased — donated, without a withdrawal before)."""
        if self.status == self.Status.ACTIVE:
            return True
        return self.status == self.Status.DECEASED and self.withdrawn_at is None

    def what_label(self) -> str:
        """What the person wishes to donate, in the reader's language: 全部器官；眼角膜；遗体."""
        organs = [self.Organ.ALL] if self.Organ.ALL in self.organs else self.organs
        labels = [str(_ORGAN_LABELS[o]) for o in organs if o in _ORGAN_LABELS]
        labels += [str(_TISSUE_LABELS[t]) for t in self.tissues if t in _TISSUE_LABELS]
        if self.body:
            labels.append(str(_("body")))
        return str(_("; ")).join(labels)


# value -> label (lazy: translated when shown), built once rather than on every row of a list
_STATUS_LABELS = dict(Registration.Status.choices)
_ORGAN_LABELS = dict(OrganWish.choices)
_TISSUE_LABELS = dict(Tissue.choices)


class RegistrationTally(models.Model):
    """The ``registry.registrations`` figure and its breakdowns, kept counted: how many registrations
    signed in ``month`` (its first day, Beijing time) in the county ``region`` have ``value`` for
    ``dimension``. Dimension "total" (value "") counts each registration once, and gives the months and
    the counties; "sex", "age_group", "ethnic_group", "channel", "campaign" once each; "wish" once under
    each thing offered. Every write that creates a registration or changes a field counted here updates
    it in the same transaction (``registry.tally``); ``rebuild_tally`` recounts it. Dimension "status"
    (the status, or "erased") is not a published figure: the staff list's count reads it."""

    scope = Scope(region="region__code")  # the same areas as the registrations counted

    month = models.DateField(_("month"))
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(_("dimension"), max_length=16)
    value = models.CharField(_("value"), max_length=32, blank=True)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("registration tally")
        verbose_name_plural = _("registration tallies")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "month", "region", "value"], name="registry_tally_key"),
        ]
        indexes = [  # the staff list's count (``selectors.registration_count``): an area's rows, read from the index
            models.Index(
                fields=["region", "value"],
                include=["count"],
                condition=models.Q(dimension="status"),
                name="registry_tally_status_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_id} {self.dimension}={self.value}: {self.count}"


# the channels by which staff enter a person's signed form (exported to the national registry)
STAFF_ENTERED_CHANNELS = (Registration.Channel.PAPER, Registration.Channel.EVENT, Registration.Channel.EVENT_OFFLINE)


class ConsentRecord(models.Model):
    """A person's consent (or withdrawal), with the exact notice they were shown (PIPL art. 29-30)."""

    class Kind(models.TextChoices):
        SENSITIVE_DATA = "sensitive_data", _("Consent to process sensitive personal information")
        WITHDRAWAL = "withdrawal", _("Withdrawal of the donation wish")
        ERASURE = "erasure", _("Request to erase personal data")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    notice_version = models.CharField(_("notice version"), max_length=32, blank=True)
    notice_sha256 = models.CharField(max_length=64, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Registration.Channel.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    given_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.kind} {self.notice_version}"


class ImportJob(models.Model):
    """One uploaded list of registrations (or of the national registry's export, ``kind``): checked in a
    dry run, then imported all at once or not at all."""

    class Kind(models.TextChoices):
        REGISTRATIONS = "registrations", _("Registrations")
        NATIONAL = "national", _("National registry export")

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    scope = Scope(region="region__code")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")  # the uploader's area
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    filename = models.CharField(max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/", storage=encrypted_storage)
    sha256 = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=16, choices=Registration.Channel.choices, default=Registration.Channel.IMPORT)
    campaign = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REGISTRATIONS)
    mapping = models.JSONField(default=dict, blank=True)  # {field: column header}, over the kind's default
    state = models.CharField(max_length=16, choices=State.choices, default=State.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first errors: [{"row": n, "field": f, "message": m}]
    report = models.FileField(upload_to="imports/reports/%Y/%m/", blank=True, storage=encrypted_storage)
    imported_rows = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    held_rows = models.JSONField(default=list, blank=True)  # row numbers sent for review (HeldEntry)
    message = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last sign of life of whatever should move the job on (the upload, then the worker's heartbeat
    # every few seconds while it checks or imports); None: its job could not be queued. A job waiting,
    # checking or importing without one for BOAI_IMPORT_STALL_MINUTES is stalled (services.imports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the retention purge removed the uploaded list and the error report (services.retention).
    files_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")

    def __str__(self):
        return f"import #{self.pk} {self.filename}"

    @property
    def files_kept_days(self) -> int | None:
        """How many days after the import finished its files were removed (None: still kept)."""
        if not self.files_removed_at:
            return None
        return (self.files_removed_at - (self.finished_at or self.created_at)).days


class DuplicateCandidate(models.Model):
    """Two active registrations that look like one person (same name, birth date and phone) under
    different ID numbers: a person decides whether to merge them or dismiss the match."""

    class State(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same person")

    scope = Scope(region="kept__region__code")

    kept = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="+")  # the older one
    other = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    found_at = models.DateTimeField()
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-found_at"]
        constraints = [models.UniqueConstraint(fields=["kept", "other"], name="registry_duplicate_pair_unique")]

    def __str__(self):
        return f"{self.kept} ~ {self.other}"


class HeldEntry(models.Model):
    """A registration (or a refusal made in life, ``kind``) entered by staff that the registry did not
    take at once but held for review by staff who can see every record concerned (in practice the
    province): e.g. its ID number has an active registration outside the clerk's area, which the clerk
    must not be told. The clerk gets the
    same answer whatever the reason (``REASONS`` stay on this side). What was entered is kept
    encrypted, in one column, only until the review (``data``); nothing personal is in clear."""

    class Reason(models.TextChoices):
        POSSIBLE_DUPLICATE = "possible_duplicate", _("May duplicate an active registration outside the clerk's area")
        REFUSAL_ELSEWHERE = "refusal_elsewhere", _("The person recorded a refusal outside the clerk's area")
        REFUSAL_ONLINE = "refusal_online", _("Registered online, but the person recorded a refusal")
        DECEASED = "deceased", _("The person is registered as deceased")

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        REFUSAL = "refusal", _("Refusal made in life")

    class State(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Same person: not entered again")
        REJECTED = "rejected", _("Not entered: the ID number must be checked")
        REGISTERED = "registered", pgettext_lazy("held entry outcome", "Registered")
        RECORDED = "recorded", _("Refusal recorded")

    scope = Scope(region="region__code")  # the county entered; the queue also needs the other record

    reference = models.CharField(max_length=16, unique=True)  # random: tells nothing about the others
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REGISTRATION)  # what was entered
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=32, choices=Reason.choices)
    existing = models.ForeignKey(  # the active registration it may duplicate (or revoke the refusal of)
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal = models.ForeignKey("Refusal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    data = EncryptedJSONField()  # what was entered (PersonData, consent version, channel), until decided
    channel = models.CharField(max_length=16, choices=Registration.Channel.choices)
    entered_by = models.ForeignKey(  # none: entered by a citizen on the portal or the public API
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    registration = models.ForeignKey(  # the registration made from it, when the review registered it
        Registration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-entered_at", "-id"]
        verbose_name = _("entry held for review")
        verbose_name_plural = _("entries held for review")

    def __str__(self):
        return self.reference


class Refusal(IdentifiedRecord):
    """A refusal to donate made in life (生前拒绝捐献), recorded by a branch from a signed statement.
    Unlike a withdrawal it stops any donation case: see cases.workflow "registry.refusal"."""

    scope = Scope(region="region__code")

    # name, id_type, id_number (+ index): IdentifiedRecord
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    stated_on = models.DateField(_("stated on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # revoked either by a later registration of the person, or by a branch on their written statement
    revoked_by_registration = models.ForeignKey(
        Registration,
        verbose_name=_("revoked by registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_refusals",
    )
    revoked_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_on = models.DateField(_("revocation stated on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for the revocation"), max_length=200, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")

    def __str__(self):
        return f"refusal #{self.pk}"


class NationalRegistration(IdentifiedRecord):
    """A row of the national registry's periodic export for the province (the China Human Organ
    Donation Volunteer Registry, run by the Red Cross Society of China): people who registered online
    or through another province. Upserted by the national registration number."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    scope = Scope(region="region__code")  # the importer's area: the province
    Organ = OrganWish
    Tissue = Tissue

    # name, id_type, id_number (+ index): IdentifiedRecord
    national_number = models.CharField(_("national registration number"), max_length=32, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    organs = models.JSONField(_("organs"), default=list, blank=True)
    tissues = models.JSONField(_("tissues"), default=list, blank=True)
    body = models.BooleanField(_("body donation"), default=False)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("national registration")
        verbose_name_plural = _("national registrations")

    def __str__(self):
        return self.national_number

    @property
    def wish_in_force(self) -> bool:
        return self.status == self.Status.ACTIVE

    def what_label(self) -> str:
        return Registration.what_label(self)


# The module-level name of the registration's status choices, for the API schema's enum name
# (``ENUM_NAME_OVERRIDES``: other apps' components have a ``status`` too).
RegistrationStatus = Registration.Status
