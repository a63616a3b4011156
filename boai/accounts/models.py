from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boai.lib.text import validate_name

from .roles import Role


class User(AbstractUser):
    """A staff account: one role, one organisation. One role per account keeps the three
    administrator duties (system, security, audit) on different accounts by construction."""

    # shown beside every action in the audit log and on the case pages: no text-direction tricks
    full_name = models.CharField(_("full name"), max_length=64, blank=True, validators=[validate_name])
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    organization = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=[*Role.values, ""]), name="accounts_user_role_valid"),
        ]

    def __str__(self):
        return self.full_name or self.username

    @property
    def role_label(self):
        return Role(self.role).label if self.role else _("No role")


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored; the key is shown once, by `issue_token`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
