"""The selling price a purchase price calls for (one rule, read by the services, the pages
and the tests):

    selling price incl. VAT = purchase price excl. VAT × coefficient × (1 + VAT rate),
    rounded to the nearest multiple of the settings' step (0,05 € by default; half up).

The coefficient is the product's own, else its subcategory's, else its family's, else the
settings' default; without any, no price is proposed. The margin shown to the supply team
is the share of the selling price excl. VAT that is not the purchase price.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from cabas.catalog import categories

ONE = Decimal("1")
HUNDRED = Decimal("100")


def round_to_step(amount: Decimal, step: Decimal) -> Decimal:
    """``amount`` to the nearest multiple of ``step`` (half up), with cents."""
    steps = (Decimal(amount) / Decimal(step)).quantize(ONE, rounding=ROUND_HALF_UP)
    return (steps * Decimal(step)).quantize(Decimal("0.01"))


def selling_price(
    *, purchase_price: Decimal, coefficient: Decimal, vat_rate: Decimal, step: Decimal
) -> Decimal:
    """The selling price incl. VAT of a unit bought at ``purchase_price`` excl. VAT."""
    excluding_vat = Decimal(purchase_price) * Decimal(coefficient)
    return round_to_step(excluding_vat * (ONE + Decimal(vat_rate) / HUNDRED), step)


def margin_rate(*, purchase_price, price, vat_rate) -> Decimal | None:
    """The margin as a share of the selling price excl. VAT (0,2308 for 23,08 %), or None
    without a price."""
    if purchase_price is None or not price:
        return None
    excluding_vat = Decimal(price) / (ONE + Decimal(vat_rate) / HUNDRED)
    return (excluding_vat - Decimal(purchase_price)) / excluding_vat


def coefficient_for(product, *, by_product: dict, by_category: dict, default) -> Decimal | None:
    """The coefficient that applies to ``product`` given the organisation's coefficients
    (``{product_id: c}``, ``{category code: c}``) and default (None: no price proposed)."""
    if product.pk in by_product:
        return by_product[product.pk]
    if product.category in by_category:
        return by_category[product.category]
    family = categories.family_of(product.category)
    if family is not None and family.code in by_category:
        return by_category[family.code]
    return default
