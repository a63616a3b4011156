"""The OpenAPI schema's error answers, in one place (``SPECTACULAR_SETTINGS["DEFAULT_SCHEMA_CLASS"]``
names ``ErrorAutoSchema``): every operation lists the refusals it can really give, each with the body
``core.rest.exception_handler`` writes, so a client generated from the schema expects them.

The rule, read from the operation drf-spectacular built and from the view:

- 400 a body or a query parameter it checks (every write; a GET with parameters other than the page),
- 401 always (a wrong ``Authorization`` header is refused even where no login is needed),
- 403 unless every permission is ``AllowAny`` and the method is safe (a session's write checks CSRF),
- 404 a path with a parameter (an object looked up), a page number past the last page, or a write whose
  body names a record the caller may not see (a view that says ``body_names_records = True``),
- 409 every write (a business rule or a stale ``version``: ``core.errors.DomainError``),
- 429 a view that says it is rate-limited (``rate_limited = True``, a code sent by SMS).

What a view already declares for a status (``@extend_schema(responses=...)``) is kept."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}  # a query parameter that core.rest.year_param reads
RECORD_ID = {"type": "integer", "minimum": 0, "maximum": 9_999_999_999}  # core.rest.number_param reads it
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PAGE_PARAMETERS = {"page", "page_size"}


class ErrorSerializer(serializers.Serializer):
    """What every refusal answers (``core.rest.exception_handler``)."""

    detail = serializers.CharField(help_text="what went wrong, for the user, in their language")
    code = serializers.CharField(required=False, help_text="the business rule that refused (400, 403, 409, 429)")
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="each field refused, with its messages (a list of texts; for a list or a nested object of "
        "the body, its items' or fields' messages in the same shape); non_field_errors for the whole body",
    )


ERRORS = {
    "400": "The request is not valid: `errors` names each field refused.",
    "401": "Not logged in, or the `Authorization` header names no valid token.",
    "403": "This account may not do this here (role, area, or a session's missing CSRF token).",
    "404": "No such object (or not one this account may see), or a page past the last.",
    "409": "A business rule refused the action (`code` names it), or the `version` sent is stale.",
    "429": "Too many requests: wait and try again.",
}


class ErrorAutoSchema(AutoSchema):
    def error_statuses(self, operation: dict) -> list[str]:
        method = self.method.upper()
        parameters = operation.get("parameters", [])
        query = {p["name"] for p in parameters if p.get("in") == "query"}
        in_path = any(p.get("in") == "path" for p in parameters)
        write = method not in SAFE_METHODS
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        statuses = []
        if write or query - PAGE_PARAMETERS:
            statuses.append("400")
        statuses.append("401")
        if write or not public:
            statuses.append("403")
        if in_path or "page" in query or (write and getattr(self.view, "body_names_records", False)):
            statuses.append("404")
        if write:
            statuses.append("409")
        if getattr(self.view, "rate_limited", False) or self.view.get_throttles():
            statuses.append("429")
        return statuses

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for status in self.error_statuses(operation):
            if status not in responses:
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=ERRORS[status]),
                    status,
                    ["application/json"],
                    direction="response",
                )
        return operation
