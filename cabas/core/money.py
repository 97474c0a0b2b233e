"""Money rules, in one place: amounts are Decimal with two places, rounded half up (the way
a till and a French invoice round); prices include VAT; the amount excluding VAT of an amount
including it is TTC / (1 + rate)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_money(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def excluding_vat(amount_incl_vat: Decimal, vat_rate_percent: Decimal) -> Decimal:
    return round_money(Decimal(amount_incl_vat) / (1 + Decimal(vat_rate_percent) / 100))


def format_quantity(quantity: Decimal) -> str:
    """1 → "1", 0.500 → "0.5" (no trailing zeros, no exponent)."""
    normalized = Decimal(quantity).normalize()
    return f"{normalized:f}"
