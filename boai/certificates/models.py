"""Certificates. Organ donation certificates and organ donation consent forms are blank, pre-numbered
stock (each kind numbered on its own): every serial is a row from the moment the province receives its
batch, and moves through the states below in a closed loop.
Body donation reception and honour certificates are numbered by the province when issued, per kind
and year, without gaps. Every move is a CertificateEvent, so the stock can be reconciled for any
moment and any period."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from boai.core.models import Organisation, Region, Scope

MAX_SERIAL = 99_999_999  # eight digits: the serial printed as the organ certificate number

# The random check code printed beside the number and in the QR link: numbers are sequential, so the
# number alone must not open the donor's (masked) name and date. 8 characters of 31 (no 0/O, 1/I/L):
# about 40 bits, out of reach of the public page's rate limit.
CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_CODE_LENGTH = 8


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))


class Kind(models.TextChoices):
    ORGAN = "organ", _("Organ donation certificate")
    BODY_RECEPTION = "body_reception", _("Body donation reception certificate")
    BODY_HONOUR = "body_honour", _("Body donation honour certificate")
    ORGAN_CONSENT = "organ_consent", _("Organ donation consent form")


# The kinds kept as blank, pre-numbered stock: batches, hand-overs, receipts and a reconciliation each.
STOCK_KINDS = (Kind.ORGAN, Kind.ORGAN_CONSENT)
STOCK_CHOICES = [(k.value, k.label) for k in STOCK_KINDS]


class State(models.TextChoices):
    IN_STOCK = "in_stock", _("In province stock")
    HANDED = "handed", _("Handed to a unit")
    RECEIVED = "received", _("Received by the unit")
    ISSUED = "issued", _("Issued")
    VOIDED = "voided", _("Voided")
    LOST = "lost", _("Lost")
    RETURNED = "returned", _("Returned to the province")


class CertificateBatch(models.Model):
    """Blank stock of one kind the province received: one serial range."""

    kind = models.CharField(_("kind"), max_length=16, choices=STOCK_CHOICES, default=Kind.ORGAN)
    serial_from = models.PositiveIntegerField(_("first serial"))
    serial_to = models.PositiveIntegerField(_("last serial"))
    received_on = models.DateField(_("received on"))
    supplier = models.CharField(_("received from"), max_length=128)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("certificate batch")
        constraints = [
            models.CheckConstraint(condition=Q(serial_to__gte=models.F("serial_from")), name="cert_batch_range")
        ]

    def __str__(self):
        return f"{self.serial_from}–{self.serial_to}"

    @property
    def size(self) -> int:
        return self.serial_to - self.serial_from + 1


class StockTransfer(models.Model):
    """A range of blank stock of one kind handed by the province to an OPO member unit, and the unit's
    confirmation of receipt (who, when)."""

    kind = models.CharField(_("kind"), max_length=16, choices=STOCK_CHOICES, default=Kind.ORGAN)
    unit = models.ForeignKey(Organisation, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    serial_from = models.PositiveIntegerField(_("first serial"))
    serial_to = models.PositiveIntegerField(_("last serial"))
    count = models.PositiveIntegerField(_("certificates"))
    handed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(_("handed at"))
    received_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    scope = Scope(region="unit__region__code", unit="unit_id")

    class Meta:
        ordering = ["-handed_at", "-id"]

    def __str__(self):
        return f"{self.unit} {self.serial_from}–{self.serial_to}"


class Certificate(models.Model):
    """One certificate of any kind. Stock kinds (organ certificates, consent forms) exist from stock
    (``serial``); body certificates from the moment they are issued (``sequence`` within the year).
    A consent form "issued" is one used for the consent of its ``organ_case``."""

    scope = Scope(region="region__code", unit="unit_id")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("certificate number"), max_length=40)
    serial = models.PositiveIntegerField(_("serial"), null=True, blank=True)  # stock kinds
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)  # body: numbering year
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    batch = models.ForeignKey(
        CertificateBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    transfer = models.ForeignKey(StockTransfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    # who holds it: the OPO unit for organ stock and issued organ certificates, the station for body ones
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # for scoping by region: the unit's region, the province for stock still at the province
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    organ_case = models.ForeignKey(
        "cases.OrganCase", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    body_case = models.ForeignKey(
        "cases.BodyCase", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    donor_name = models.CharField(_("donor"), max_length=64, blank=True)
    recipient_name = models.CharField(_("issued to"), max_length=64, blank=True)
    recipient_relationship = models.CharField(_("relationship"), max_length=16, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # drawn (``new_check_code``) each time the certificate is issued; empty for a blank never issued
    check_code = models.CharField(_("check code"), max_length=16, blank=True, default="")
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("last change"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["kind", "-year", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="cert_number_unique"),
            models.UniqueConstraint(
                fields=["kind", "serial"], condition=Q(serial__isnull=False), name="cert_stock_serial_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], condition=~Q(kind="organ"), name="cert_body_sequence_unique"
            ),
            # a case holds at most one valid certificate (and one consent form used) of each kind
            models.UniqueConstraint(
                fields=["organ_case", "kind"], condition=Q(state="issued"), name="cert_one_per_organ_case_kind"
            ),
            models.UniqueConstraint(
                fields=["body_case", "kind"], condition=Q(state="issued"), name="cert_one_per_body_case_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "state", "unit"], name="cert_stock_idx")]

    def __str__(self):
        return self.number

    @property
    def case(self):
        return self.organ_case or self.body_case

    def label_of(self, state: str) -> str:
        """How a state of this certificate reads: a consent form "issued" is one used for a consent."""
        if self.kind == Kind.ORGAN_CONSENT and state == State.ISSUED:
            return str(_("Used for a consent"))
        return str(State(state).label)

    @property
    def state_label(self) -> str:
        return self.label_of(self.state)

    @property
    def check_code_display(self) -> str:
        """The check code as printed: two groups of four (``ABCD-EFGH``), easier to read out and type."""
        code = self.check_code
        return f"{code[:4]}-{code[4:]}" if len(code) == CHECK_CODE_LENGTH else code


class CertificateEvent(models.Model):
    """One move of one certificate: the source of the reconciliation and the certificate's history."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["unit", "to_state", "at"], name="cert_event_unit_idx")]

    def __str__(self):
        return f"{self.certificate} {self.from_state}→{self.to_state}"
