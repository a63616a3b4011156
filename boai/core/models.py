import secrets
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import encrypted_storage


class TimeStampedModel(models.Model):
    """Base for business records: timestamps and a version number for optimistic locking."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class Region(models.Model):
    """A GB/T 2260 administrative division. The code is the key: 530000 province, 530100 prefecture,
    530102 county. Scoping is "code starts with the branch's prefix" (see accounts.scoping)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        return region_prefix(self.code)


def region_prefix(code: str) -> str:
    """530000 -> 53, 530100 -> 5301, 530102 -> 530102."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@dataclass(frozen=True)
class Scope:
    """How a model is scoped (``accounts.scoping`` applies it): ``scope = Scope(region=..., unit=...)``."""

    region: str | None = None  # path to a 6-digit county code (e.g. "region__code": the code is the key, so no join)
    unit: str | None = None  # path to the owning organisation's id


class ReferenceDataset(models.Model):
    """Where reference data came from (package, version, checksum), so figures can be traced."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=200)
    version = models.CharField(_("version"), max_length=32)
    checksum = models.CharField(_("checksum"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("reference dataset")
        verbose_name_plural = _("reference datasets")

    def __str__(self):
        return f"{self.name} {self.version}"


class Organisation(models.Model):
    class Type(models.TextChoices):
        RC_BRANCH = "rc_branch", _("Red Cross branch")
        OPO_UNIT = "opo_unit", _("OPO member unit")
        RECEPTION_STATION = "reception_station", _("Body reception station")
        HOSPITAL = "hospital", _("Hospital")
        MEDICAL_SCHOOL = "medical_school", _("Medical school")
        PARTNER = "partner", _("Partner department")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    type = models.CharField(_("type"), max_length=32, choices=Type.choices, db_index=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.type == self.Type.RC_BRANCH


class Counter(models.Model):
    """A named gapless counter (registration numbers, certificate serials). Incremented under a row
    lock in the caller's transaction: see core.services.counter_next."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")

    def __str__(self):
        return f"{self.name}={self.value}"


class SmsCode(models.Model):
    """A one-time code sent by SMS. Only an HMAC of the code is kept; the phone only as a blind index."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Register")
        LOOKUP = "lookup", _("Look up a registration")

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("SMS code")
        indexes = [models.Index(fields=["ip", "created_at"], name="core_smscode_ip_idx")]

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class IdempotencyRecord(models.Model):
    """The answer to a POST sent with an Idempotency-Key, so that a retry gets the same answer."""

    scope = models.CharField(max_length=120)  # endpoint + caller
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)  # 0 = still being answered
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_unique")]

    def __str__(self):
        return f"{self.scope} {self.key}"


def _attachment_path(instance, filename):
    return f"attachments/{instance.uploaded_at:%Y/%m}/{secrets.token_hex(16)}"  # random name, no extension


class Attachment(models.Model):
    """A scanned form or photo attached to a record. Stored outside the web root under a random name,
    typed by its content (not its name), with a SHA-256; served only through a permission-checked view."""

    ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    MAX_BYTES = 20 * 1024 * 1024

    owner_type = models.CharField(max_length=64)  # e.g. registry.registration
    owner_id = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=32)
    file = models.FileField(upload_to=_attachment_path, storage=encrypted_storage)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="core_attachment_owner_idx")]
        verbose_name = _("attachment")

    def __str__(self):
        return f"{self.kind} {self.sha256[:8]}"
