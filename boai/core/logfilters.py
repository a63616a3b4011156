"""Log filters named in ``settings.LOGGING``.

A refusal (403) is an expected answer, not a fault: Django logs a ``PermissionDenied`` raised in a
view with its whole traceback, dozens of lines per refused click, which buries the real errors. The
filter turns every 403 that ``django.request`` (or ``django.security.csrf``) logs into one line: who
(user id and role, or anonymous), what (method and path) and why (the permission or reason, when the
refusal named one), each said once: "Forbidden: user=7 role=branch_staff GET /workspace/x/
reason=registry.unmask". Django's own words ("Forbidden (Permission denied): /path") give only the part
in brackets as the reason, since the path is already there. A record already rewritten is left as it is
(the filter may be attached twice, or a record pass two filtered loggers). Other records, 500s with
their tracebacks among them, pass unchanged."""

import logging
import re

DJANGO_FORBIDDEN = re.compile(r"^Forbidden \((?P<why>.*)\): ", re.DOTALL)


def denial_reason(request) -> str:
    """The reason a view or the API gave for a refusal (``request.boai_denial``), if any."""
    return str(getattr(request, "boai_denial", "") or "")


def _escaped(text: str) -> str:
    """One line whatever the client sent: a %0A in the path cannot start a forged log line."""
    return str(text).encode("unicode_escape").decode("ascii")


class OneLineDenials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403 or getattr(record, "boai_one_line", False):
            return True
        request = getattr(record, "request", None)
        reason = denial_reason(request) if request is not None else ""
        if not reason and record.exc_info and record.exc_info[1] is not None:
            reason = str(record.exc_info[1])  # PermissionDenied("registry.unmask") names the permission
        if not reason:
            reason = record.getMessage()  # Django's own words: "Forbidden (CSRF token missing.): /path"
            if match := DJANGO_FORBIDDEN.match(reason):
                reason = match["why"]  # the path is said once, before the reason
        user = getattr(request, "user", None) if request is not None else None
        if user is not None and getattr(user, "is_authenticated", False):
            who = f"user={user.pk} role={getattr(user, 'role', '') or '-'}"
        else:
            who = "user=anonymous"
        method = getattr(request, "method", "") or "-"
        path = getattr(request, "path", "") or "-"
        record.msg = "Forbidden: %s %s %s reason=%s"
        record.args = (who, _escaped(method), _escaped(path), _escaped(reason[:200]))
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.boai_one_line = True
        return True
