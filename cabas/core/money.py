"""Money rules, in one place: amounts are Decimal with two places, rounded half up (the way
a till and a French invoice round); prices include VAT; the amount excluding VAT of an amount
including it is TTC / (1 + rate)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money_field():
    """The output field of sums of money in SQL (two decimal places)."""
    from django.db.models import DecimalField

    return DecimalField(max_digits=14, decimal_places=2)


def money_sum(expression):
    """SQL: the sum of an amount expression (or a subquery of one sum), 0 when there is
    none, rounded to the cent *in the database*: SQLite adds decimals as floats, and
    −0.100000000000001 must come back as −0.10."""
    from django.db.models import Value
    from django.db.models.functions import Coalesce, Round

    return Round(
        Coalesce(expression, Value(ZERO), output_field=money_field()),
        2,
        output_field=money_field(),
    )


def round_money(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def excluding_vat(amount_incl_vat: Decimal, vat_rate_percent: Decimal) -> Decimal:
    return round_money(Decimal(amount_incl_vat) / (1 + Decimal(vat_rate_percent) / 100))


# --- Formatting: the one money and the one quantity formatter --------------------------------
# Every amount and every quantity a person reads goes through ``format_money`` and
# ``format_quantity``, in Python and in templates (the ``money`` and ``quantity`` filters of
# ``cabas/core/templatetags/cabas_format.py``, registered as template *builtins* in the settings,
# so no template needs a ``{% load %}``). Numbers a machine reads (HTML attributes, URLs, JSON,
# the API, CSV/XLSX cells) stay locale-independent: ``plain_quantity`` and ``plain_number``,
# the ``|plain`` filter. Numbers people type are read by ``parse_decimal`` (below).

# Where the currency sign goes in each language (the organisations all count in euros). The
# space before the euro sign in French is a no-break space, so "12,50 €" never wraps.
CURRENCY_PATTERNS = {"fr": "{amount}\u00a0€", "en": "€{amount}"}


def _decimal(value) -> Decimal | None:
    """``value`` (Decimal, int, float or text) as a Decimal; None when it is no number."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def plain_quantity(quantity) -> str:
    """A quantity for machines (API, attributes): 1 → "1", 0.500 → "0.5", 40.000 → "40"
    (no trailing zeros, no exponent, always a point)."""
    number = _decimal(quantity)
    if number is None:
        return ""
    normalized = number.normalize()
    return f"{normalized:f}"


# Quantities are grouped by thousands from five digits, as French typography does
# ("1500 kg", "12 000 pièces"); amounts always are ("1 001,16 €").
QUANTITY_GROUPING_FROM = 10_000
# The sign of a negative amount shown to a person: the minus sign, not a hyphen ("−10,00 €").
MINUS = "\u2212"


def format_quantity(quantity, unit=None) -> str:
    """A quantity as people read it in the active language, without trailing zeros:
    0.500 → "0,5", 1.250 → "1,25", 2.000 → "2", 12000 → "12 000" in French ("0.5",
    "12,000" in English). With the
    ``unit`` it counts (``cabas.core.quantities.Unit``), the quantity with its unit:
    "4 × 250 g", "3 bottes", "1,2 kg", "2 × ~300 g" (``quantities.quantity_text``)."""
    from django.utils.formats import number_format

    if unit is not None:
        from cabas.core.quantities import quantity_text

        return quantity_text(quantity, unit) if _decimal(quantity) is not None else ""
    number = _decimal(quantity)
    if number is None:
        return ""
    if number == 0:
        number = abs(number)  # a rounded zero has no sign: "0 %", never "-0 %"
    grouped = abs(number) >= QUANTITY_GROUPING_FROM
    text = number_format(Decimal(plain_quantity(number)), use_l10n=True, force_grouping=grouped)
    # A negative one (a shift counter, a stock taken out) with the minus sign, as amounts.
    return MINUS + text[1:] if text.startswith("-") else text


