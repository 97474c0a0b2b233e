"""Refuse input no page can store: a NUL character (PostgreSQL refuses it in text, SQLite
would keep it) or a lone UTF-16 surrogate (it cannot be encoded), anywhere in the path, the
query string, a header, a form's fields or a JSON body — one check for every view, before
any of them runs. Also turns ``BadQueryParameter`` (cabas.core.params) into a 400 page with
its message.

The web gets a 400 page saying what is wrong; the API (``/api/``) gets its JSON error shape
with 422 ``validation_error``, as for its other invalid requests.
"""

from __future__ import annotations

import json
import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .params import BadQueryParameter

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# In a JSON body, NUL and surrogates can only arrive escaped: look for the escape first, and
# parse the body only when one is there.
_JSON_ESCAPE = re.compile(rb"\\u(0000|d[89a-f])", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")


def unstorable(text: str) -> bool:
    """Whether ``text`` holds a character no database column should receive."""
    return "\x00" in text or _SURROGATES.search(text) is not None


def _json_unstorable(value) -> bool:
    if isinstance(value, str):
        return unstorable(value)
    if isinstance(value, dict):
        return any(unstorable(k) or _json_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_unstorable(v) for v in value)
    return False


def _bad_input(request: HttpRequest) -> bool:
    if unstorable(request.path_info):
        return True
    if any(unstorable(v) for k, vs in request.GET.lists() for v in [k, *vs]):
        return True
    # Headers too: some are stored (an Idempotency-Key, a User-Agent in a session record).
    if any("\x00" in v for k, v in request.META.items() if k.startswith("HTTP_")):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    if not request.path_info.startswith(API_PREFIX):
        if (request.content_type or "") not in FORM_TYPES:
            return False
        return any(unstorable(v) for k, vs in request.POST.lists() for v in [k, *vs])
    # The API reads its bodies as JSON whatever their declared type.
    if _JSON_ESCAPE.search(request.body):
        try:
            return _json_unstorable(json.loads(request.body))
        except (ValueError, RecursionError):
            # Not JSON, or nested deeper than Python recurses: the view refuses it as such.
            return False
    return False


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def refusal(
        self, request: HttpRequest, message: str, *, code="validation_error", status=422
    ) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            body = {"code": code, "message": message, "fields": {}, "detail": {}}
            return JsonResponse({"error": body}, status=status)
        return self.page(request, message, status=400 if status == 422 else status)

    def page(self, request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
        """The 400 page, with the way back to the page without its query when only the query
        was wrong; ``cabas.orgs.middleware`` shows it within an organisation's pages."""
        back = ""
        if request.method == "GET" and request.GET and not unstorable(request.path_info):
            back = request.path
        context = {"message": message, "back": back}
        return render(request, "core/bad_request.html", context, status=status)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            bad = _bad_input(request)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            # Over DATA_UPLOAD_MAX_MEMORY_SIZE / _NUMBER_FIELDS / _NUMBER_FILES: Django's bare
            # 400 otherwise (an HTML page, even for the API), after reading nothing more.
            return self.refusal(
                request,
                _("The request is too large."),
                code="request_too_large",
                status=413,
            )
        if bad:
            return self.refusal(
                request,
                _(
                    "The request contains a character that cannot be kept (a NUL or broken "
                    "character)."
                ),
            )
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path_info.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith(
                ("application/json", "application/ld+json")
            )
        ):
            # The API's router answers a method it does not route with plain text.
            refused = self.refusal(
                request,
                _("This method is not allowed at this address."),
                code="method_not_allowed",
                status=405,
            )
            if response.has_header("Allow"):
                refused["Allow"] = response["Allow"]
            return refused
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, BadQueryParameter):
            return self.refusal(request, str(exception))
        return None
