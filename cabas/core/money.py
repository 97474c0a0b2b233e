"""Money rules, in one place: amounts are Decimal with two places, rounded half up (the way
a till and a French invoice round); prices include VAT; the amount excluding VAT of an amount
including it is TTC / (1 + rate)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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


def format_quantity(quantity: Decimal) -> str:
    """1 → "1", 0.500 → "0.5" (no trailing zeros, no exponent)."""
    normalized = Decimal(quantity).normalize()
    return f"{normalized:f}"


def format_money(amount: Decimal) -> str:
    """An amount as people read it in the active language: 12.5 → "12,50" in French."""
    from django.utils.formats import number_format

    return number_format(round_money(amount), 2, use_l10n=True)
