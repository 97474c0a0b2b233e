"""The one way a date is written for a person: Django's ``date_format`` (the active language's
DATE_FORMAT or the format given), with French's ordinal first day of the month: « 1er juin
2026 », « lundi 1er juin », never « 1 juin ». A day number with a month's name after it is
written so; a numeric date (« 01/06/2026 », « lun. 1/6 ») is not.

Templates get it through the ``date`` filter of ``cabas_format`` (a builtin library loaded
after Django's, so ``{{ day|date:"j F Y" }}`` is this one everywhere); Python code calls
``date_text``."""

from __future__ import annotations

import re

from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import get_language

# A day without leading zero ("j", not escaped) in a format that names the month (F, E, N, b, M).
_DAY = re.compile(r"(?<!\\)j")
_MONTH_NAME = re.compile(r"(?<!\\)[FENbM]")


def date_text(value, format_name: str | None = None) -> str:
    """``value`` (a date or datetime, already in local time) as ``format_name`` writes it
    ("DATE_FORMAT", "l j F", …), with « 1er » for the first of the month in French."""
    fmt = get_format(format_name or "DATE_FORMAT")
    language = (get_language() or "").split("-")[0]
    if language == "fr" and getattr(value, "day", None) == 1 and _MONTH_NAME.search(fmt):
        fmt = _DAY.sub(r"j\\e\\r", fmt)
    return dateformat.format(value, fmt)
