"""Memorials: the memorial sites (缅怀纪念园/场所) the province builds, the memorial events held there
or elsewhere, and the public memorial wall (``/memorial/``), which shows only donors whose family
consented and only what they consented to, with the messages families send once staff approved them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boai.core.models import Organisation, Region, Scope, TimeStampedModel


class Offer(models.TextChoices):
    LIFE_EDUCATION = "life_education", _("Life education")
    DONATION_KNOWLEDGE = "donation_knowledge", _("Donation knowledge")
    REMEMBRANCE = "remembrance", _("Remembrance")


class MemorialSite(TimeStampedModel):
    """A memorial site: a memorial park, a wall, a room at a medical school. ``region``: the county (or
    prefecture) it stands in. Photos are attachments (owner ``memorials.site``)."""

    scope = Scope(region="region__code")

    class Kind(models.TextChoices):
        PARK = "park", _("Memorial park")
        WALL = "wall", _("Memorial wall")
        ROOM = "room", _("Memorial room at a medical school")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("location"), max_length=200, blank=True)  # a public place, not a home
    opened_on = models.DateField(_("opened on"))
    offers = models.JSONField(_("what it offers"), default=list, blank=True)  # Offer values
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("managed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manager = models.CharField(_("managing organisation (if not in Boai)"), max_length=128, blank=True)
    active = models.BooleanField(_("open"), default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "name"]
        verbose_name = _("memorial site")
        verbose_name_plural = _("memorial sites")

    def __str__(self):
        return self.name


class MemorialEvent(TimeStampedModel):
    """A memorial event: when and where, who organised it, how many took part (and, where known, how
    many donor families were invited and came), photos (owner ``memorials.event``) and a short report."""

    scope = Scope(region="region__code")

    class Occasion(models.TextChoices):
        QINGMING = "qingming", _("Qingming")
        WINTER_SOLSTICE = "winter_solstice", _("Winter Solstice")
        OTHER = "other", _("Other occasion")

    title = models.CharField(_("title"), max_length=128)
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    held_on = models.DateField(_("held on"), db_index=True)
    site = models.ForeignKey(
        MemorialSite, verbose_name=_("site"), null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    organisers = models.CharField(_("organisers"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"))
    families_invited = models.PositiveIntegerField(_("donor families invited"), null=True, blank=True)
    families_attended = models.PositiveIntegerField(_("donor families attending"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("memorial event")
        verbose_name_plural = _("memorial events")

    def __str__(self):
        return self.title


class WallEntry(TimeStampedModel):
    """A donor on the public memorial wall, with the family's consent (who gave it, when) and what it
    covers: the name (else "an anonymous donor"), the year, the prefecture. ``withdrawn_at`` set: the
    consent was withdrawn and the entry is gone from the wall at once. ``message_code_hash``: the
    SM3/HMAC of the code given to the family for sending messages (the code itself is shown once)."""

    scope = Scope(region="family__region__code")

    family = models.OneToOneField("care.Family", on_delete=models.PROTECT, related_name="wall_entry")
    consented_by = models.CharField(_("consent given by"), max_length=64)
    consented_on = models.DateField(_("consent given on"))
    show_name = models.BooleanField(_("show the donor's name"), default=False)
    show_year = models.BooleanField(_("show the year of donation"), default=True)
    show_prefecture = models.BooleanField(_("show the prefecture"), default=True)
    message_code_hash = models.CharField(max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-consented_on", "-id"]
        verbose_name = _("memorial wall entry")
        verbose_name_plural = _("memorial wall entries")

    def __str__(self):
        return f"{self.family} wall"


class WallMessage(models.Model):
    """A message a family sent for the wall; shown only once staff approved it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", pgettext_lazy("message state", "Approved")
        REJECTED = "rejected", pgettext_lazy("message state", "Not published")

    entry = models.ForeignKey(WallEntry, on_delete=models.PROTECT, related_name="messages")
    text = models.TextField(_("message"))
    signed = models.CharField(_("signed"), max_length=32, blank=True)  # "女儿", "家人": how the family signs
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    submitted_at = models.DateTimeField(_("sent at"))
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("memorial wall message")
        verbose_name_plural = _("memorial wall messages")

    def __str__(self):
        return f"{self.entry_id} {self.state}"
