"""The request a piece of code runs for (request id, client IP, user agent), as a contextvar: set
by ``core.middleware.RequestContextMiddleware``, read by the audit log. Lives in ``lib`` so that the
lowest layers can read it without importing the middleware."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user_agent: str = ""


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("boai_request", default=None)


def current_context() -> RequestContext:
    return _context.get() or RequestContext()


@contextmanager
def request_context(context: RequestContext):
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)
