"""Readable names of the accounts app's audit actions (collected by ``audit.labels``)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "accounts.login.succeeded": _("Logged in"),
    "accounts.login.failed": _("Login failed"),
    "accounts.logout": _("Logged out"),
    "accounts.otp.enrolled": _("Authenticator app set up"),
    "accounts.otp.reset": _("Authenticator app reset"),
    "accounts.password.changed": _("Password changed"),
    "accounts.token.issued": _("API token issued"),
    "accounts.user.created": _("Account created"),
    "accounts.user.role_changed": _("Role changed"),
    "accounts.user.enabled": _("Account enabled"),
    "accounts.user.disabled": _("Account disabled"),
}