def format_count(count) -> str:
    """A count of things (orders, members, lines) as people read it, thousands always
    grouped: 1439 → "1 439" (no-break space) in French, "1,439" in English."""
    from django.utils.formats import number_format

    number = _decimal(count)
    if number is None:
        return ""
    return number_format(number.to_integral_value(), use_l10n=True, force_grouping=True)


def format_money(amount, *, places: int = 2) -> str:
    """An amount with its currency sign as the active language writes it, two decimals and
    thousands grouped: 12.5 → "12,50 €", 1001.16 → "1 001,16 €" (no-break spaces) in French,
    "€12.50" and "€1,001.16" in English, −3 → "−3,00 €" (the minus sign U+2212, as
    typography writes it, not a hyphen; files never hold this text: they write plain
    numbers). With ``places`` (a unit price, up to four), more decimals only where the amount
    has them."""
    from django.utils.formats import number_format
    from django.utils.translation import get_language

    number = _decimal(amount)
    if number is None:
        return ""
    rounded = round_money(number)
    shown_places = 2
    if places > 2:
        exact = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if exact != rounded:
            rounded = exact
            shown_places = max(2, -exact.normalize().as_tuple().exponent)
    language = (get_language() or "fr").split("-")[0]
    pattern = CURRENCY_PATTERNS.get(language, CURRENCY_PATTERNS["fr"])
    digits = number_format(abs(rounded), shown_places, use_l10n=True, force_grouping=True)
    shown = pattern.format(amount=digits)
    return f"{MINUS}{shown}" if rounded < 0 else shown


def format_percent(rate) -> str:
    """A rate (VAT, commission) as people read it: 5.50 → "5,5 %" (no-break space) in French."""
    shown = format_quantity(rate)
    return f"{shown}\u00a0%" if shown else ""


def plain_number(value, places: int | None = None) -> str:
    """A number for a field's value attribute: plain like ``plain_quantity`` (0.500 → "0.5",
    40.000 → "40"); with ``places`` (2 for amounts), a fraction keeps them (3.10 → "3.10")."""
    number = _decimal(value)
    if number is None or places is None or number == number.to_integral_value():
        return plain_quantity(number)
    return f"{number.quantize(Decimal(1).scaleb(-places)):f}"


def typed_number(value, places: int | None = None) -> str:
    """A number shown in a field a person edits, as they would type it: ``plain_number``'s
    digits with the language's decimal separator, never grouped (0.5 → "0,5", 3.10 → "3,10"
    in French). The one exception to plain attributes: a text field's value is read by a
    person, and ``parse_decimal`` reads it back unchanged."""
    from django.utils.translation import get_language

    plain = plain_number(value, places)
    return plain.replace(".", _decimal_separator(get_language())) if "." in plain else plain


@cache
def _decimal_separator(language: str | None) -> str:
    """The language's decimal separator, once per process (the shop writes one per form)."""
    from django.utils.formats import get_format

    return get_format("DECIMAL_SEPARATOR", language)


# --- Parsing: the one way a number typed by a person is read --------------------------------
# "0,5" and "0.5" are the same number: French people type a comma, phones and copies from
# elsewhere give a point. Spaces between digit groups ("1 000,50") are ignored. The same
# grammar is the ``pattern`` of the decimal fields (cabas.core.forms.DecimalInput), so the
# browser's own check and the server agree. It is written for both Python and JavaScript's
# ``v`` flag (pattern attributes).
NUMBER_PATTERN = r"\s*-?[0-9\s]*[.,]?[0-9]+\s*"
_NUMBER = re.compile(NUMBER_PATTERN)


def parse_decimal(text) -> Decimal | None:
    """A number as a person types it, with a comma or a point: "0,5" → 0.5, "1.5" → 1.5,
    "2" → 2, "1 000,50" → 1000.50; None for anything else ("1,2,3", "abc", "1e5", "")."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int | Decimal):
        return _decimal(text)
    cleaned = str(text)
    if len(cleaned) > 40 or not _NUMBER.fullmatch(cleaned):
        return None
    return Decimal(re.sub(r"\s", "", cleaned).replace(",", "."))
