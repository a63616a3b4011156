"""Domain errors: raised by services, mapped in one place to form errors, HTTP 400 or 409."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the action. ``code`` names the rule; ``message`` is for the user."""

    code = "domain_error"
    status = 409
    default_message = _("This action is not allowed.")

    def __init__(self, message=None, *, code=None, field=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    code = "invalid"
    status = 400
    default_message = _("The input is not valid.")


class Conflict(DomainError):
    code = "conflict"
    status = 409


class NotAllowed(DomainError):
    code = "not_allowed"
    status = 403
    default_message = _("You do not have permission to do this.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please wait a little and try again.")
