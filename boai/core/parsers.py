"""The API's JSON parser (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``). Its own module: DRF reads the
setting while ``rest_framework.views`` loads, which ``core.rest`` imports, so it cannot live there."""

import io
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser as DrfJSONParser

# No request Boai takes nests deeper than a handful of levels; Python's decoder recurses once per level
# and gives up (RecursionError, a 500) near a thousand, which a 2 KB body reaches.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(body: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, brackets inside strings not counted (the
    text need not be valid JSON: the decoder judges that afterwards)."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", body))
    depth = deepest = 0
    for ch in brackets:
        if ch in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


class JSONParser(DrfJSONParser):
    """DRF's JSON parser, refusing (400) a body nested deeper than ``MAX_JSON_DEPTH`` before decoding it."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        if json_depth(body) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("The request is nested too deeply (at most %(depth)d levels of lists and objects).")
                % {"depth": MAX_JSON_DEPTH},
                code="too_deep",
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # cannot happen below the limit; never a 500 if it does
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from None
