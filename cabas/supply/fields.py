"""The supply models' two kinds of numbers, defined once: unit prices (excl. VAT, four
decimals: a wholesaler prices a unit of a carton, 8,35 € the 12 → 0,6958 €) and quantities
in the product's unit (three decimals: kg and L)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


def unit_price_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


def quantity_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=3, **kwargs)
