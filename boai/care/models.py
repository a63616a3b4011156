"""Donor family care (捐献者家属关怀): a family record for each donation, its members and wishes, the
follow-ups planned after the donation and on the traditional days, the contacts and home visits made,
the outcome letters sent, and the humanitarian payments (人道慰问金, 特殊困难救助, 救助金) with their
reviews, the ledger that records every payment and reversal, and the yearly budgets.

A payment's states are declared here; who may move it where, and the rules each step meets, are
declared once in ``care.workflow`` (the Platform's engine). A ledger entry is never changed or
deleted: a mistake is corrected by a reversing entry, so the ledger always adds up."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boai.core.fields import BlindIndexField, EncryptedTextField
from boai.core.models import Region, Scope, TimeStampedModel
from boai.core.people import IdType, Relationship, Sex


class DonationKind(models.TextChoices):
    ORGAN = "organ", _("Organ donation")
    BODY = "body", _("Body donation")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Home visit")
    LETTER = "letter", _("Letter")
    MESSAGE = "message", _("Text message")


class Family(TimeStampedModel):
    """The family of one donor. Made by the case-closed hook for a case closed in Boai (``organ_case``
    or ``body_case``), or by hand for an older case (``reference``: its case number or a free
    reference). ``region`` is the family's county: it decides which branch sees the record.

    The family's wishes: ``contact_allowed`` (when False nothing is planned and any contact is
    refused), the preferred channel, and whether they want the anonymous outcome of the donation."""

    scope = Scope(region="region__code")

    organ_case = models.OneToOneField(
        "cases.OrganCase", null=True, blank=True, on_delete=models.PROTECT, related_name="care_family"
    )
    body_case = models.OneToOneField(
        "cases.BodyCase", null=True, blank=True, on_delete=models.PROTECT, related_name="care_family"
    )
    reference = models.CharField(_("case number or reference"), max_length=40, db_index=True)
    donation_kind = models.CharField(_("donation"), max_length=8, choices=DonationKind.choices)
    donor_name = models.CharField(_("donor's name"), max_length=64)
    donated_on = models.DateField(_("date of donation"))
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    address = EncryptedTextField(_("address"), blank=True)
    living_situation = EncryptedTextField(_("living situation"), blank=True)
    special_needs = EncryptedTextField(_("special needs"), blank=True)
    responsible = models.ForeignKey(
        "accounts.User",
        verbose_name=_("staff member responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_allowed = models.BooleanField(_("the family may be contacted"), default=True)
    no_contact_since = models.DateTimeField(_("asked not to be contacted on"), null=True, blank=True)
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=8, choices=Channel.choices, default=Channel.PHONE
    )
    wants_outcome = models.BooleanField(_("wants the anonymous outcome of the donation"), default=False)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-donated_on", "-id"]
        verbose_name = _("donor family")
        verbose_name_plural = _("donor families")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(organ_case__isnull=False) & Q(body_case__isnull=False)), name="care_family_one_case"
            ),
        ]

    def __str__(self):
        return self.reference


class FamilyMember(models.Model):
    """A member of a donor's family (the shared people vocabulary: relationship, sex, ID document).
    Phone and ID number are encrypted, with blind indexes for exact look-up; shown masked."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_index = BlindIndexField(source="id_number", kind="id_number")
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_index = BlindIndexField(source="phone", kind="phone")
    is_main_contact = models.BooleanField(_("main contact"), default=False)
    note = EncryptedTextField(_("note"), blank=True)
    active = models.BooleanField(_("current"), default=True)  # False: removed (kept for the visits that name them)

    class Meta:
        ordering = ["-is_main_contact", "id"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self):
        return f"{self.get_relationship_display()} {self.name}"


class CareSettings(models.Model):
    """The province's settings for family care (one row): when follow-ups fall after the donation
    (months after it, then yearly for a number of years), whether the traditional days are planned,
    and the levels a payment is reviewed at, in order."""

    months_after = models.CharField(_("follow-ups after the donation (months)"), max_length=64, default="1,6,12")
    yearly_for = models.PositiveSmallIntegerField(_("then yearly, for (years)"), default=5)
    traditional_days = models.BooleanField(_("follow up on Qingming and the Winter Solstice"), default=True)
    payment_levels = models.CharField(_("payment review levels"), max_length=64, default="county,prefecture,province")
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("family care settings")

    def __str__(self):
        return self.months_after


class FollowUp(models.Model):
    """A follow-up planned for a family: after the donation (``label`` says when, "1 month") or on a
    traditional day. Done by the contact that records it; cancelled when the family asks not to be
    contacted."""

    scope = Scope(region="family__region__code")

    class Kind(models.TextChoices):
        AFTER_DONATION = "after_donation", _("After the donation")
        QINGMING = "qingming", _("Qingming")
        WINTER_SOLSTICE = "winter_solstice", _("Winter Solstice")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", pgettext_lazy("follow-up state", "Done")
        CANCELLED = "cancelled", pgettext_lazy("follow-up state", "Cancelled")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("what for"), max_length=64, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PLANNED)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["family", "kind", "due_on"], name="care_followup_once"),
        ]

    def __str__(self):
        return f"{self.family} {self.kind} {self.due_on}"


