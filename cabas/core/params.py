"""One way to read a page's query parameters (``?slot=12``, ``?from=2025-01-31``): a value
that is not what the page expects is a clear 400 with a message, never a 500.

Views call ``query_int`` / ``query_date``; ``BadInputMiddleware`` turns the refusal into the
400 page (or the API's JSON error).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

# Beyond these, dates are typing mistakes, and adding a day to the last one overflows.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2999, 12, 31)
# The largest id a database integer column holds (PostgreSQL bigint).
ID_MAX = 2**63 - 1


class BadQueryParameter(BadRequest):
    """A query parameter the page cannot read; ``str()`` is the message for the person."""

    def __init__(self, message: str, *, name: str = ""):
        self.name = name
        super().__init__(message)


def whole_number(text: str, *, maximum: int = ID_MAX) -> int | None:
    """The whole number ``text`` holds (ASCII digits only: "²" or "٣" are digits for Python,
    not for a database), or None when it holds something else or a number above
    ``maximum``."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def query_int(request, name: str, *, maximum: int = ID_MAX) -> int | None:
    """``?name=<whole number>``, or None when absent or empty."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = whole_number(raw, maximum=maximum)
    if value is None:
        raise BadQueryParameter(
            _("“%(name)s” must be a whole number, not “%(value)s”.")
            % {"name": name, "value": raw[:40]},
            name=name,
        )
    return value


def parse_date(raw: str, *, name: str = "") -> date:
    """A date written YYYY-MM-DD between 1900 and 2999 (BadQueryParameter otherwise)."""
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        value = None
    if value is None or len(raw.strip()) != 10 or not DATE_MIN <= value <= DATE_MAX:
        raise BadQueryParameter(
            _("Enter the dates as YYYY-MM-DD between %(first)s and %(last)s, e.g. 2025-01-31.")
            % {"first": DATE_MIN.year, "last": DATE_MAX.year},
            name=name,
        )
    return value


def query_date(request, name: str) -> date | None:
    """``?name=YYYY-MM-DD``, or None when absent or empty."""
    raw = request.GET.get(name, "").strip()
    return parse_date(raw, name=name) if raw else None


def posted_object(request, model_or_queryset, name: str, **filters):
    """The row whose id a form posted as ``name``, among ``filters``: anything but a plain id
    (forged, empty, "abc") is not found, as an unknown id is (404), never a 500."""
    pk = whole_number(request.POST.get(name, ""))
    if pk is None:
        raise Http404
    return get_object_or_404(model_or_queryset, pk=pk, **filters)
