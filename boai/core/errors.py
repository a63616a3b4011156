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


class StorageFull(DomainError):
    """The file store has no space left: the file was not kept (nothing half-written), nor its record."""

    code = "storage_full"
    status = 507
    default_message = _(
        "There is no space left to store files. Nothing was saved; please try again later or tell the system "
        "administrator."
    )


class QueueUnavailable(DomainError):
    """A background job could not be queued (the broker is down): nothing started, try again later."""

    code = "queue_unavailable"
    status = 503
    default_message = _(
        "The background service is unavailable right now: the job has not started. Please try again in a few minutes."
    )


class InvalidFields(InvalidInput):
    """Several fields refused at once, every message kept: ``errors`` maps each field to its messages,
    in the order the rules were checked. ``message`` and ``field`` are the first error's, so a caller
    that shows one message shows the one a check stopping at the first error would have shown."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        if not errors:
            raise ValueError("InvalidFields needs at least one error")
        self.items = [(name, str(message)) for name, message in errors]
        self.errors: dict[str | None, list[str]] = {}
        for name, message in errors:
            self.errors.setdefault(name, []).append(str(message))
        field, message = errors[0]
        super().__init__(message, field=field)