class Contact(models.Model):
    """A phone follow-up, home visit, letter or message to a family: when, who went, whom they met
    (``members_met``, plus ``others_met`` not on the family's list), what was found and what the family
    needs (encrypted), photos (encrypted attachments, owner ``care.contact``). Never edited: a mistake
    is corrected by a note on a later contact."""

    scope = Scope(region="family__region__code")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="contacts")
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("kind"), max_length=8, choices=Channel.choices)
    occurred_on = models.DateField(_("date"), db_index=True)
    staff = models.CharField(_("who went"), max_length=200)
    members_met = models.ManyToManyField(FamilyMember, blank=True, related_name="+", verbose_name=_("who was met"))
    others_met = models.PositiveSmallIntegerField(_("others met"), default=0)
    findings = EncryptedTextField(_("what was found"), blank=True)
    needs = EncryptedTextField(_("needs"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("contact or visit")
        verbose_name_plural = _("contacts and visits")

    def __str__(self):
        return f"{self.family} {self.channel} {self.occurred_on}"


class OutcomeLetter(models.Model):
    """An outcome letter sent to a family that asked for it: how many people were helped and which
    organs were transplanted, naming no recipient (what it said is kept as it was printed)."""

    scope = Scope(region="family__region__code")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="outcome_letters")
    people_helped = models.PositiveSmallIntegerField(_("people helped"))
    organs = models.JSONField(_("organs transplanted"), default=list)
    # organ code -> recipients of that organ, as printed (letters issued before it was kept: empty)
    recipients = models.JSONField(_("recipients per organ"), default=dict, blank=True)
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("outcome letter")
        verbose_name_plural = _("outcome letters")

    def __str__(self):
        return f"{self.family} {self.issued_at:%Y-%m-%d}"

    @property
    def number(self) -> str:
        """The letter's number as printed and quoted: the year of issue (Beijing) and the id, "2026-0001"."""
        from django.utils import timezone

        return f"{timezone.localtime(self.issued_at).year}-{self.pk:04d}"


class PaymentKind(models.TextChoices):
    CONDOLENCE = "condolence", _("Humanitarian condolence money")  # 人道慰问金
    HARDSHIP = "hardship", _("Hardship relief")  # 特殊困难救助
    RELIEF_FUND = "relief_fund", _("Relief fund")  # 救助金


class Payment(TimeStampedModel):
    """A humanitarian payment to a family: applied for (amount in fen, reason, documents as encrypted
    attachments, owner ``care.payment``), reviewed at the levels copied from the settings when it was
    submitted (``level``: the index of the level now deciding), approved or rejected, then paid (the
    ledger entry) and, if paid by mistake, reversed (a second, negative entry). What was applied for
    is never edited. ``region`` is the family's county when the application was made; ``year`` the
    budget year (of the application)."""

    scope = Scope(region="region__code")

    class State(models.TextChoices):
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", pgettext_lazy("payment state", "Approved, to be paid")
        REJECTED = "rejected", pgettext_lazy("payment state", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("payment state", "Withdrawn")
        PAID = "paid", _("Paid")
        REVERSED = "reversed", _("Reversed")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    reason = EncryptedTextField(_("reason"))
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("budget year"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.IN_REVIEW)
    levels = models.CharField(_("review levels"), max_length=64)
    level = models.PositiveSmallIntegerField(default=0)
    applied_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("applied at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="care_payment_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_fen}"

    def level_list(self) -> list[str]:
        return [level for level in self.levels.split(",") if level]


class PaymentReview(models.Model):
    """One level's decision on a payment: who decided, for which branch, and why (a rejection's reason)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("review decision", "Approved")
        REJECTED = "rejected", pgettext_lazy("review decision", "Rejected")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="reviews")
    level = models.CharField(_("level"), max_length=16)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.payment_id} {self.level} {self.decision}"


class LedgerEntry(models.Model):
    """One line of the payments ledger: a payment made (positive) or its reversal (negative, naming the
    entry it reverses). Never updated or deleted (on PostgreSQL a trigger refuses it). ``row_hash`` is
    the SM3 hash of the entry's canonical form; the audit entry written with it carries the hash, so
    the published ledger can be checked against the audit chain."""

    scope = Scope(region="payment__region__code")

    class Method(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        CASH = "cash", _("Cash, against a signed receipt")
        OTHER = "other", _("Other")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger")
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    prefecture = models.ForeignKey(Region, verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("paid on"), db_index=True)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    voucher = models.CharField(_("voucher number"), max_length=64)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    row_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount_fen__gt=0))
                | (Q(reverses__isnull=False) & Q(amount_fen__lt=0)),
                name="care_ledger_sign",
            ),
        ]

    def __str__(self):
        return f"{self.paid_on} {self.kind} {self.amount_fen}"


class Budget(models.Model):
    """The yearly budget of one kind of payment in one prefecture (or the province, code ``530000``):
    committed (approved, not yet paid), paid (the ledger) and remaining are computed, never stored."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="+")
    amount_fen = models.PositiveBigIntegerField(_("budget (fen)"))
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    scope = Scope(region="region__code")

    class Meta:
        ordering = ["-year", "region", "kind"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [models.UniqueConstraint(fields=["year", "kind", "region"], name="care_budget_once")]

    def __str__(self):
        return f"{self.year} {self.kind} {self.region_id}"
