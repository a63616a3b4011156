"""Donation cases: an organ donation (OrganCase) or a body donation (BodyCase) from the first report
to the closing, with every step kept (CaseStep). The states are declared here; which step leads from
which state, who may take it and the rules it must meet are declared once in ``cases.workflow``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from boai.core.fields import EncryptedJSONField, EncryptedTextField
from boai.core.models import Organisation, Region, Scope, TimeStampedModel
from boai.core.people import IdType, Organ, Relationship, Tissue
from boai.core.people.models import PersonRecord
from boai.registry.models import NationalRegistration, Registration

__all__ = ["Organ", "Relationship", "Tissue"]  # the shared vocabulary, as the cases' code names it


class RegistryFinding(models.TextChoices):
    """What the registry said about the person when the case opened."""

    ACTIVE = "active", _("Registered: the wish is active")
    WITHDRAWN = "withdrawn", _("Registered once, but withdrew the wish")
    DECEASED = "deceased", _("Registered, already marked deceased")
    REFUSAL = "refusal", _("A refusal made in life is on record")
    NATIONAL = "national", _("Registered nationally (China registry)")
    NONE = "none", _("Not in the registry")


class CaseBase(PersonRecord, TimeStampedModel):
    """The person (name, sex, birth date, ID document and its blind index: ``PersonRecord``) and the
    case's bookkeeping, the same for both kinds."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("county of residence"), on_delete=models.PROTECT, related_name="+"
    )
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    national_registration = models.ForeignKey(
        NationalRegistration,
        verbose_name=_("national registration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registry_finding = models.CharField(_("registry check"), max_length=16, choices=RegistryFinding.choices, blank=True)
    registry_note = models.CharField(_("registry note"), max_length=200, blank=True)
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    died_at = models.DateTimeField(_("time of death"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    exit_reason = models.CharField(_("reason"), max_length=300, blank=True)
    counted_at = models.DateTimeField(_("donation counted at"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.number


class OrganCase(CaseBase):
    """An organ donation, referred by an OPO member unit (or a hospital through it)."""

    scope = Scope(region="region__code", unit="unit_id")

    class State(models.TextChoices):
        REFERRED = "referred", _("Referred")
        EVALUATING = "evaluating", _("Medical evaluation")
        FIRST_DETERMINATION = "first_determination", _("Brain death: first determination")
        BRAIN_DEATH_DETERMINED = "brain_death_determined", _("Brain death determined")
        WITHDRAWAL_DECIDED = "withdrawal_decided", _("Family decided to withdraw life support")
        FAMILY_APPROACHED = "family_approached", _("Family approached")
        CONSENTED = "consented", _("Consent signed")
        ETHICS_APPROVED = "ethics_approved", _("Ethics review approved")
        DEATH_DETERMINED = "death_determined", _("Death determined")
        PROCURED = "procured", _("Organs procured")
        ALLOCATED = "allocated", _("Organs allocated")
        CLOSED = "closed", _("Closed")
        NOT_SUITABLE = "not_suitable", _("Not suitable")
        DECLINED = "declined", _("Family declined")
        REFUSAL_ON_RECORD = "refusal_on_record", _("Refusal on record")
        ETHICS_REJECTED = "ethics_rejected", _("Ethics review rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Category(models.TextChoices):
        """China's donation categories; each has its own order of steps (``cases.workflow``)."""

        C1 = "c1", _("C-I: donation after brain death (DBD)")
        C2 = "c2", _("C-II: donation after circulatory death (DCD)")
        C3 = "c3", _("C-III: brain death, then circulatory death (DBCD)")

    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.REFERRED, db_index=True)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("OPO member unit"), on_delete=models.PROTECT, related_name="+"
    )
    hospital = models.CharField(_("hospital"), max_length=128)
    diagnosis = EncryptedTextField(_("diagnosis"))  # a health fact
    referred_at = models.DateTimeField(_("referred at"))
    procurement_team = models.JSONField(_("procurement team"), default=list, blank=True)
    transplant_team = models.JSONField(_("transplant team"), default=list, blank=True)
    consented_organs = models.JSONField(_("organs consented"), default=list, blank=True)
    consented_tissues = models.JSONField(_("tissues consented"), default=list, blank=True)
    # recorded at the medical evaluation; blank only before it
    donation_category = models.CharField(_("donation category"), max_length=4, choices=Category.choices, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("organ donation case")
        verbose_name_plural = _("organ donation cases")
        indexes = [
            models.Index(
                fields=["region", "state"], name="cases_organ_scope_idx", opclasses=["varchar_pattern_ops", ""]
            )
        ]


class BodyCase(CaseBase):
    """A body donation for medical teaching and research, received by a body reception station."""

    scope = Scope(region="region__code", unit="station_id")

    class State(models.TextChoices):
        DEATH_NOTIFIED = "death_notified", _("Death notified")
        ACCEPTED = "accepted", _("Accepted by the station")
        RECEIVED = "received", _("Body received")
        IN_USE = "in_use", _("In teaching or research")
        REMAINS_HANDLED = "remains_handled", _("Remains handled")
        MEMORIAL = "memorial", _("Specimen kept, memorial recorded")
        HONOURED = "honoured", _("Honoured")  # a step taken in place since 2026 (cases before stay here)
        CLOSED = "closed", _("Closed")
        REFUSED = "refused", _("Refused by the station")
        WITHDRAWN = "withdrawn", _("Withdrawn by the family")
        CANCELLED = "cancelled", _("Cancelled")

    class Use(models.TextChoices):
        TEACHING = "teaching", _("teaching")
        RESEARCH = "research", _("research")
        BOTH = "both", _("teaching and research")
        SPECIMEN = "specimen", _("permanent specimen")

    class Basis(models.TextChoices):
        REGISTRATION = "registration", _("The person's own registration")
        JOINT = "joint", _("Joint donation by close relatives")

    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.DEATH_NOTIFIED, db_index=True
    )
    station = models.ForeignKey(
        Organisation, verbose_name=_("body reception station"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    place_of_death = EncryptedTextField(_("place of death"))  # often a home address
    notifier_name = models.CharField(_("notified by"), max_length=64)
    notifier_relationship = models.CharField(_("relationship"), max_length=32, choices=Relationship.choices)
    notifier_phone = EncryptedTextField(_("phone"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # the death certificate (at notification or at acceptance; its scan is the step's document)
    death_certificate_number = EncryptedTextField(_("death certificate number"), blank=True, default="")
    death_certificate_date = models.DateField(_("death certificate issued on"), null=True, blank=True)
    # at reception: the hand-over agreement (交接协议书; its scan is the step's document) and the transport
    handover_on = models.DateField(_("hand-over agreement signed on"), null=True, blank=True)
    transported_by = models.CharField(_("transported by"), max_length=64, blank=True)
    transported_at = models.DateTimeField(_("transported at"), null=True, blank=True)
    use = models.CharField(_("used for"), max_length=16, choices=Use.choices, blank=True)
    # a permanent specimen has no remains to hand back: where it is kept and its memorial record
    specimen_kept_at = models.CharField(_("specimen kept at"), max_length=200, blank=True)
    memorial_record = models.TextField(_("memorial record"), blank=True)
    honoured_at = models.DateTimeField(_("honoured at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("body donation case")
        verbose_name_plural = _("body donation cases")
        indexes = [
            models.Index(fields=["region", "state"], name="cases_body_scope_idx", opclasses=["varchar_pattern_ops", ""])
        ]


class CaseStep(models.Model):
    """One step of a case's timeline: who took it, when it happened, what was recorded. Append-only."""

    organ_case = models.ForeignKey(OrganCase, null=True, blank=True, on_delete=models.PROTECT, related_name="steps")
    body_case = models.ForeignKey(BodyCase, null=True, blank=True, on_delete=models.PROTECT, related_name="steps")
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    # the workflow step's name where it differs from the state it led to (a revoked consent leads to
    # "declined"); blank: the step named by ``to_state``, or the opening
    step = models.CharField(max_length=32, blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    occurred_at = models.DateTimeField(_("time"))
    # what the step's form said, without ID numbers or phones; names and health facts, so encrypted
    data = EncryptedJSONField(default=dict)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organ_case__isnull=True) ^ models.Q(body_case__isnull=True),
                name="cases_step_one_case",
            )
        ]

    def __str__(self):
        return f"{self.from_state or '·'} → {self.to_state}"

    @property
    def case(self):
        return self.organ_case or self.body_case


class Signer(models.Model):
    """A close relative recorded for a family consent (the family of an organ donor, or the close
    relatives of a joint body donation): who they are, how the relationship was proven, and whether
    they signed, signed through a proxy, could not be reached or lack capacity. The ID number is
    protected like every ID number. Rows from before each relative's outcome was recorded are signers."""

    Relationship = Relationship

    class Proof(models.TextChoices):
        HOUSEHOLD_REGISTER = "household_register", _("household register (户口簿)")
        CERTIFICATE = "certificate", _("certificate of relationship (关系证明)")
        STATEMENT = "statement", _("written statement (声明)")

    class Outcome(models.TextChoices):
        SIGNED = "signed", _("signed")
        PROXY = "proxy", _("signed by a proxy with a letter of authority")
        UNREACHABLE = "unreachable", _("cannot be reached")
        INCAPABLE = "incapable", _("lacks capacity")
        NOT_SIGNED = "not_signed", _("has not signed")

    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, related_name="signers")
    name = models.CharField(_("name"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    id_type = models.CharField(_("ID type"), max_length=32, choices=IdType.choices)
    id_number = EncryptedTextField(_("ID number"), blank=True)  # no blind index: a signer is never looked up
    proof = models.CharField(_("relationship proven by"), max_length=24, choices=Proof.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SIGNED)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    proxy_name = models.CharField(_("proxy's name"), max_length=64, blank=True)
    proxy_relationship = models.CharField(
        _("proxy's relationship"), max_length=16, choices=Relationship.choices, blank=True
    )
    note = EncryptedTextField(_("how they were sought, or note"), blank=True)  # may name an illness: encrypted

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_relationship_display()} {self.name}"


class OrganOutcome(models.Model):
    """One consented organ of a case: recovered or not, then allocated or not transplanted."""

    class NotRecovered(models.TextChoices):
        FUNCTION = "function", _("poor organ function")
        ANATOMY = "anatomy", _("anatomical abnormality")
        INFECTION = "infection", _("infection")
        TUMOUR = "tumour", _("tumour found")
        INSTABILITY = "instability", _("donor unstable, procurement stopped")
        FAMILY = "family", _("family withdrew consent for this organ")
        OTHER = "other", _("other")

    case = models.ForeignKey(OrganCase, on_delete=models.PROTECT, related_name="outcomes")
    organ = models.CharField(_("organ"), max_length=24, choices=Organ.choices)
    recovered = models.BooleanField(_("recovered"))
    reason = models.CharField(_("reason not recovered"), max_length=16, choices=NotRecovered.choices, blank=True)
    reason_text = models.CharField(_("details"), max_length=200, blank=True)
    allocation_ref = models.CharField(_("allocation system reference"), max_length=64, blank=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    not_transplanted = models.CharField(_("why not transplanted"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "organ"], name="cases_outcome_one_per_organ")]

    def __str__(self):
        return f"{self.case} {self.organ}"


class FamilyHandover(models.Model):
    """The donor's family handed on to family care when the case closes (the Family Care work picks it up)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for family care")
        TAKEN = "taken", _("Taken on by family care")

    case = models.OneToOneField(OrganCase, on_delete=models.PROTECT, related_name="handover")
    contact_name = models.CharField(_("family contact"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Signer.Relationship.choices)
    phone = EncryptedTextField(_("phone"))
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"{self.case} {self.contact_name}"


class Witness(models.Model):
    """A Red Cross coordinator's witness of a procurement or of an allocation result (Regulations 2024,
    art. 5: the Red Cross witnesses donations). Kept as rows so a coordinator's witnessed cases are
    counted from the case records, never typed twice."""

    class Kind(models.TextChoices):
        PROCUREMENT = "procurement", _("procurement")
        ALLOCATION = "allocation", _("allocation result")

    case = models.ForeignKey(OrganCase, on_delete=models.PROTECT, related_name="witnesses")
    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, related_name="witnesses")
    kind = models.CharField(_("witnessed"), max_length=16, choices=Kind.choices)
    coordinator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    witnessed_at = models.DateTimeField(_("witnessed at"))
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)

    class Meta:
        ordering = ["witnessed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "coordinator"], name="cases_witness_once_per_kind")
        ]

    def __str__(self):
        return f"{self.case} {self.kind} {self.coordinator_id}"


class TransplantStaff(models.Model):
    """A physician recorded as procurement or transplant staff of an OPO member unit. Such a physician
    may not determine the death of a donor whose organs the unit procures."""

    class Team(models.TextChoices):
        PROCUREMENT = "procurement", _("procurement")
        TRANSPLANT = "transplant", _("transplant")

    unit = models.ForeignKey(
        Organisation, verbose_name=_("OPO member unit"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=64)
    team = models.CharField(_("team"), max_length=16, choices=Team.choices)
    active = models.BooleanField(_("active"), default=True)

    scope = Scope(region="unit__region__code", unit="unit_id")

    class Meta:
        ordering = ["unit", "team", "name"]
        verbose_name = _("procurement or transplant staff")
        verbose_name_plural = _("procurement and transplant staff")
        constraints = [models.UniqueConstraint(fields=["unit", "name", "team"], name="cases_unit_staff_unique")]

    def __str__(self):
        return f"{self.name} ({self.get_team_display()})"
